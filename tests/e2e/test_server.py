"""A real Streamlit server on the demo company answers its health check (what `make run` starts)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pages.server import streamlit_internals
from tests.fixtures.demo import ROOT

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_dashboard_server_serves_the_demo_company(demo_db: Path) -> None:
    port = _free_port()
    env = {**os.environ, "CASHPILOT_DB": str(demo_db)}
    cmd = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port),
           "--server.headless", "true", "--server.address", "127.0.0.1"]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert body == "ok"
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
        server.terminate()
        server.wait(timeout=20)


def test_make_run_loads_the_demo_only_on_first_run(tmp_path: Path) -> None:
    db = tmp_path / "first.duckdb"
    cli = [sys.executable, "-m", "forecasting.cli.main", "--db", str(db), "demo", "--if-empty", "--scale", "0.2"]
    first = subprocess.run(cli, capture_output=True, text=True, check=True)
    assert "demo company loaded" in first.stdout
    again = subprocess.run(cli, capture_output=True, text=True, check=True)
    assert "already holds data" in again.stdout
