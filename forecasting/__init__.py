"""cashpilot: the treasury forecasting library (no UI code lives here; it never imports streamlit or pages/).

The packages are the stages of one flow, each importing only the ones below it (checked by `make lint`):

    core       column names, errors, the Ledger, payment terms and calendars, shared types
    i18n       English and French texts and formats, the glossary                      (core)
    store      the DuckDB file: the only importer of duckdb                            (core)
    ingest     files in: readers, detection, checks, upserts                           (store, core)
    demo       the seeded demo company                                                 (core)
    model      what the data teaches: payment delays, future invoicing, settlement     (core)
    projection cash by day with its range, its cache and its backtest                  (model, i18n, core)
    scenarios  what-if levers applied to a projection                                  (projection, model, i18n, core)
    kpis       receivables, payables and working-capital indicators, alerts            (model, i18n, core)
    reports    what pages, CLI and exports show: payloads, charts, workbook, PDF, CSV  (all of the above)
    cli        the `cashpilot` command                                                 (everything)
"""
