"""The results of a backtest: per side, per invoice group, weekly and closing-cash metrics, and their JSON layout.

`BacktestMetrics.to_dict` is the JSON of `cashpilot backtest --format json`: first the keys it has always had, which
describe the receivables (client receipts) and are null when they are not backtested, then `data_end`, `sides`
(every side backtested), `closing_cash` and `notes`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

import numpy as np
import pandas as pd

from forecasting.core import columns as C
from forecasting.core.types import JsonDict, JsonValue
from forecasting.projection.scoring import DistributionScores, PointScores, WeeklyScores


@dataclass(frozen=True)
class InvoiceScores:
    """The model's and every baseline's payment-date scores on one group of invoices paid by the data's end."""

    n_invoices: int
    model: DistributionScores
    baselines: dict[str, PointScores]  # baselines.BASELINES -> scores


@dataclass(frozen=True)
class UnpaidInvoices:
    """Invoices of the backtest still unpaid where the data ends: their date is unknown, so they are not scored."""

    n_invoices: int
    amount_eur: float  # what never came in cash on them: still unpaid, or settled by credit notes
    n_open_at_as_of: int
    n_issued_after_as_of: int
    n_not_due_at_data_end: int  # of them, not yet due where the data ends (too recent to tell)


@dataclass(frozen=True)
class SideMetrics:
    """How one side's payments were forecast: every invoice open at as-of or issued within the horizon."""

    side: str  # receivables | payables
    n_invoices: int  # open at as-of or issued within the horizon (positive amounts)
    n_scored: int  # paid by the data's end: scored against their real date
    n_paid_after_horizon: int  # scored, paid after the horizon's last day
    n_open_at_as_of_unpaid_in_horizon: int  # open at as-of and not paid by the horizon's last day
    unpaid_at_data_end: UnpaidInvoices
    invoices: InvoiceScores  # all scored invoices
    open_at_as_of: InvoiceScores
    issued_after_as_of: InvoiceScores
    weekly: WeeklyScores  # receipts or disbursements by week


@dataclass(frozen=True)
class ClosingCash:
    """The forecast bank balance against the real one, on the horizon's last balance date and week by week."""

    balance_date: date  # the last date within the horizon with a bank balance
    actual_eur: float
    forecast_expected_eur: float
    forecast_p10_eur: float
    forecast_p50_eur: float
    forecast_p90_eur: float
    error_eur: float  # expected - actual
    inside_p10_p90: bool
    n_weeks: int  # weeks of the horizon with a balance (each compared on its last balance date)
    weekly_coverage_p10_p90: float  # share of them whose balance fell within the P10-P90 band
    weekly_mean_abs_error_eur: float


@dataclass(frozen=True)
class BacktestMetrics:
    """How the forecast made at as_of did, per side backtested, and on the closing cash."""

    as_of: date
    horizon_weeks: int
    data_end: date | None  # the last payment date of the data: later payment dates are unknown
    sides: dict[str, SideMetrics]
    closing_cash: ClosingCash | None  # None: no bank balance after as-of within the horizon (or none at as-of)
    notes: tuple[str, ...] = ()

    def side(self, side: str) -> SideMetrics | None:
        """Return the metrics of one side, None when it was not backtested."""
        return self.sides.get(side)

    def to_dict(self) -> JsonDict:
        """Return the metrics as JSON values: the historical receivables keys, then the new ones (NaN as None)."""
        receivables = self.sides.get(C.RECEIVABLE)
        out: JsonDict = {"as_of": self.as_of.isoformat(), "horizon_weeks": int(self.horizon_weeks)}
        out |= _legacy_receivables(receivables)
        out["data_end"] = None if self.data_end is None else self.data_end.isoformat()
        out["sides"] = {SIDE_KEYS[side]: json_value(asdict(metrics)) for side, metrics in self.sides.items()}
        out["closing_cash"] = None if self.closing_cash is None else json_value(asdict(self.closing_cash))
        out["notes"] = [str(note) for note in self.notes]
        return out


SIDE_KEYS = C.INVOICES_OF_SIDE  # the JSON's names of the sides, as --side
LEGACY_GROUP_KEYS = ("n_invoices", "payment_date_mae_days", "late_accuracy", "baseline_due_date_mae_days",
                     "baseline_due_date_late_accuracy", "baseline_client_median_mae_days",
                     "baseline_client_median_late_accuracy")


def _legacy_group(scores: InvoiceScores | None) -> JsonDict:
    """Return one invoice group's scores under the keys the backtest's JSON has always had."""
    if scores is None:
        return dict.fromkeys(LEGACY_GROUP_KEYS)
    due, median = scores.baselines["due_date"], scores.baselines["client_median"]
    values = (scores.n_invoices, scores.model.mae_days, scores.model.late_accuracy, due.mae_days,
              due.late_accuracy, median.mae_days, median.late_accuracy)
    return {key: json_value(value) for key, value in zip(LEGACY_GROUP_KEYS, values, strict=True)}


def _legacy_receivables(side: SideMetrics | None) -> JsonDict:
    """Return the flat keys of the receivables side the backtest's JSON has always had (None when absent)."""
    overall = _legacy_group(side.invoices if side else None)
    return {
        "n_open_invoices": side.open_at_as_of.n_invoices if side else None,
        "n_later_invoices": side.issued_after_as_of.n_invoices if side else None,
        "n_open_at_as_of_unpaid_in_horizon": side.n_open_at_as_of_unpaid_in_horizon if side else None,
        "payment_date_mae_days": overall["payment_date_mae_days"],
        "late_accuracy": overall["late_accuracy"],
        "baseline_due_date_mae_days": overall["baseline_due_date_mae_days"],
        "baseline_client_median_mae_days": overall["baseline_client_median_mae_days"],
        "baseline_due_date_late_accuracy": overall["baseline_due_date_late_accuracy"],
        "baseline_client_median_late_accuracy": overall["baseline_client_median_late_accuracy"],
        "weekly_receipts_wape": json_value(side.weekly.wape) if side else None,
        "weekly_receipts_bias": json_value(side.weekly.bias) if side else None,
        "interval_coverage_p10_p90": json_value(side.weekly.coverage_p10_p90) if side else None,
        "open_at_as_of": _legacy_group(side.open_at_as_of if side else None),
        "issued_after_as_of": _legacy_group(side.issued_after_as_of if side else None),
    }


def json_value(value: object) -> JsonValue:
    """Return a metric as JSON holds it: a date as ISO text, NaN as None, a dataclass's dict as a dict."""
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, int | str) or value is None:
        return value
    raise TypeError(f"not a backtest metric: {value!r}")


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """Metrics of one backtest, the weekly forecast against actual cash per side, and the per-invoice table."""

    metrics: BacktestMetrics
    weekly: pd.DataFrame  # side, week_start, forecast_p10/p50/p90/expected, actual, baseline_run_rate
    invoices: pd.DataFrame  # one row per invoice open at as-of or issued within the horizon, per side
    closing: pd.DataFrame  # balance_date, actual, forecast_expected/p10/p50/p90 (empty without balances)

    def weekly_of(self, side: str) -> pd.DataFrame:
        """Return the weekly frame of one side."""
        return self.weekly[self.weekly["side"] == side].reset_index(drop=True)
