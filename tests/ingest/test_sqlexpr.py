"""SQL expressions of the import: dates written as text for ids."""

from __future__ import annotations

import duckdb

from forecasting.ingest.sqlexpr import iso_date_text


def test_ids_built_from_dates_keep_strftime_text_for_every_date() -> None:
    """Payment and flow ids embed dates as text: the cheaper cast must give strftime's text, before year 1 too."""
    con = duckdb.connect()
    differ = con.execute(
        f"SELECT count(*), count_if({iso_date_text('d')} IS DISTINCT FROM strftime(d, '%Y-%m-%d')) FROM ("
        "SELECT DATE '0001-01-01' + CAST(i AS INTEGER) AS d FROM range(-800, 3652059) t(i) "
        "UNION ALL SELECT CAST(NULL AS DATE) UNION ALL SELECT DATE '12345-06-07')"
    ).fetchall()
    assert differ == [(3652861, 0)]
