"""The `cashpilot` command: demo, import, status, forecast, kpis, scenario, backtest, export.

May import: every other package of forecasting.
"""
