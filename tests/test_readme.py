"""The README documents every environment variable the code reads (a setting nobody can find is a defect)."""

from __future__ import annotations

import re

from tests.fixtures.demo import ROOT

SOURCES = ["forecasting", "pages", "tests/e2e", "app.py", "serve.py"]


def test_every_environment_variable_in_the_code_is_in_the_readme_table() -> None:
    used = set()
    for source in SOURCES:
        path = ROOT / source
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            used |= set(re.findall(r"CASHPILOT_[A-Z_]+", file.read_text(encoding="utf-8")))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `(CASHPILOT_[A-Z_]+)` \|", table, flags=re.MULTILINE))
    assert used >= {"CASHPILOT_DB", "CASHPILOT_LANG"}  # the scan finds what it should
    assert used <= documented, f"not in the README's table: {sorted(used - documented)}"
