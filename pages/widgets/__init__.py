"""What the pages share: the cached store and ledger, the sidebar, formats, charts, downloads, the what-if form.

May import: forecasting. Never imported by forecasting, nor imports pages.server (which records into chart_bundle).
"""
