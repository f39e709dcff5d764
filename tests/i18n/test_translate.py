"""Labels and messages in French and English: the gettext catalog, counted texts, messages built by the library."""

from __future__ import annotations

import json
import pickle
import tomllib

import pytest

from forecasting.i18n import translate as i18n
from forecasting.i18n.catalog import LOCALE_DIR, catalog, catalog_ids, catalog_pairs, po_path
from forecasting.i18n.translate import CountedMessage, Day, Message, Percent, localise, tr, trn
from tests.fixtures.demo import ROOT

NBSP = "\u00a0"


@pytest.mark.parametrize(("tag", "lang"), [("fr", "fr"), ("FR_fr.UTF-8", "fr"), ("en_GB", "en"), ("de", "en"), ("", "en")])
def test_language_tags_are_normalised(tag: str, lang: str) -> None:
    assert i18n.normalise_language(tag) == lang


def test_default_language_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASHPILOT_LANG", "fr")
    assert i18n.default_language() == "fr"
    monkeypatch.delenv("CASHPILOT_LANG")
    assert i18n.default_language() == "en"


def test_a_text_is_translated_and_a_text_missing_from_the_catalog_is_shown_in_english_and_recorded() -> None:
    i18n.reset_missing()
    assert tr("Open receivables past their due date on {as_of}", "fr", as_of="31/12/2026") == \
        "Créances ouvertes échues au 31/12/2026"
    assert tr("Open receivables past their due date on {as_of}", "en", as_of="2026-12-31") == \
        "Open receivables past their due date on 2026-12-31"
    assert tr("Not in the catalog", "fr") == "Not in the catalog"
    assert trn("{n} thing not in the catalog", "{n} things not in the catalog", 2, "fr") == \
        "2 things not in the catalog"
    assert tr("Not asked in French", "en") == "Not asked in French"
    assert i18n.missing_translations() == {"Not in the catalog", "{n} thing not in the catalog"}
    i18n.reset_missing()
    assert i18n.missing_translations() == set()


def test_an_empty_text_stays_empty() -> None:
    assert tr("", "fr") == localise("", "fr") == ""  # gettext("") would be the catalog's header


@pytest.mark.parametrize(("n", "french", "english"), [
    (0, "0 ligne a été écartée.", "0 rows were set aside."),  # French takes the singular for 0, English the plural
    (1, "1 ligne a été écartée.", "1 row was set aside."),
    (2, "2 lignes ont été écartées.", "2 rows were set aside."),
    (1234, f"1{NBSP}234 lignes ont été écartées.", "1,234 rows were set aside."),  # n written the language's way
])
def test_a_counted_text_takes_the_form_of_its_number(n: int, french: str, english: str) -> None:
    singular, plural = "{n} row was set aside.", "{n} rows were set aside."
    assert trn(singular, plural, n, "fr") == french
    assert trn(singular, plural, n, "en") == english


def test_a_counted_text_with_its_number_given_or_missing() -> None:
    singular, plural = "{n} rejected row written to {path}", "{n} rejected rows written to {path}"
    assert trn(singular, plural, 1, "fr", path="r.csv") == "1 ligne rejetée écrite dans r.csv"
    assert trn(singular, plural, 1234, "en", n="1234", path="r.csv") == "1234 rejected rows written to r.csv"
    assert trn(singular, plural, float("nan"), "fr", path="r.csv") == "— lignes rejetées écrites dans r.csv"


def test_the_credit_limit_alert_needs_no_special_case_for_one_client() -> None:
    singular, plural = "{n} client over its credit limit: {named}", "{n} clients over their credit limit: {named}"
    assert trn(singular, plural, 1, "en", named="Acme") == "1 client over its credit limit: Acme"
    assert trn(singular, plural, 3, "fr", named="Acme") == "3 clients au-delà de leur limite de crédit : Acme"


def test_the_catalog_is_the_po_file_read_without_a_build_step() -> None:
    french = catalog("fr")
    assert french is not None and french.num_plurals == 2 and french.plural_expr == "(n > 1)"
    assert catalog("en") is None  # English is the source text
    assert list(LOCALE_DIR.rglob("*.mo")) == []  # nothing compiled is committed or needed
    assert len(catalog_ids()) > 700 and "Cash outlook" in catalog_ids()
    assert ("{n} rows were set aside.", "{n} lignes ont été écartées.") in catalog_pairs()
    assert ("{n} row was set aside.", "{n} ligne a été écartée.") in catalog_pairs()


def test_the_catalog_is_shipped_with_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["setuptools"]["package-data"]["forecasting.i18n"]
    package = ROOT / "forecasting" / "i18n"
    assert any(po_path("fr").relative_to(package).match(pattern) for pattern in shipped)


def test_a_library_message_is_english_text_and_can_be_written_in_french() -> None:
    msg = Message("Early-payment discount: {discount}/{days} net {net} costs {rate} a year on the cash brought forward",
                  discount=Percent(0.02), days=10, net=30, rate=Percent(0.3724))
    assert msg == "Early-payment discount: 2.0%/10 net 30 costs 37.2% a year on the cash brought forward"
    assert json.dumps([msg]) == json.dumps([str(msg)])  # JSON and the CLI see plain English
    assert localise(msg, "fr") == (f"Escompte pour paiement anticipé : 2,0{NBSP}%/10 net 30 coûte 37,2{NBSP}% par an "
                                   "sur la trésorerie avancée")
    assert pickle.loads(pickle.dumps(msg)).in_language("fr") == localise(msg, "fr")  # Streamlit's caches pickle
    flow = Message("One-off flow '{label}' on {day} is outside the horizon ({first} to {last})", label="Capex",
                   day=Day("2027-06-30"), first=Day("2026-11-24"), last=Day("2027-02-21"))
    assert flow == "One-off flow 'Capex' on 2027-06-30 is outside the horizon (2026-11-24 to 2027-02-21)"
    assert localise(flow, "fr") == "Flux ponctuel « Capex » du 30/06/2027 hors de l'horizon (du 24/11/2026 au 21/02/2027)"
    assert localise("plain text", "fr") == "plain text"


def test_a_counted_message_takes_the_form_of_its_count_in_each_language() -> None:
    def read(n: int) -> CountedMessage:
        return CountedMessage("{n} row read", "{n} rows read", n)

    assert [str(read(n)) for n in (0, 1, 2, 1250)] == ["0 rows read", "1 row read", "2 rows read", "1,250 rows read"]
    # French takes the singular for 0 and 1 (Plural-Forms: n > 1), and writes a thin space in thousands
    assert [localise(read(n), "fr") for n in (0, 1, 2, 1250)] == [
        "0 ligne lue", "1 ligne lue", "2 lignes lues", f"1{NBSP}250 lignes lues"]
    warning = CountedMessage("{n} supplier beyond the cap ({name})", "{n} suppliers beyond the cap (e.g. {name})", 1,
                             name="Durand")
    assert warning == "1 supplier beyond the cap (Durand)"
    assert pickle.loads(pickle.dumps(warning)) == warning  # Streamlit's caches pickle
    assert pickle.loads(pickle.dumps(read(2))).in_language("fr") == "2 lignes lues"


def test_a_text_from_data_is_translated_but_not_recorded_when_missing() -> None:
    i18n.reset_missing()
    assert localise("payroll", "fr") != "payroll"
    assert localise("a client's own name", "fr") == "a client's own name"
    assert i18n.missing_translations() == set()
