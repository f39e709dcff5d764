"""The chart component (pages/widgets/chart.py): what each page sends it, the fallback, the vendored Plotly it draws with."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.offline
import pytest
from streamlit.testing.v1 import AppTest

from pages.server import chart_assets, serving
from pages.widgets import chart_bundle
from pages.widgets.chart import BASIC_TRACES, TOOLBAR_REMOVED, drawable_by_basic_bundle
from tests.fixtures.app import PAGES, run_page

FRONTEND = chart_bundle.FRONTEND


@pytest.fixture(autouse=True)
def served_as_before() -> Iterator[None]:
    """Leave where the charts' front end is served as each test found it."""
    before = chart_bundle.served_at()
    yield
    chart_bundle.serve_at(before)


@pytest.fixture
def served() -> str:
    """Act as serve.py does: the vendored Plotly is served, so the pages draw with the component."""
    chart_bundle.serve_at("/cashpilot-charts/")
    return "/cashpilot-charts/"


def _outlook(db: Path, language: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """Return the app after a run of its opening page (the Cash outlook) in `language`."""
    return run_page(db, language, PAGES[0], monkeypatch)


def _charts(at: AppTest) -> dict[str, dict[str, Any]]:
    """Return the data sent to every chart component on the page, by the chart's key."""
    out = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name == "cashpilot_chart":
            out[element.proto.id.rsplit("-", 1)[-1]] = json.loads(element.proto.json)
    return out


@pytest.mark.parametrize(("language", "first_trace", "failure"), [
    ("en", "Likely range (P10–P90)", "This chart could not be drawn"),
    ("fr", "Fourchette probable (P10–P90)", "Ce graphique n'a pas pu être dessiné"),
])
def test_the_outlook_sends_its_two_figures_to_the_component_in_the_chosen_language(
        language: str, first_trace: str, failure: str, demo_db: Path, served: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    at = _outlook(demo_db, language, monkeypatch)
    assert not at.exception, at.exception
    assert at.get("plotly_chart") == []  # Streamlit's chart element (the full Plotly bundle) is not used
    frames = _charts(at)
    assert list(frames) == ["outlook_chart", "flows_chart"]
    outlook = go.Figure(json.loads(frames["outlook_chart"]["spec"]))
    names = [trace.name for trace in outlook.data]
    assert first_trace in names
    assert {trace.type for trace in outlook.data} <= BASIC_TRACES
    assert frames["outlook_chart"]["height"] == outlook.layout.height == 430  # the frame is as tall as the figure
    assert outlook.layout.separators == {"en": ".,", "fr": ",\u00a0"}[language]
    assert frames["outlook_chart"]["locale"] == language  # the toolbar's tooltips in the page's language
    assert frames["outlook_chart"]["failure"] == failure
    assert frames["flows_chart"]["filename"] == "flows_chart"
    assert frames["flows_chart"]["assets"] == served  # where chart.js loads Plotly from
    # room reserved for the amounts' labels, the axis title and the legend below (forecasting/reports/charts/margins.py)
    # (1,xxx,xxx: 9 characters x 5.6 + 17 + 12 + 4 px; at the figure's foot, under the weeks' labels (26 px) and
    # their title (12 + 4) with 4 px of slack, one legend row of 29 px: 75)
    assert frames["outlook_chart"]["margin"] == {"l": 84, "b": 75}


def test_without_serve_py_the_pages_draw_with_streamlits_chart_element(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart_bundle.serve_at(None)  # `streamlit run app.py`: nothing serves the bundle
    at = _outlook(demo_db, "en", monkeypatch)
    assert not at.exception, at.exception
    assert _charts(at) == {}
    elements = at.get("plotly_chart")
    assert len(elements) == 2
    # the same toolbar as the component's: no "Share chart..." upload to Plotly Cloud, no logo, PNG named by the chart
    config = json.loads(elements[0].proto.config)
    assert config["showSendToCloud"] is False and config["displaylogo"] is False
    assert config["toImageButtonOptions"] == {"filename": "outlook_chart", "scale": 2}
    assert set(config["modeBarButtonsToRemove"]) == {"select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d"}


def test_the_fallbacks_toolbar_is_the_components() -> None:
    script = chart_bundle.CHART_JS
    removed = re.search(r"const TOOLBAR_REMOVED = \[([^\]]*)\]", script)
    assert removed is not None
    assert tuple(re.findall(r'"([^"]+)"', removed.group(1))) == TOOLBAR_REMOVED


def _two_charts() -> None:
    """A page with a bar chart (basic bundle) and a heatmap (not in it)."""
    import plotly.graph_objects as go

    from pages.widgets.chart import show_chart

    show_chart(go.Figure(go.Bar(x=[1, 2], y=[3, 4])), key="bars")
    show_chart(go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])), key="heat")


def test_a_figure_the_basic_bundle_cannot_draw_goes_to_streamlits_chart_element(served: str) -> None:
    at = AppTest.from_function(_two_charts).run()
    assert not at.exception, at.exception
    assert list(_charts(at)) == ["bars"]
    assert len(at.get("plotly_chart")) == 1


def test_drawable_by_basic_bundle_reads_every_trace() -> None:
    assert drawable_by_basic_bundle(go.Figure([go.Scatter(y=[1]), go.Bar(y=[1]), go.Pie(values=[1])]))
    assert drawable_by_basic_bundle(go.Figure())
    assert not drawable_by_basic_bundle(go.Figure([go.Scatter(y=[1]), go.Waterfall(y=[1])]))


def test_the_vendored_plotly_is_the_version_the_python_figures_are_written_for() -> None:
    header = (FRONTEND / "plotly-basic.min.js").read_text(encoding="utf-8")[:300]
    version = re.search(r"plotly\.js \(basic - minified\) v(\d+\.\d+\.\d+)", header)
    assert version is not None, header
    # the same minor version as the one the Python figures are written for (a patch release only fixes bugs)
    assert version.group(1).split(".")[:2] == plotly.offline.get_plotlyjs_version().split(".")[:2]  # README
    assert "MIT License" in (FRONTEND / "LICENSE-plotly.js.txt").read_text(encoding="utf-8")
    assert 'name:"fr"' in (FRONTEND / "plotly-locale-fr.js").read_text(encoding="utf-8")


def test_the_route_serves_the_bundle_under_streamlits_base_url_path(monkeypatch: pytest.MonkeyPatch) -> None:
    chart_bundle.serve_at(None)
    monkeypatch.setattr(serving.st, "get_option", lambda name: "/dash/" if name == "server.baseUrlPath" else None)
    mount = chart_assets.route()
    assert mount.path == "/dash/cashpilot-charts"
    assert chart_bundle.served_at() == "/dash/cashpilot-charts/"  # recorded for the charts (pages/widgets/chart.py)
    loaded = re.findall(r'assets \+ "([^"]+)"', chart_bundle.CHART_JS)  # the files chart.js loads
    assert loaded == ["plotly-basic.min.js", "plotly-locale-fr.js"] == list(chart_bundle.BUNDLE)
    assert all((FRONTEND / script).is_file() for script in loaded)
    # what the page's HTML asks the browser to fetch early (pages/server/serving.py): the same files, same urls
    assert chart_bundle.preload_urls() == ["/dash/cashpilot-charts/plotly-basic.min.js",
                                           "/dash/cashpilot-charts/plotly-locale-fr.js"]


def test_nothing_is_preloaded_when_nothing_serves_the_bundle() -> None:
    chart_bundle.serve_at(None)
    assert chart_bundle.preload_urls() == []
