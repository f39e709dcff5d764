"""French texts of the pages, keyed by their English source text (see forecasting/i18n.py)."""

from __future__ import annotations

FR_PAGES: dict[str, str] = {
}
