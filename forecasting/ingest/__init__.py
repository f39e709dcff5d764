"""Files in: readers (CSV, Excel, Parquet, FEC), detection of their conventions, checks of every row in SQL, and
the upsert of each kind of file in one transaction; bank/ reads bank statements (CFONB 120, camt.053, MT940).

May import: store, core.
"""
