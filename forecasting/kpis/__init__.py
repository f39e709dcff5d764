"""Receivables, payables and working-capital indicators (DSO, DPO, BFR, aging, ratings, penalties), alerts
and the overview of what is loaded.

May import: model, i18n, core.
"""
