"""The seeded demo company: a French SME with clients, suppliers, banks, planned flows and FX.

May import: core.
"""
