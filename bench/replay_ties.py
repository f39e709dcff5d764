"""How close the replay's runner-up is to its choice at the demo's backtest dates, with the per-invoice paired SE.

Runs bench/backtest_demo.py's backtests (same dates, same metrics) and, for every tuning (date, side), prints the
chosen variant and its replay MAE, the runner-up, their difference, and the standard error of that difference:
paired over the scored invoices (naive) and clustered by counterparty (the errors of one client's invoices are not
independent). Run: .venv/bin/python bench/replay_ties.py [WEEKS ...]   (default 13 26)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench.backtest_demo as demo_bench  # noqa: E402
from forecasting.core import columns as C  # noqa: E402
from forecasting.core.ledger import Ledger  # noqa: E402
from forecasting.demo import company as demo  # noqa: E402
from forecasting.model import tuning  # noqa: E402
from forecasting.projection.backtest import backtest  # noqa: E402

_errors: list[tuple[npt.NDArray[np.float64], npt.NDArray[np.object_]]] = []  # per _mae call: errors, clients
_original_mae = tuning._mae


def _recording_mae(drawn: list[npt.NDArray[np.float64]], cases: list[tuning._Case]) -> float:
    """Return tuning's MAE and keep its per-invoice errors and their clients."""
    errors, clients = [], []
    for pay, case in zip(drawn, cases, strict=True):
        paid = np.isfinite(case.actual)
        median = np.quantile(pay[paid], 0.5, axis=1, method="lower")
        far = case.actual[paid] + 365.0
        errors.append(np.abs(np.where(np.isfinite(median), median, far) - case.actual[paid]))
        clients.append(np.asarray(case.days.counterparty_ids, dtype=object)[paid])
    _errors.append((np.concatenate(errors), np.concatenate(clients)))
    return _original_mae(drawn, cases)


def paired_se(diff: npt.NDArray[np.float64], clients: npt.NDArray[np.object_]) -> tuple[float, float]:
    """Return the naive paired SE of the mean difference and the SE clustered by client."""
    n = len(diff)
    naive = float(diff.std(ddof=1) / np.sqrt(n))
    sums = pd.Series(diff - diff.mean()).groupby(pd.Series(clients).astype(str).to_numpy()).sum().to_numpy()
    g = len(sums)
    cluster = float(np.sqrt(g / (g - 1) * (sums ** 2).sum()) / n)
    return naive, cluster


def label(row: pd.Series) -> str:
    """Return a variant's short name."""
    return f"{row['half_life_days']:.0f}{'+d' if row['drift'] else ''} {row['settle_mode'][:3]}"


def main(horizons: tuple[int, ...]) -> None:
    """Run the backtests, print the backtest rows and the replay's closeness at each tuning."""
    tuning._mae = _recording_mae
    ledger = Ledger.from_object(demo.generate(seed=42, scale=1.0, today=demo_bench.TODAY))
    learn = tuning.learn_behaviour
    reports: list[tuple[str, pd.DataFrame, list[tuple[npt.NDArray[np.float64], npt.NDArray[np.object_]]]]] = []

    def recording_learn(*args: object, **kwargs: object) -> object:
        """Keep each tuning's report and its per-variant errors."""
        start = len(_errors)
        model = learn(*args, **kwargs)  # type: ignore[arg-type]
        reports.append((str(args[4]), pd.DataFrame() if model.tuning is None else model.tuning, _errors[start:]))
        return model

    import forecasting.projection.forecast as forecast_module
    forecast_module.learn_behaviour = recording_learn  # type: ignore[assignment,attr-defined]
    for weeks in horizons:
        rows: dict[str, list[dict[str, object]]] = {side: [] for side in C.SIDES}
        ties = []
        closing = []
        for as_of in demo_bench.as_of_dates(weeks):
            del reports[:]
            metrics = backtest(ledger, as_of, weeks).metrics
            for side in C.SIDES:
                rows[side].append(demo_bench.side_row(as_of, metrics.sides[side]))
            if (c := metrics.closing_cash) is not None:
                closing.append({"as-of": as_of.date(), "actual": round(c.actual_eur),
                                "expected": round(c.forecast_expected_eur), "P10": round(c.forecast_p10_eur),
                                "P90": round(c.forecast_p90_eur), "inside": c.inside_p10_p90,
                                "weeks in band": round(c.weekly_coverage_p10_p90, 3)})
            for side, report, errs in reports:
                if len(errs) != len(report):
                    ties.append({"as-of": as_of.date(), "side": side, "choice": "defaults (too few)"})
                    continue
                order = np.argsort(report["mae_days"].to_numpy(), kind="stable")
                best, second = int(order[0]), int(order[1])
                diff = errs[second][0] - errs[best][0]
                naive, cluster = paired_se(diff, errs[best][1])
                ties.append({"as-of": as_of.date(), "side": side, "n": len(diff),
                             "choice": label(report.iloc[best]), "MAE": round(report["mae_days"].iloc[best], 3),
                             "runner-up": label(report.iloc[second]),
                             "gap": round(report["mae_days"].iloc[second] - report["mae_days"].iloc[best], 3),
                             "paired SE": round(naive, 3), "clustered SE": round(cluster, 3),
                             "variants within 1 clustered SE": int(sum(
                                 (errs[k][0] - errs[best][0]).mean() <= paired_se(
                                     errs[k][0] - errs[best][0], errs[best][1])[1] for k in range(len(errs))))})
        for side in C.SIDES:
            print(f"\n### {weeks} weeks, {side}s\n")
            demo_bench.print_table(rows[side])
        print(f"\n### {weeks} weeks, closing cash\n")
        demo_bench.print_table(closing)
        print(f"\n### {weeks} weeks, the replay's choice and its runner-up\n")
        demo_bench.print_table(ties)
        sys.stdout.flush()


if __name__ == "__main__":
    main(tuple(int(w) for w in sys.argv[1:]) or (13, 26))
