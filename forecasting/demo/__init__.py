"""The seeded demo company: a French SME with clients, suppliers, banks, planned flows and FX; and the writers of
its bank statement files (statement_files.py: CFONB 120, camt.053).

May import: core.
"""
