"""The tables the workbook and the board pack both show: the headline KPIs and the scenario rows, with their
number formats (Excel notation; the PDF reads them to choose how to write a value)."""

from __future__ import annotations

from forecasting.core.types import JsonValue
from forecasting.i18n.translate import tr
from forecasting.kpis.blocks import KpiSummary

AMOUNT = "#,##0"
AMOUNT_SIGNED = "+#,##0;-#,##0;0"
PERCENT = "0.0%"
PERCENT_FINE = "0.00%"
DAYS = "0.0"
RATIO = "0.00"
INTEGER = "0"


KPI_ROWS: tuple[tuple[str, str, str], ...] = (
    ("receivables_eur", "Open receivables", AMOUNT),
    ("overdue_receivables_eur", "Overdue receivables", AMOUNT),
    ("payables_eur", "Open payables", AMOUNT),
    ("sales_ttc_365d_eur", "Sales TTC, last 365 days", AMOUNT),
    ("dso_simple_days", "DSO (simple)", DAYS),
    ("dso_countback_days", "DSO (countback)", DAYS),
    ("dpo_days", "DPO", DAYS),
    ("dio_days", "DIO", DAYS),
    ("cash_conversion_cycle_days", "Cash conversion cycle", DAYS),
    ("inventory_eur", "Inventory", AMOUNT),
    ("bfr_eur", "BFR (working capital requirement)", AMOUNT),
    ("bfr_days_of_sales", "BFR in days of sales", DAYS),
    ("overdue_rate", "Overdue rate", PERCENT),
    ("collection_rate", "Collection rate", PERCENT),
    ("doubtful_receivables_eur", "Doubtful receivables", AMOUNT),
    ("doubtful_rate", "Doubtful rate", PERCENT),
    ("written_off_365d_eur", "Written off, last 365 days", AMOUNT),
    ("bad_debt_rate", "Bad-debt rate", PERCENT_FINE),
    ("receivables_turnover", "Receivables turnover", RATIO),
    ("clients_with_encours", "Clients with encours", INTEGER),
    ("average_encours_per_client_eur", "Average encours per client", AMOUNT),
    ("top10_concentration", "Top-10 concentration", PERCENT),
    ("clients_over_limit", "Clients over credit limit", INTEGER),
    ("penalty_rate", "Late-payment penalty rate", PERCENT_FINE),
)


UNITS = {AMOUNT: "EUR", DAYS: "days", PERCENT: "%", PERCENT_FINE: "%", RATIO: "×", INTEGER: ""}


Figure = float | int | None  # a KPI as the JSON holds it: None when undefined


def _figure(value: JsonValue) -> Figure:
    """Return a headline value of the KPIs' JSON as the number it is."""
    if value is None or isinstance(value, int | float):
        return value
    raise TypeError(f"not a headline KPI: {value!r}")


def kpi_rows(kpis: KpiSummary, lang: str) -> list[tuple[str, Figure, str, str]]:
    """Return (label, value, number format, unit) of each headline KPI, penalties included.

    Values are read from the JSON of `cashpilot kpis` (`to_dict()`), so the workbook and the board pack show
    what the CLI prints.
    """
    figures = kpis.to_dict()
    rows = [(tr(label, lang), _figure(figures[key]), fmt, tr(UNITS[fmt], lang) if UNITS[fmt] == "days" else UNITS[fmt])
            for key, label, fmt in KPI_ROWS]
    pen = kpis.penalties
    rows += [(tr("Late-payment interest", lang), pen.interest_eur, AMOUNT, "EUR"),
             (tr("Recovery indemnities", lang), pen.indemnity_eur, AMOUNT, "EUR"),
             (tr("Late invoices", lang), pen.late_invoices, INTEGER, "")]
    return rows


SCENARIO_ROWS: tuple[tuple[str, str, str], ...] = (
    # the names of reports/figures.py, with their statistic
    ("net_cash_at_horizon", "Net cash at horizon (expected)", AMOUNT),
    ("min_cash", "Lowest point (daily, expected)", AMOUNT),
    ("min_cash_date", "Lowest point on", "date"),
    ("first_shortfall_date", "First day below zero (expected)", "date"),
    ("bfr_at_horizon", "BFR at horizon", AMOUNT),
    ("bfr_days_of_sales_at_horizon", "BFR at horizon (days of sales)", DAYS),
    ("receivables_at_horizon", "Receivables at horizon", AMOUNT),
    ("payables_at_horizon", "Payables at horizon", AMOUNT),
    ("dso_days_at_horizon", "DSO at horizon", DAYS),
    ("dpo_days_at_horizon", "DPO at horizon", DAYS),
    ("receipts", "Receipts over the horizon", AMOUNT),
    ("disbursements", "Disbursements over the horizon", AMOUNT),
    ("expected_bad_debt", "Expected bad debt", AMOUNT),
)


EFFECT_ROWS: tuple[tuple[str, str], ...] = (
    ("discount_cost", "Early-payment discount cost"),
    ("supplier_discount_gain", "Supplier discount gain"),
    ("factoring_fees", "Factoring fees"),
    ("factoring_financing", "Factoring financing cost"),
    ("interest_on_cash_difference", "Interest on the cash difference"),
    ("net", "Financial effect, net"),
)
