"""Receivables and working-capital KPIs as of a date: DSO, DPO, DIO, CCC, BFR, aging, rates, ratings, penalties.

Pure functions: a Ledger and an as-of date in, numbers and frames out, every amount in EUR, using only what
was known at the end of as_of. The formulas are those of shared/DOMAIN.md; the choices beyond it are stated
at the top of each module:
- kpis_base        settings, "as of" settlement in EUR, the proxy date of write-offs
- kpis_ratios      DSO (simple, countback), DPO, DIO, CCC, BFR, overdue/collection/doubtful/bad-debt rates,
                   receivables turnover
- kpis_clients     aging, encours, concentration, scorecard and A–D rating
- kpis_collection  late-payment penalties, dunning list
`kpi_summary` settles the ledger once and gathers every headline figure as typed blocks (kpis/blocks.py); its
`to_dict()` is the JSON of `cashpilot kpis`.
"""

from __future__ import annotations

from datetime import date

from forecasting.core import columns as C
from forecasting.core.ledger import Ledger
from forecasting.kpis.base import KpiBasis, KpiSettings, kpi_basis
from forecasting.kpis.blocks import (
    AgingTotals,
    DunningTotal,
    EncoursConcentration,
    KpiSummary,
    RatingCounts,
    ReceivableRates,
    ReceivablesTurnover,
)
from forecasting.kpis.clients import (
    RATINGS,
    aging,
    aging_by_counterparty,
    aging_from,
    aging_labels,
    average_encours_from,
    average_encours_per_client,
    encours,
    encours_from,
    scorecard,
    scorecard_from,
    top10_concentration,
    top10_concentration_from,
)
from forecasting.kpis.collection import (
    DUNNING_LEVELS,
    dunning_list,
    dunning_list_from,
    late_interest_eur,
    penalties,
    penalties_from,
    penalty_rate,
    penalty_totals,
)
from forecasting.kpis.ratios import (
    bad_debt_rate,
    bad_debt_rate_from,
    bfr,
    bfr_from,
    cash_conversion_cycle,
    cash_conversion_cycle_days,
    cash_conversion_cycle_from,
    cogs_eur,
    collection_rate,
    collection_rate_from,
    dio,
    doubtful_eur_from,
    doubtful_rate,
    doubtful_rate_from,
    dpo,
    dso,
    dso_countback,
    dso_from,
    dso_simple,
    month_end_receivables,
    month_end_receivables_from,
    overdue_rate,
    overdue_rate_from,
    payables_eur_from,
    receivables_turnover,
    written_off_eur_from,
)

__all__ = [
    "DUNNING_LEVELS", "RATINGS", "KpiBasis", "KpiSettings", "KpiSummary", "aging", "aging_by_counterparty", "aging_labels",
    "average_encours_per_client", "bad_debt_rate", "bfr", "cash_conversion_cycle", "cash_conversion_cycle_days",
    "cogs_eur", "collection_rate", "dio", "doubtful_rate", "dpo", "dso", "dso_countback", "dso_simple",
    "dunning_list", "encours", "kpi_basis", "kpi_summary", "late_interest_eur", "month_end_receivables",
    "overdue_rate", "penalties", "penalty_rate", "penalty_totals", "receivables_turnover", "scorecard",
    "top10_concentration",
]


def kpi_summary(ledger: Ledger, as_of: date, settings: KpiSettings | None = None) -> KpiSummary:
    """Return every headline KPI at as_of by block (EUR, days, fractions; unrounded; NaN = undefined)."""
    settings = settings or KpiSettings()
    basis = kpi_basis(ledger, as_of, settings)
    working_capital = bfr_from(basis, settings)
    enc = encours_from(basis)
    card = scorecard_from(basis, settings)
    dunning = dunning_list_from(basis, settings, card=card)
    aged = aging_from(basis, settings).set_index("bucket")
    levels = dunning.groupby("level")["open_eur"].agg(["size", "sum"]).reindex(list(DUNNING_LEVELS), fill_value=0)
    receivables_by_month = month_end_receivables_from(basis)
    average_receivables = float(receivables_by_month.mean())
    sales_365_eur = working_capital.daily_sales_ttc_eur * 365
    not_due = aging_labels(settings.aging_buckets_days)[0]
    return KpiSummary(
        as_of=basis.as_of,
        currency=C.REPORTING_CURRENCY,
        dso=dso_from(basis, settings),
        payables_eur=payables_eur_from(basis),
        cycle=cash_conversion_cycle_from(basis, settings),
        working_capital=working_capital,
        rates=ReceivableRates(
            overdue_rate=overdue_rate_from(basis), collection_rate=collection_rate_from(basis, settings),
            doubtful_receivables_eur=doubtful_eur_from(basis, settings),
            doubtful_rate=doubtful_rate_from(basis, settings), written_off_365d_eur=written_off_eur_from(basis),
            bad_debt_rate=bad_debt_rate_from(basis)),
        turnover=ReceivablesTurnover(
            sales_ttc_365d_eur=sales_365_eur, average_receivables_eur=average_receivables,
            receivables_turnover=sales_365_eur / average_receivables if average_receivables > 0 else float("nan")),
        encours=EncoursConcentration(
            clients_with_encours=int((enc["encours_eur"] > 0).sum()),
            average_encours_per_client_eur=average_encours_from(enc),
            top10_concentration=top10_concentration_from(enc)),
        aging=AgingTotals(
            amount_eur={str(bucket): float(v) for bucket, v in aged["amount_eur"].items()},
            share={str(bucket): float(v) for bucket, v in aged["share"].items()},
            overdue_eur=float(aged[aged.index != not_due]["amount_eur"].sum())),
        ratings=RatingCounts(
            counts={str(r): int(n) for r, n in
                    card["rating"].value_counts().reindex(list(RATINGS), fill_value=0).items()},
            clients_over_limit=int(card["over_limit"].sum())),
        penalty_rate=penalty_rate(settings),
        penalties=penalty_totals(penalties_from(basis, settings)),
        dunning={str(level): DunningTotal(invoices=int(row["size"]), open_eur=float(row["sum"]))
                 for level, row in levels.iterrows()},
        settings=settings,
    )
