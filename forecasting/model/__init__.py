"""What the ledger teaches: how each counterparty pays, how much will be invoiced, what was settled when.

May import: core.
"""
