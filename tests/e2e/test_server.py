"""A real Streamlit server on the demo company answers its health check (what `make run` starts)."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from pages.server import streamlit_internals
from tests.e2e import browser

pytestmark = pytest.mark.e2e


def test_dashboard_server_serves_the_demo_company(demo_db: Path) -> None:
    port = browser.free_port()
    server = browser.start_server(demo_db, port)
    try:
        browser.wait_healthy(server, port, timeout_s=60)  # raises unless /_stcore/health answers "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            html = r.read().decode()
            assert r.status == 200 and "<html" in html.lower()
            # the page names the charts' Plotly bundle, for the browser to fetch while the front end starts
            assert "</cashpilot-charts/plotly-basic.min.js>; rel=preload; as=script" in r.headers["link"]
        # Streamlit's front end, answered from memory (pages/server/serving.py) with Streamlit's headers
        entry = re.search(r'src="\./(static/js/index\.[^"]+\.js)"', html)
        assert entry is not None, html[:2000]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{entry.group(1)}", timeout=5) as r:
            assert r.status == 200 and "javascript" in r.headers["content-type"]
            assert r.headers["cache-control"] == "public, immutable, max-age=31536000"
            assert r.read() == (streamlit_internals.FRONT_END_FILES.parent / entry.group(1)).read_bytes()
        # the Plotly bundle the charts are drawn with (pages/server/chart_assets.py), served by serve.py itself
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/cashpilot-charts/plotly-basic.min.js", timeout=5) as r:
            assert r.status == 200 and "javascript" in r.headers["content-type"]
            assert b"plotly.js (basic - minified) v" in r.read(300)
    finally:
        browser.stop_server(server)


def test_make_run_loads_the_demo_only_on_first_run(tmp_path: Path) -> None:
    db = tmp_path / "first.duckdb"
    cli = [sys.executable, "-m", "forecasting.cli.main", "--db", str(db), "demo", "--if-empty", "--scale", "0.2"]
    first = subprocess.run(cli, capture_output=True, text=True, check=True)
    assert "demo company loaded" in first.stdout
    again = subprocess.run(cli, capture_output=True, text=True, check=True)
    assert "already holds data" in again.stdout
