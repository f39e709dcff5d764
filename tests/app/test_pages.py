"""AppTest: every page of the dashboard renders on the demo company and on an empty database."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from forecasting.cli.main import main
from forecasting.i18n.formats import fmt_money
from forecasting.ingest.templates import template_csv
from tests.fixtures.app import PAGES as NAVIGATION
from tests.fixtures.app import app_on
from tests.fixtures.demo import DEMO_TODAY, ROOT

PAGES = ["pages/outlook.py", "pages/whatif.py", "pages/receivables.py", "pages/payables.py", "pages/accuracy.py",
         "pages/reconciliation.py", "pages/forecast_vs_actual.py", "pages/home.py", "pages/data.py"]


def test_home_page_shows_the_demo_figures(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(demo_db, monkeypatch).run()
    at.switch_page("pages/home.py").run()
    assert not at.exception
    assert at.title[0].value == "cashpilot"
    labels = [m.label for m in at.metric]
    assert "Opening cash" in labels and "Open receivables" in labels  # the outlook's and Receivables' names
    receivables = next(m for m in at.metric if m.label == "Open receivables")
    assert receivables.value.startswith("€") and receivables.value != "€0"  # English: €1,992,467
    loaded = at.dataframe[0].value.set_index("table")  # what is loaded
    assert loaded.loc["fx_rates", "from"] < loaded.loc["fx_rates", "to"] == "2026-11-23"  # English: ISO dates
    assert loaded.loc["counterparties", "from"] == "—"  # a table without dates shows a dash, never 'None'


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(page: str, demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(demo_db, monkeypatch).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_on_an_empty_database(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(tmp_path / "empty.duckdb", monkeypatch).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception


def test_data_page_lists_the_accepted_fields_of_the_chosen_kind(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(demo_db, monkeypatch).run()
    at.switch_page("pages/data.py").run()
    at.selectbox(key="import_kind").set_value("bank-balances").run()
    assert not at.exception
    fields_table = at.dataframe[-1].value
    assert "Authorised overdraft" in set(fields_table["field"])  # named, not by its id (overdraft_limit)
    assert not any("_" in name for name in fields_table["field"]), fields_table["field"].tolist()


def test_pages_holds_the_page_scripts_only_and_each_is_in_the_navigation() -> None:
    scripts = sorted(f"pages/{m.name}" for m in (ROOT / "pages").glob("*.py") if m.name != "__init__.py")
    assert scripts == sorted(NAVIGATION)  # shared widgets and server plumbing live in pages/widgets and pages/server


def test_cash_outlook_is_the_home_page_with_13_weeks_and_the_lowest_point(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(demo_db, monkeypatch).run()
    assert not at.exception
    assert at.title[0].value == "Cash outlook"
    labels = [m.label for m in at.metric]
    assert {"Opening cash", "Net cash at horizon", "Lowest point", "Expected bad debt"} <= set(labels)
    shown = {m.label: m.delta for m in at.metric}  # the statistic, under the value (issue 17)
    assert shown["Net cash at horizon"] == "expected" and re.fullmatch(r"expected, on \d{4}-\d\d-\d\d",
                                                                      shown["Lowest point"])
    header, rule, *weeks = _weekly_rows(at)
    assert len(weeks) == 13
    assert header == ["Week of", "Receipts", "Disbursements", "Net flow", "Closing (expected)", "Closing P10",
                      "Closing P90"]
    assert rule == ["---", "---:", "---:", "---:", "---:", "---:", "---:"]  # amounts aligned right
    assert weeks[0][0] == "2026-11-23"
    assert all(re.fullmatch(r"−?\d{1,3}(,\d{3})*", amount) for week in weeks for amount in week[1:]), weeks


def _weekly_rows(at: AppTest) -> list[list[str]]:
    """Return the cells of the outlook's week-by-week table (a markdown table), header and rule rows first."""
    table = next(m.value for m in at.markdown if m.value.startswith("| "))
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in table.splitlines()]


def test_cash_outlook_horizon_selector_extends_the_table(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(demo_db, monkeypatch).run()
    at.session_state["horizon_weeks"] = 26
    at.run()
    assert not at.exception
    assert len(_weekly_rows(at)) == 2 + 26


FRENCH_CSV = (
    "N° facture;Client;Date facture;Date d'échéance;Montant TTC;En litige\n"
    "F001;Café Noël;15/01/2026;14/02/2026;1 234,56;Non\n"
    "F002;Café Noël;20/01/2026;19/03/2026;2.000,00;Oui\n"
).encode("cp1252")


def test_data_page_uploads_previews_and_imports_a_french_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(tmp_path / "up.duckdb", monkeypatch).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="import_file").upload("factures.csv", FRENCH_CSV, "text/csv")
    at.run()
    assert not at.exception
    assert at.selectbox(key="map_receivables_due_date").value == "Date d'échéance"
    assert at.selectbox(key="map_receivables_amount").value == "Montant TTC"
    at.button(key="import_go").click().run()
    assert not at.exception
    assert "2 rows read, 2 inserted" in at.success[0].value
    history = at.dataframe[-2].value
    assert history["file_name"].iloc[0] == "factures.csv" and history["rows_inserted"].iloc[0] == 2


