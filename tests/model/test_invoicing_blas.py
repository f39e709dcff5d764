"""The invoicing forecast's choice does not depend on which OpenBLAS kernels the CPU gets.

OpenBLAS picks its kernels by CPU (Haswell, SkylakeX with AVX-512, ...) and their float results differ in the last
bits. A seasonal ETS whose 52 initial states were estimated by the optimiser ended at two different optima on the
demo's supplier invoicing depending on the kernel (mean score 0.245 or 0.315): the chosen method, and the
forecast's closing cash by 15 k EUR, followed the machine. Each kernel runs in its own process
(OPENBLAS_CORETYPE is read when numpy loads); Haswell and Sandybridge run on any x86-64 CPU with AVX2.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

SERIES = Path(__file__).with_name("demo_payables_weekly.json")
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json, sys
import numpy as np
from forecasting.model.invoicing_choice import candidates, choose, origin_errors
y = np.array(json.load(open(sys.argv[1]))["weeks"], dtype=float)
chosen, _ = choose(y)
scores = {c.method: [round(float(s), 6) for s in origin_errors(y, c)[1]] for c in candidates(y)}
print(json.dumps({"chosen": chosen.method, "scores": scores, "point": [round(float(v), 2)
                                                                       for v in chosen.forecast_from(len(y), 13)]}))
"""


def _choice_with(core_type: str) -> dict[str, object]:
    """Return the choice made on the demo series in a process whose OpenBLAS uses `core_type`'s kernels."""
    env = {"OPENBLAS_CORETYPE": core_type, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(SERIES)], env=env, capture_output=True, text=True,
                          check=True, timeout=300)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64") or sys.platform != "linux",
                    reason="OpenBLAS core types are x86-64 Linux names")
def test_the_invoicing_choice_is_the_same_whatever_the_blas_kernels() -> None:
    haswell, sandybridge = _choice_with("Haswell"), _choice_with("Sandybridge")
    assert haswell["chosen"] == sandybridge["chosen"]
    haswell_scores, sandybridge_scores = haswell["scores"], sandybridge["scores"]
    assert isinstance(haswell_scores, dict) and isinstance(sandybridge_scores, dict)
    assert haswell_scores.keys() == sandybridge_scores.keys()
    for method, scores in haswell_scores.items():
        assert scores == pytest.approx(sandybridge_scores[method], abs=1e-5), method
    assert haswell["point"] == pytest.approx(sandybridge["point"], rel=1e-6)
