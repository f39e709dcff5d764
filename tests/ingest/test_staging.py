"""An import's report line: every count, the extra ones too, agrees with its number in English and French."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forecasting.ingest import fec
from forecasting.ingest.bank import importer
from forecasting.ingest.staging import EXTRA_KEYS, ImportReport, extra_message

ROOT = Path(__file__).resolve().parents[2]


def _report(**extra: int) -> ImportReport:
    return ImportReport("ar.csv", "receivables", 2, 2, 0, 0, 0, dict(extra))


@pytest.mark.parametrize(("n", "english", "french"), [
    (1, "ar.csv: 2 rows read, 2 inserted, 0 updated, 0 unchanged, 0 rejected; 1 payment inserted; "
        "1 counterparty added",
     "ar.csv : 2 lignes lues, 2 ajoutées, 0 mise à jour, 0 inchangée, 0 rejetée; 1 règlement ajouté; 1 tiers ajouté"),
    (2, "ar.csv: 2 rows read, 2 inserted, 0 updated, 0 unchanged, 0 rejected; 2 payments inserted; "
        "2 counterparties added",
     "ar.csv : 2 lignes lues, 2 ajoutées, 0 mise à jour, 0 inchangée, 0 rejetée; 2 règlements ajoutés; "
     "2 tiers ajoutés"),
])
def test_extra_counts_agree_with_their_number(n: int, english: str, french: str) -> None:
    # issue 17: "1 counterparties added"; a zero count is left out, as before
    report = _report(**{"payments inserted": n, "payments removed": 0, "counterparties added": n})
    assert report.line("en") == english and report.summary() == english
    assert report.line("fr") == french


@pytest.mark.parametrize(("key", "one_en", "two_fr"), [
    ("statements read", "1 statement read", "2 relevés lus"),
    ("balances inserted", "1 balance inserted", "2 soldes ajoutés"),
    ("accounts created", "1 account created", "2 comptes créés"),
    ("receivables inserted", "1 client invoice inserted", "2 factures clients ajoutées"),
    ("payables inserted", "1 supplier invoice inserted", "2 factures fournisseurs ajoutées"),
])
def test_each_kind_of_extra_count_has_its_singular_and_plural(key: str, one_en: str, two_fr: str) -> None:
    assert extra_message(key, 1).in_language("en") == one_en
    assert extra_message(key, 1).in_language("fr").startswith("1 ")
    assert extra_message(key, 2).in_language("fr") == two_fr
    assert extra_message(key, 1250).in_language("fr").startswith("1\u202f250 ") or extra_message(
        key, 1250).in_language("fr").startswith("1\u00a0250 ")


def test_every_extra_count_the_importers_make_has_its_words() -> None:
    """The keys the importers write (literal in their code, or f"{kind} inserted" for the FEC's two invoice tables)."""
    sources = [ROOT / "forecasting" / "ingest" / name for name in ("kinds_invoices.py", "kinds_reference.py")]
    sources += [Path(importer.__file__), Path(fec.__file__)]
    found = set()
    for source in sources:
        found |= set(re.findall(r'"([a-z]+ (?:inserted|updated|removed|added|created|read))"', source.read_text()))
    found |= {"receivables inserted", "payables inserted"}
    assert found and found <= EXTRA_KEYS, found - EXTRA_KEYS


def test_an_unknown_extra_count_still_shows_its_number() -> None:
    assert extra_message("widgets polished", 3).in_language("en") == "3 widgets polished"