def test_data_page_shows_row_errors_and_imports_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = FRENCH_CSV.replace(b"14/02/2026", b"31/02/2026")
    at = app_on(tmp_path / "bad.duckdb", monkeypatch).run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="import_file").upload("factures.csv", bad, "text/csv")
    at.run()
    at.button(key="import_go").click().run()
    assert not at.exception
    assert "nothing was imported" in at.error[0].value
    errors = at.dataframe[1].value
    assert errors.iloc[0]["row"] == 2 and errors.iloc[0]["value"] == "31/02/2026"
    assert "that month has no such day" in errors.iloc[0]["reason"]  # 31 February: written right, no such day


def test_forecast_accuracy_page_shows_both_sides_against_the_baselines(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(demo_db, monkeypatch).run()
    at.switch_page("pages/accuracy.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Forecast accuracy"
    trust, one_date = at.tabs
    assert (trust.label, one_date.label) == ("How far to trust it", "One date in detail")
    # the latest full horizon (Mon 24 Aug) starts a week: proposed from the Sunday before, so every week is whole
    assert at.date_input(key="accuracy_as_of").value == DEMO_TODAY - timedelta(weeks=13, days=1)
    assert [h.value for h in one_date.subheader] == ["Receivables: client receipts", "Payables: supplier payments"]
    methods = ["cashpilot (learned delays)", "Paid on the due date", "Client's median delay",
               "Client's mean delay + dispute effect", "Everyone's median delay"]
    receipts, receipt_weeks, supplier, supplier_weeks = (d.value for d in one_date.dataframe)
    assert list(receipts["Method"]) == methods and list(supplier["Method"]) == methods
    assert len(receipt_weeks) == len(supplier_weeks) == 13
    captions = " ".join(c.value for c in one_date.caption)
    assert "still unpaid where the data ends" in captions and "after P90" in captions
    assert "Closing cash on " in captions
    metrics = {m.label: m.value for m in one_date.metric}
    assert metrics["Payment date error (MAE)"].endswith("days") and "Closing cash error" in metrics
    at.segmented_control(key="accuracy_weeks").set_value(26).run()
    assert not at.exception
    assert len(at.tabs[1].dataframe[1].value) == 26


def test_the_dashboard_warns_of_clients_over_their_credit_limit(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """app.py draws the alerts above the page (AppTest runs app.py for the first page only; the browser tests
    check the banner on the other pages)."""
    at = app_on(demo_db, monkeypatch).run()
    [banner] = [w.value for w in at.warning if "over their credit limit" in w.value]
    # a handful since issue 17 (it was 72 of 300 with limits at two months of sales whatever the terms)
    assert banner.startswith("5 clients over their credit limit: ") and banner.endswith("and 2 more (see Receivables)")


def test_data_page_offers_the_template_of_the_chosen_kind_and_imports_it(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(tmp_path / "tpl.duckdb", monkeypatch).run()
    at.switch_page("pages/data.py").run()
    at.selectbox(key="import_kind").set_value("counterparties").run()
    buttons = [b for b in at.get("download_button") if b.proto.label == "Download a template (CSV)"]
    assert len(buttons) == 1 and not at.exception
    at.file_uploader(key="import_file").upload("counterparties.csv", template_csv("counterparties", "en"),
                                               "text/csv")
    at.run()
    at.button(key="import_go").click().run()
    assert not at.exception
    assert "4 rows read, 4 inserted" in at.success[0].value


def test_each_headline_figure_has_one_name_and_value_on_every_page(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # issue 17: net cash at horizon was €932,009 on What-if and €917,951 on the outlook (expected vs median), open
    # receivables €2,110,076 on Overview and €2,107,196 on Receivables (USD and GBP invoices added as euros)
    assert main(["--db", str(demo_db), "forecast", "--as-of", DEMO_TODAY.isoformat(), "--format", "json"]) == 0
    figures = json.loads(capsys.readouterr().out)["figures"]

    tile_names = {"net_cash_at_horizon": "Net cash at horizon", "lowest_point": "Lowest point"}  # label less statistic

    def shown(at: AppTest, *keys: str) -> dict[str, str]:
        metrics = {m.label: m.value for m in at.metric}
        return {key: metrics[tile_names.get(key, figures[key]["label"])] for key in keys}

    def cli(*keys: str) -> dict[str, str]:
        return {key: fmt_money(figures[key]["value"], "en") for key in keys}

    at = app_on(demo_db, monkeypatch).run()  # the Cash outlook
    cash = ("opening_cash", "net_cash_at_horizon", "lowest_point", "expected_bad_debt")
    assert shown(at, *cash) == cli(*cash)
    at.switch_page("pages/home.py").run()
    ledger = ("opening_cash", "open_receivables", "overdue_receivables", "open_payables")
    assert shown(at, *ledger) == cli(*ledger)
    at.switch_page("pages/receivables.py").run()
    assert shown(at, "open_receivables", "overdue_receivables") == cli("open_receivables", "overdue_receivables")
    at.switch_page("pages/whatif.py").run()  # no lever: the baseline
    assert not at.exception, at.exception
    assert shown(at, "net_cash_at_horizon", "lowest_point") == cli("net_cash_at_horizon", "lowest_point")
