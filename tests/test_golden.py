"""Behaviour unchanged: the CLI's JSON and the workbook's values on the demo equal the committed golden outputs.

The golden files were written by `python -m tests.golden.make_golden` on the code before the package layout
changed; a change meant to move the figures rewrites them and says so in its commit.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tests.golden.outputs import OUTPUTS, demo_database, run_output

FOLDER = Path(__file__).resolve().parent / "golden"
MONEY_TOLERANCE_EUR = 1.0


@pytest.fixture(scope="module")
def golden_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the demo database the golden outputs are computed on."""
    return demo_database(tmp_path_factory.mktemp("golden"))


def _differences(got: Any, expected: Any, where: str = "") -> list[str]:
    """Return where `got` differs from `expected`, floats within the last digits a CPU's BLAS kernels move.

    statsmodels' ETS optimiser ends a few ulps apart on CPUs whose OpenBLAS kernels differ (Haswell, SkylakeX):
    floats are equal within 1e-6 relative, and amounts in EUR within 1 EUR (a difference of two large sums, such
    as a forecast's error, moves by the same cents as its terms). A change of behaviour moves them by far more.
    """
    if isinstance(expected, float) or isinstance(got, float):
        abs_tol = MONEY_TOLERANCE_EUR if "eur" in where.lower() else 1e-6
        if isinstance(got, int | float) and isinstance(expected, int | float) and (
                math.isclose(got, expected, rel_tol=1e-6, abs_tol=abs_tol)):
            return []
        return [f"{where}: {got!r} != {expected!r}"]
    if isinstance(expected, dict) and isinstance(got, dict):
        found = [f"{where}: keys {sorted(set(got) ^ set(expected))} differ"] if set(got) != set(expected) else []
        return found + [d for k in expected if k in got for d in _differences(got[k], expected[k], f"{where}.{k}")]
    if isinstance(expected, list) and isinstance(got, list):
        if len(got) != len(expected):
            return [f"{where}: {len(got)} items != {len(expected)}"]
        return [d for i, (g, e) in enumerate(zip(got, expected, strict=True)) for d in _differences(g, e, f"{where}[{i}]")]
    return [] if got == expected else [f"{where}: {got!r} != {expected!r}"]


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_the_output_equals_its_golden_copy(name: str, golden_db: Path, tmp_path: Path) -> None:
    expected = json.loads((FOLDER / f"{name}.json").read_text())
    got = json.loads(json.dumps(run_output(name, golden_db, tmp_path)))  # the same JSON round trip as the file
    differences = _differences(got, expected, name)
    assert not differences, "\n".join(differences[:20])
