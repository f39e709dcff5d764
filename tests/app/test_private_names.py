"""No module of the dashboard (pages/, app.py, serve.py) reaches into another module's private names.

A name with a leading underscore is its module's own business: what another module needs gets a public name (the
warm-up reads the pages' caches through common.ledger_at/projection_at and banner.credit_alerts_at). `_`, the
translation function, is public by convention. Private names of Streamlit and asyncio are used by
pages/server/streamlit_internals.py alone (test_streamlit_internals.py), never a dashboard module's.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.fixtures.demo import ROOT

INTERNALS = ROOT / "pages" / "server" / "streamlit_internals.py"


def _is_private(name: str) -> bool:
    """Return whether `name` is private: a leading underscore, not `_` itself, not a dunder."""
    return name.startswith("_") and name != "_" and not (name.startswith("__") and name.endswith("__"))


def _private_uses(tree: ast.AST, may_use_libraries: bool) -> Iterator[tuple[int, str]]:
    """Yield (line, text) for each private name of another module that a module's syntax tree imports or reads."""
    modules: dict[str, str] = {}  # local name -> the module it was imported as
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update({a.asname or a.name.split(".")[0]: a.name if a.asname else a.name.split(".")[0]
                            for a in node.names})
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                if _is_private(a.name) and not (may_use_libraries and node.module.split(".")[0] != "pages"):
                    yield node.lineno, f"from {node.module} import {a.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _is_private(node.attr):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            module = modules.get(root.id) if isinstance(root, ast.Name) else None
            if module is not None and not (may_use_libraries and module.split(".")[0] != "pages"):
                yield node.lineno, ast.unparse(node)


def _files() -> list[Path]:
    """Return the dashboard's Python files."""
    return [*sorted((ROOT / "pages").rglob("*.py")), ROOT / "app.py", ROOT / "serve.py"]


def test_no_module_uses_another_modules_private_names() -> None:
    found = [f"{file.relative_to(ROOT)}:{line} {text}" for file in _files()
             for line, text in _private_uses(ast.parse(file.read_text(encoding="utf-8")), file == INTERNALS)]
    assert found == [], ("private names used from another module: give what is needed a public name in its module "
                         "(Streamlit's or asyncio's: pages/server/streamlit_internals.py):\n" + "\n".join(found))


def test_the_check_finds_what_it_looks_for() -> None:
    source = ("import pages.widgets.common as common\nfrom pages.widgets.banner import _credit_alerts\n"
              "import asyncio.base_events\nfrom pages.widgets.common import _, get_store\n"
              "common._ledger('a', (1, 2, 3))\nasyncio.base_events._set_nodelay = None\nself._paths = {}\n")
    assert sorted(_private_uses(ast.parse(source), may_use_libraries=False)) == [
        (2, "from pages.widgets.banner import _credit_alerts"), (5, "common._ledger"),
        (6, "asyncio.base_events._set_nodelay")]
    assert sorted(_private_uses(ast.parse(source), may_use_libraries=True)) == [
        (2, "from pages.widgets.banner import _credit_alerts"), (5, "common._ledger")]
