"""Bank balances, planned flows, counterparties and exchange rates files: what their rows become in the store."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from forecasting.core.errors import InputError
from forecasting.store.database import Store
from tests.fixtures.ingest import new_store, rows, run_import, write_text


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Return an empty store."""
    return new_store(tmp_path / "cashpilot.duckdb")


def test_bank_balances_create_the_account_with_its_overdraft_limit(store: Store, tmp_path: Path) -> None:
    """Two balances of one account: one bank_accounts row (name, bank, overdraft), two balances."""
    path = write_text(tmp_path / "soldes.csv", (
        "Compte;Libellé compte;Banque;Date;Solde;Découvert autorisé\n"
        "FR76-0001;Compte courant;BNP;30/09/2026;-12 500,00;50 000,00\n"
        "FR76-0001;Compte courant;BNP;01/10/2026;8 250,75;50 000,00\n"
    ), encoding="cp1252")

    report = run_import(store, path, kind="bank-balances")

    ledger = store.read_ledger()
    assert (report.inserted, report.extra["accounts inserted"]) == (2, 1)
    account = rows(ledger.bank_accounts, "account_id")["FR76-0001"]
    assert (account["name"], account["bank"], account["currency"], account["overdraft_limit"]) == (
        "Compte courant", "BNP", "EUR", 50000.0)
    balances = {r["balance_date"]: r["balance"] for r in rows(ledger.bank_balances, "balance_date").values()}
    assert balances == {"2026-09-30": -12500.0, "2026-10-01": 8250.75}


def test_planned_flows_read_french_categories_and_recurrences(store: Store, tmp_path: Path) -> None:
    """'Salaires' is payroll, 'mensuel' monthly, an empty recurrence a one-off; outflows stay negative."""
    path = write_text(tmp_path / "flux.csv", (
        "Libellé;Catégorie;Montant;Date début;Périodicité;Date fin\n"
        "Paie;Salaires;-85 000,00;28/10/2026;mensuel;28/12/2027\n"
        "Loyer siège;Loyer;-6 000,00;01/11/2026;trimestriel;\n"
        "Solde IS;Impôts;-14 300,00;15/12/2026;;\n"
    ))

    report = run_import(store, path, kind="planned-flows")

    assert report.inserted == 3
    flows = rows(store.read_ledger().planned_flows, "label")
    assert (flows["Paie"]["category"], flows["Paie"]["recurrence"], flows["Paie"]["amount"]) == (
        "payroll", "monthly", -85000.0)
    assert (flows["Paie"]["first_date"], flows["Paie"]["end_date"]) == ("2026-10-28", "2027-12-28")
    assert (flows["Loyer siège"]["category"], flows["Loyer siège"]["recurrence"]) == ("rent", "quarterly")
    assert (flows["Solde IS"]["category"], flows["Solde IS"]["recurrence"]) == ("tax", "none")
    assert flows["Paie"]["flow_id"] == "Paie | 2026-10-28"


def test_counterparties_store_kind_and_canonical_terms(store: Store, tmp_path: Path) -> None:
    """'fournisseur' is a supplier; '45 jours fin de mois' is stored as '45 days end of month'."""
    path = write_text(tmp_path / "tiers.csv", (
        "Code;Type;Raison sociale;Conditions de paiement;Plafond\n"
        "C001;client;Dupont SA;45 jours fin de mois;20 000,00\n"
        "F001;fournisseur;Fournil SARL;30 jours net;\n"
        "C002;Client;Société Générale Bâtiment;à réception;\n"
    ))

    run_import(store, path, kind="counterparties")

    cps = rows(store.read_ledger().counterparties, "counterparty_id")
    assert (cps["C001"]["kind"], cps["C001"]["terms"], cps["C001"]["credit_limit"]) == (
        "client", "45 days end of month", 20000.0)
    assert (cps["F001"]["kind"], cps["F001"]["terms"], cps["F001"]["name"]) == ("supplier", "net 30", "Fournil SARL")
    assert (cps["C002"]["kind"], cps["C002"]["terms"]) == ("client", "on receipt")


