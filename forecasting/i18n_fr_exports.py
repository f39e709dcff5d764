"""French texts of the exports, keyed by their English source text (see forecasting/i18n.py)."""

from __future__ import annotations

FR_EXPORTS: dict[str, str] = {
}
