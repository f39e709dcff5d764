"""Write the golden outputs of the demo company (run once on code whose behaviour is the reference).

`python -m tests.golden.make_golden` rewrites tests/golden/*.json from the current code; tests/test_golden.py
checks that the code gives the same outputs. Rewrite them only for a change meant to change the figures, and
say so in the commit.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from tests.golden.outputs import OUTPUTS, demo_database, run_output

FOLDER = Path(__file__).resolve().parent


def main() -> int:
    """Write every golden output; return 0."""
    with tempfile.TemporaryDirectory() as tmp:
        db = demo_database(Path(tmp))
        for name in OUTPUTS:
            value = run_output(name, db, Path(tmp))
            (FOLDER / f"{name}.json").write_text(json.dumps(value, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
            print(f"wrote {name}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
