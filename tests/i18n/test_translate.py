"""Labels and messages written per language."""

from __future__ import annotations

import pytest

from forecasting.i18n import translate as i18n
from forecasting.i18n.formats import NBSP
from forecasting.i18n.translate import tr


@pytest.mark.parametrize(("tag", "lang"), [("fr", "fr"), ("FR_fr.UTF-8", "fr"), ("en_GB", "en"), ("de", "en"), ("", "en")])
def test_language_tags_are_normalised(tag: str, lang: str) -> None:
    assert i18n.normalise_language(tag) == lang


def test_default_language_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASHPILOT_LANG", "fr")
    assert i18n.default_language() == "fr"
    monkeypatch.delenv("CASHPILOT_LANG")
    assert i18n.default_language() == "en"


def test_a_text_missing_from_the_french_catalog_is_shown_in_english_and_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n.FR, "Lowest point on {day}", "Point bas le {day}")
    i18n.reset_missing()
    assert tr("Lowest point on {day}", "fr", day="31/12/2026") == "Point bas le 31/12/2026"
    assert tr("Lowest point on {day}", "en", day="2026-12-31") == "Lowest point on 2026-12-31"
    assert tr("Not in the catalog", "fr") == "Not in the catalog"
    assert i18n.missing_translations() == {"Not in the catalog"}
    i18n.reset_missing()
    assert i18n.missing_translations() == set()


def test_the_french_catalogs_agree_where_they_share_a_text() -> None:
    from forecasting.i18n.fr_cli import FR_CLI
    from forecasting.i18n.fr_exports import FR_EXPORTS
    from forecasting.i18n.fr_lead import FR_LEAD
    from forecasting.i18n.fr_pages import FR_PAGES

    seen: dict[str, str] = {}
    for catalog in (FR_PAGES, FR_EXPORTS, FR_CLI, FR_LEAD):
        for english, french in catalog.items():
            assert seen.setdefault(english, french) == french, f"{english!r}: {seen[english]!r} or {french!r}?"


def test_a_library_message_is_english_text_and_can_be_written_in_french() -> None:
    import json
    import pickle

    from forecasting.i18n.translate import Day, Message, Percent, localise

    msg = Message("early_payment_discount: {discount}/{days} net {net} costs {rate} a year on the cash brought forward",
                  discount=Percent(0.02), days=10, net=30, rate=Percent(0.3724))
    assert msg == "early_payment_discount: 2.0%/10 net 30 costs 37.2% a year on the cash brought forward"
    assert json.dumps([msg]) == json.dumps([str(msg)])  # JSON and the CLI see plain English
    assert localise(msg, "fr") == (f"escompte pour paiement anticipé : 2,0{NBSP}%/10 net 30 coûte 37,2{NBSP}% par an "
                                   "sur la trésorerie avancée")
    assert pickle.loads(pickle.dumps(msg)).in_language("fr") == localise(msg, "fr")  # Streamlit's caches pickle
    flow = Message("one_off_flow '{label}' on {day} is outside the horizon ({first} to {last})", label="Capex",
                   day=Day("2027-06-30"), first=Day("2026-11-24"), last=Day("2027-02-21"))
    assert flow == "one_off_flow 'Capex' on 2027-06-30 is outside the horizon (2026-11-24 to 2027-02-21)"
    assert localise(flow, "fr") == "flux ponctuel « Capex » du 30/06/2027 hors de l'horizon (du 24/11/2026 au 21/02/2027)"
    assert localise("plain text", "fr") == "plain text"
