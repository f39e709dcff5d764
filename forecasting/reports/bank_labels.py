"""The names a treasurer reads for the bank side's categories, the 13-week table's lines and the variance's parts."""

from __future__ import annotations

from forecasting.i18n.translate import tr
from forecasting.i18n.weeks import week_header


def category_label(category: str, lang: str) -> str:
    """Return a movement or forecast category's name in `lang` (C.MOVEMENT_CATEGORIES; others as they are)."""
    names = {
        "clients": tr("Clients", lang), "suppliers": tr("Suppliers", lang), "payroll": tr("Payroll", lang),
        "social": tr("Social charges", lang), "vat": tr("VAT", lang), "tax": tr("Taxes", lang),
        "rent": tr("Rent", lang), "loan": tr("Loans", lang), "capex": tr("Capex", lang),
        "financing": tr("Financing", lang), "bank_fees": tr("Bank fees", lang),
        "card_receipts": tr("Card receipts", lang), "other": tr("Other", lang),
    }
    return names.get(category, category)


def line_label(line: str, lang: str) -> str:
    """Return the name of a 13-week table line (reports.treasury_table.LINES) in `lang`."""
    names = {
        "opening": tr("Opening balance", lang), "clients": tr("Clients", lang),
        "other_receipts": tr("Other receipts", lang), "receipts": tr("Total receipts", lang),
        "suppliers": tr("Suppliers", lang), "payroll": tr("Payroll", lang), "social": tr("Social charges", lang),
        "vat_tax": tr("VAT and taxes", lang), "loans": tr("Loans", lang), "capex": tr("Capex", lang),
        "other_disbursements": tr("Other disbursements", lang), "disbursements": tr("Total disbursements", lang),
        "net": tr("Net flow", lang), "closing_expected": tr("Closing balance (expected)", lang),
        "closing_p10": tr("Closing P10", lang), "closing_p50": tr("Closing P50 (median)", lang),
        "closing_p90": tr("Closing P90", lang),
    }
    return names.get(line, line)


def status_label(status: str, lang: str) -> str:
    """Return whether a period is actual, forecast or both, in `lang` (reports.treasury_table statuses)."""
    names = {"actual": tr("actual", lang), "forecast": tr("forecast", lang),
             "actual+forecast": tr("actual + forecast", lang)}
    return names.get(status, status)


def variance_labels(lang: str) -> dict[str, str]:
    """Return the column names of a variance table in `lang`."""
    return {"week_start": week_header(lang), "category": tr("Category", lang), "forecast": tr("Forecast", lang),
            "actual": tr("Actual", lang), "variance": tr("Variance", lang), "timing": tr("Timing", lang),
            "amount": tr("Amount", lang), "unforecast": tr("Unforecast", lang)}
