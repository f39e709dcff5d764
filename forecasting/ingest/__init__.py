"""Files in: readers (CSV, Excel, Parquet, FEC), detection of their conventions, checks of every row in SQL, and
the upsert of each kind of file in one transaction.

May import: store, core.
"""
