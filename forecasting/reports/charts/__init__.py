"""Plotly figures built from forecast and KPI frames, one theme on screen and in exports.

May import: scenarios, kpis, projection, i18n, core.
"""
