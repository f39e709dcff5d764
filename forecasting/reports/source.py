"""Exports: what they draw from, and the three kinds of file (chart images, Excel workbook, board-pack PDF).

`ExportSource` holds the ledger at an as-of date over a horizon with the scenarios to compare; each part
(prepared cash items, baseline, scenario results, KPIs, aging…) is computed once, when an export first needs
it, through the same functions as the CLI (`prepare`, `baseline_of`, `compare`, `kpi_summary`,
`forecast_payload` / `scenario_payload`), so an export's figures equal `cashpilot forecast --format json`.
The files themselves are built by `images.py`, `xlsx.py` and `pdf.py`, which read an ExportSource (this
module never imports them: importing it loads neither kaleido, openpyxl nor fpdf2).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Protocol

import pandas as pd

from forecasting.core import columns as C
from forecasting.core.errors import InputError
from forecasting.core.ledger import Ledger
from forecasting.core.snapshots import StoredSnapshot
from forecasting.core.types import as_of_timestamp
from forecasting.i18n.translate import normalise_language
from forecasting.kpis.base import KpiBasis
from forecasting.kpis.clients import aging_by_counterparty_from, aging_from, scorecard_from
from forecasting.kpis.summary import KpiSettings, KpiSummary, kpi_basis, kpi_summary
from forecasting.projection.breakdown import Breakdown, breakdown
from forecasting.projection.cache import cached_prepare
from forecasting.projection.types import CashItems, Projection
from forecasting.reports.charts import theme
from forecasting.reports.figures import CashFigures, LedgerFigures, cash_figures, ledger_figures
from forecasting.reports.forecast_vs_actual import (
    Accuracy,
    ForecastVsActual,
    accuracy,
    forecast_vs_actual,
    movements_eur,
)
from forecasting.reports.payload import ForecastPayload, ScenarioPayload, forecast_payload, scenario_payload
from forecasting.reports.treasury_table import TreasuryTable, treasury_table
from forecasting.scenarios.compare import (
    MAX_COMPARED,
    Baseline,
    Scenario,
    ScenarioContext,
    ScenarioResult,
    ScenarioSettings,
    baseline_of,
    compare,
    context_from_ledger,
)
from forecasting.scenarios.waterfall import Waterfall, waterfall

MIN_LEVERS_FOR_WATERFALL = 2
CURRENCY_SYMBOL = "€"  # every amount of the forecast and the KPIs is in the reporting currency (EUR)


class ExportSource:
    """The ledger at an as-of date over a horizon, with scenarios: every part computed once, when first needed."""

    def __init__(self, ledger: Ledger, as_of: date, horizon_weeks: int = 13, scenarios: Sequence[Scenario] = (),
                 *, lang: str = "en", settings: ScenarioSettings | None = None,
                 kpi_settings: KpiSettings | None = None, cash: CashItems | None = None,
                 context: ScenarioContext | None = None, baseline: Baseline | None = None,
                 last_import: datetime | None = None, company: str | None = None,
                 forecasts_folder: Path | None = None, movements: pd.DataFrame | None = None,
                 snapshots: Sequence[StoredSnapshot] = ()) -> None:
        """Keep the inputs; `cash`, `context` and `baseline` let a caller reuse what it has already computed.

        `forecasts_folder` keeps the fitted forecast between runs (forecast_cache); None computes it afresh.
        `movements` (the bank's, store.snapshots.read_movements) and `snapshots` (oldest first) feed the 13-week
        table's actual weeks and the forecast-vs-actual sheet and page (the latest snapshot against the movements).
        """
        if len(scenarios) > MAX_COMPARED:
            raise InputError(f"compare at most {MAX_COMPARED} scenarios at once, got {len(scenarios)}")
        self.ledger = ledger
        self.as_of = as_of_timestamp(as_of)
        self.horizon_weeks = int(horizon_weeks)
        self.scenarios = tuple(scenarios)
        self.lang = normalise_language(lang)
        self.settings = settings or ScenarioSettings()
        self.kpi_settings = kpi_settings or KpiSettings()
        self.last_import = last_import
        self.company = theme.settings().company if company is None else company
        self.forecasts_folder = forecasts_folder
        self.movements = movements if movements is not None else pd.DataFrame(columns=C.BANK_MOVEMENT_COLUMNS)
        self.snapshots = tuple(snapshots)
        if cash is not None:
            self.__dict__["cash"] = cash
        if context is not None:
            self.__dict__["context"] = context
        if baseline is not None:
            self.__dict__["baseline"] = baseline

    # --- forecast and scenarios --------------------------------------------------------------
    @cached_property
    def cash(self) -> CashItems:
        """Return the sampled cash items (the behaviour model fitted once)."""
        return cached_prepare(self.ledger, self.as_of, self.horizon_weeks, self.forecasts_folder)

    @cached_property
    def context(self) -> ScenarioContext:
        """Return what the what-if levers need from the ledger."""
        return context_from_ledger(self.ledger, self.as_of)

    @cached_property
    def baseline(self) -> Baseline:
        """Return the baseline projection and BFR by week."""
        return baseline_of(self.cash, self.context, self.settings)

    @property
    def projection(self) -> Projection:
        """Return the baseline projection."""
        return self.baseline.projection

    @cached_property
    def results(self) -> tuple[ScenarioResult, ...]:
        """Return each scenario against the baseline, on the same sampled items."""
        return tuple(compare(self.cash, s, self.context, self.settings, self.baseline) for s in self.scenarios)

    @cached_property
    def waterfalls(self) -> tuple[Waterfall, ...]:
        """Return the lever-by-lever effect of each scenario with two levers or more (one lever is its own total)."""
        return tuple(waterfall(self.cash, scenario, result, self.context, self.settings)
                     for scenario, result in zip(self.scenarios, self.results, strict=True)
                     if len(scenario.levers) >= MIN_LEVERS_FOR_WATERFALL)

    @cached_property
    def forecast(self) -> ForecastPayload:
        """Return the baseline's JSON payload: what `cashpilot forecast --format json` prints."""
        return forecast_payload(self.projection.weekly, self.projection.summary, self.ledger_figures)

    @cached_property
    def scenario_payloads(self) -> tuple[ScenarioPayload, ...]:
        """Return each scenario's payload: what `cashpilot forecast --scenario NAME --format json` prints."""
        return tuple(scenario_payload(r) for r in self.results)

    # --- the bank side: the 13-week table, forecast vs actual -----------------------------------
    @cached_property
    def breakdown(self) -> Breakdown:
        """Return the forecast's flows by day, account and category (from the cash items: no refit)."""
        return breakdown(self.cash)

    def treasury(self, period: str = "week", account: str | None = None) -> TreasuryTable:
        """Return the 13-week treasury table by week or month, of all accounts (None) or one."""
        eur = movements_eur(self.movements, self.ledger.fx_rates, self.as_of)
        return treasury_table(self.projection, self.breakdown, self.movements, eur, self.as_of, period,
                              account=account)

    @cached_property
    def forecast_vs_actual(self) -> ForecastVsActual | None:
        """Return the latest snapshot against the movements (None without a snapshot)."""
        if not self.snapshots:
            return None
        return forecast_vs_actual(self.snapshots[-1], self.movements, self.ledger.fx_rates)

    @cached_property
    def accuracy(self) -> Accuracy | None:
        """Return the snapshots' accuracy by lead (None without a snapshot)."""
        return accuracy(self.snapshots, self.movements, self.ledger.fx_rates) if self.snapshots else None

    @cached_property
    def cash_figures(self) -> CashFigures:
        """Return the forecast's headline figures, named with their statistic (as every page shows them)."""
        return cash_figures(self.projection.summary)

    @cached_property
    def ledger_figures(self) -> LedgerFigures:
        """Return open receivables and payables, overdue, BFR and DSO at as-of, as every page shows them."""
        return ledger_figures(self.basis, self.kpi_settings)

    # --- KPIs ----------------------------------------------------------------------------------
    @cached_property
    def kpis(self) -> KpiSummary:
        """Return the headline KPIs: what `cashpilot kpis --format json` prints (its to_dict())."""
        return kpi_summary(self.ledger, self.as_of, self.kpi_settings)

    @cached_property
    def basis(self) -> KpiBasis:
        """Return the ledger settled at as-of, for the aging and the scorecard."""
        return kpi_basis(self.ledger, self.as_of, self.kpi_settings)

    @cached_property
    def aging(self) -> pd.DataFrame:
        """Return the receivables aged balance: bucket, count, amount_eur, share."""
        return aging_from(self.basis, self.kpi_settings)

    @cached_property
    def payables_aging(self) -> pd.DataFrame:
        """Return the payables aged balance: bucket, count, amount_eur, share."""
        return aging_from(self.basis, self.kpi_settings, side=C.PAYABLE)

    @cached_property
    def by_client(self) -> pd.DataFrame:
        """Return each client's open amount by aging bucket, largest first."""
        return aging_by_counterparty_from(self.basis, self.kpi_settings)

    @cached_property
    def scorecard(self) -> pd.DataFrame:
        """Return one row per client with its rating and encours."""
        return scorecard_from(self.basis, self.kpi_settings)

    # --- data freshness ------------------------------------------------------------------------
    @cached_property
    def freshness(self) -> dict[str, pd.Timestamp | None]:
        """Return the latest date of each kind of data (and of the last import when known)."""

        def latest(frame: pd.DataFrame, column: str) -> pd.Timestamp | None:
            if not len(frame):
                return None
            value = pd.to_datetime(frame[column]).max()
            return None if pd.isna(value) else pd.Timestamp(value)

        out = {
            "last_import": pd.Timestamp(self.last_import) if self.last_import is not None else None,
            "receivables": latest(self.ledger.receivables, C.ISSUE_DATE),
            "payables": latest(self.ledger.payables, C.ISSUE_DATE),
            "payments": latest(self.ledger.payments, C.PAYMENT_DATE),
            "bank_balances": latest(self.ledger.bank_balances, C.BALANCE_DATE),
        }
        return out


class HasImportLog(Protocol):
    """What last_import_of reads of a store (reports do not import the store stage)."""

    def import_log(self, limit: int = ...) -> pd.DataFrame:
        """Return the latest imports, newest first."""
        ...


def last_import_of(store: HasImportLog) -> datetime | None:
    """Return when the store's latest import ran (None when nothing was imported through `cashpilot import`)."""
    try:
        log = store.import_log(limit=1)
    except Exception:  # noqa: BLE001 - freshness is informative: a store without a log must not stop an export
        return None
    if log is None or not len(log) or "imported_at" not in log.columns:
        return None
    value = pd.to_datetime(log["imported_at"]).max()
    return None if pd.isna(value) else value.to_pydatetime()
