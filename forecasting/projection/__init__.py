"""Cash by day over the horizon with its likely range: cash items, daily and weekly frames, opening balance,
the on-disk cache of fitted forecasts, and the backtest.

May import: model, i18n, core.
"""
