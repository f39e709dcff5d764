"""What the pages, the CLI and the exports show: JSON-ready payloads, charts, the workbook, the board-pack PDF,
chart images and CSV tables.

May import: scenarios, kpis, projection, model, i18n, core.
"""
