"""French texts of the cli, keyed by their English source text (see forecasting/i18n.py)."""

from __future__ import annotations

FR_CLI: dict[str, str] = {
}