def test_fx_rates_are_upserted_by_currency_and_date(store: Store, tmp_path: Path) -> None:
    """Rates with a decimal comma; a corrected rate the next day is an update."""
    run_import(store, write_text(tmp_path / "fx.csv", "Devise;Date;Cours\nUSD;02/03/2026;0,9215\nGBP;02/03/2026;1,17\n"),
               kind="fx-rates")

    report = run_import(store, write_text(tmp_path / "fx2.csv", "Devise;Date;Cours\nUSD;02/03/2026;0,9200\n"),
                        kind="fx-rates")

    assert (report.updated, report.inserted) == (1, 0)
    rates = {r["currency"]: r["rate"] for r in rows(store.read_ledger().fx_rates, "currency").values()}
    assert rates == {"USD": pytest.approx(0.92), "GBP": pytest.approx(1.17)}


@pytest.mark.parametrize("rate", ["inf", "-inf", "Infinity", "nan", "NaN"])
def test_a_rate_that_is_not_a_finite_number_is_refused(tmp_path: Path, rate: str) -> None:
    """'USD,2026-11-21,inf' was accepted: every forecast's JSON then held Infinity (issue 16)."""
    store = new_store(tmp_path / "fx.duckdb")
    path = write_text(tmp_path / "fx.csv", f"currency,rate_date,rate\nUSD,2026-11-21,{rate}\n")
    with pytest.raises(InputError, match=rf"row 2, column 'rate', value '{rate}': not a number"):
        run_import(store, path, kind="fx-rates")
    assert store.read_ledger().fx_rates.empty


def test_a_rate_of_a_million_euros_a_unit_or_more_is_refused(tmp_path: Path) -> None:
    store = new_store(tmp_path / "fx.duckdb")
    path = write_text(tmp_path / "fx.csv", "currency,rate_date,rate\nGBP,2026-11-21,1e308\nJPY,2026-11-21,0.0061\n")
    with pytest.raises(InputError, match=r"row 2, column 'rate', value '1e308': rate too large"):
        run_import(store, path, kind="fx-rates")


def test_a_nan_rate_in_parquet_is_refused(tmp_path: Path) -> None:
    """NaN in a Parquet float column silently dropped a currency."""
    store = new_store(tmp_path / "fx.duckdb")
    path = tmp_path / "fx.parquet"
    pd.DataFrame({"currency": ["USD", "JPY"], "rate_date": ["2026-11-21"] * 2, "rate": [float("nan"), 0.0061]}
                 ).to_parquet(path)
    with pytest.raises(InputError, match=r"row 2, column 'rate'"):
        run_import(store, path, kind="fx-rates")


@pytest.mark.parametrize("code", ["euro", "$$$", "E"])
def test_a_bank_balance_in_a_currency_that_is_not_a_code_is_refused(tmp_path: Path, code: str) -> None:
    """'euro' or '$$$' was accepted into bank balances, then every forecast failed converting them (issue 16)."""
    store = new_store(tmp_path / "bal.duckdb")
    path = write_text(tmp_path / "bal.csv", f"account_id,balance_date,balance,currency\nBNP,2026-11-20,1000,{code}\n")
    with pytest.raises(InputError, match=rf"row 2, column 'currency', value '{re.escape(code)}': not a currency code"):
        run_import(store, path, kind="bank-balances")
    assert store.read_ledger().bank_balances.empty


def test_a_bank_balance_in_a_currency_without_a_rate_is_refused_and_eur_in_lower_case_is_read(tmp_path: Path) -> None:
    store = new_store(tmp_path / "bal.duckdb")
    path = write_text(tmp_path / "bal.csv", "account_id,balance_date,balance,currency\nUS,2026-11-20,10,USD\n")
    with pytest.raises(InputError, match=r"value 'USD': no exchange rate for this currency: import fx-rates first"):
        run_import(store, path, kind="bank-balances")
    run_import(store, write_text(tmp_path / "eur.csv", "account_id,balance_date,balance,currency\nFR,2026-11-20,10,eur\n"),
               kind="bank-balances")
    assert store.read_ledger().bank_accounts["currency"].tolist() == ["EUR"]


def test_a_counterparty_currency_must_be_a_code_but_needs_no_rate(tmp_path: Path) -> None:
    store = new_store(tmp_path / "cp.duckdb")
    bad = write_text(tmp_path / "cp.csv", "counterparty_id,kind,name,currency\nC1,client,Acme,euro\n")
    with pytest.raises(InputError, match=r"row 2, column 'currency', value 'euro': not a currency code"):
        run_import(store, bad, kind="counterparties")
    run_import(store, write_text(tmp_path / "ok.csv", "counterparty_id,kind,name,currency\nC2,client,Beta,USD\n"),
               kind="counterparties")
    assert store.read_ledger().counterparties["currency"].tolist() == ["USD"]
