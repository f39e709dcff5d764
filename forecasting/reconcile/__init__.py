"""Reconciliation: bank movements matched to open invoices, and the others categorised by editable rules.

May import: core, store, model (settlement), i18n.
"""
