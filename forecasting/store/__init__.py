"""The DuckDB file: connections, schema migrations, transactions, reads. The only package importing duckdb.

May import: core.
"""
