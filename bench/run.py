"""Run every benchmark in bench/ in turn (`make bench`); each prints its own markdown table.

Figures are copied into bench/RESULTS.md by hand after a run on the reference machine, with its date;
benchmarks are never timed assertions in tests.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = ["import_1m.py", "bank_import.py", "reconcile.py", "backtest_demo.py", "backtest_oracle.py", "evaluate_demo.py", "delay_eval.py", "stale_data.py", "forecast_speed.py", "forecast_cache.py",
           "exports.py", "fuzz.py",
           "browser.py"]


def main() -> int:
    """Run each benchmark script that exists; return non-zero if any failed to run."""
    failed = 0
    for name in SCRIPTS:
        script = BENCH / name
        if not script.exists():
            continue
        print(f"\n## {name}\n", flush=True)
        failed += subprocess.run([sys.executable, str(script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
