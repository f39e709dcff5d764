"""The other kinds of file: bank balances, planned flows, counterparties, exchange rates, payments."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.store.database import Store
from tests.fixtures.ingest import invoices_by_id, new_store, rows, run_import, write_text


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


def test_invoice_without_due_date_takes_its_client_terms(store: Store, tmp_path: Path) -> None:
    """Client on 45 days end of month, invoice of 10 Jan 2026: due 28 Feb 2026 (10 Jan + 45 = 24 Feb, month end)."""
    run_import(store, write_text(tmp_path / "tiers.csv", "code;type;terms\nC001;client;45 jours fin de mois\n"),
               kind="counterparties")

    run_import(store, write_text(tmp_path / "ar.csv", "invoice;client code;date;amount\nI-1;C001;10/01/2026;100\n"))

    inv = invoices_by_id(store)["I-1"]
    assert (inv["due_date"], inv["terms"]) == ("2026-02-28", "45 days end of month")


def test_fx_rates_are_upserted_by_currency_and_date(store: Store, tmp_path: Path) -> None:
    """Rates with a decimal comma; a corrected rate the next day is an update."""
    run_import(store, write_text(tmp_path / "fx.csv", "Devise;Date;Cours\nUSD;02/03/2026;0,9215\nGBP;02/03/2026;1,17\n"),
               kind="fx-rates")

    report = run_import(store, write_text(tmp_path / "fx2.csv", "Devise;Date;Cours\nUSD;02/03/2026;0,9200\n"),
                        kind="fx-rates")

    assert (report.updated, report.inserted) == (1, 0)
    rates = {r["currency"]: r["rate"] for r in rows(store.read_ledger().fx_rates, "currency").values()}
    assert rates == {"USD": pytest.approx(0.92), "GBP": pytest.approx(1.17)}


def test_payments_file_pays_an_invoice_when_covered_and_leaves_a_partial_one_open(store: Store,
                                                                                  tmp_path: Path) -> None:
    """I-1 (1 000) paid 400 + 600: paid; I-2 (500) paid 200: open; same date and amount twice are two payments."""
    run_import(store, write_text(tmp_path / "ar.csv", (
        "invoice_id,customer,issue_date,due_date,amount\n"
        "I-1,Acme,2026-03-02,2026-04-01,1000.00\nI-2,Acme,2026-03-02,2026-04-01,500.00\n"
    )))

    report = run_import(store, write_text(tmp_path / "pay.csv", (
        "invoice_id,payment date,paid amount\n"
        "I-1,2026-04-01,400.00\nI-1,2026-04-15,600.00\nI-2,2026-04-20,100.00\nI-2,2026-04-20,100.00\n"
    )), kind="payments")

    assert report.inserted == 4
    inv = invoices_by_id(store)
    assert {k: v["status"] for k, v in inv.items()} == {"I-1": "paid", "I-2": "open"}
    paid = store.read_ledger().payments.groupby("invoice_id")["amount"].sum().to_dict()
    assert paid == {"I-1": 1000.0, "I-2": 200.0}


def test_payments_file_reimported_adds_nothing(store: Store, tmp_path: Path) -> None:
    """Payments without ids are keyed by invoice, date, amount and occurrence: a re-import is all unchanged."""
    run_import(store, write_text(tmp_path / "ar.csv", "invoice_id,customer,issue_date,amount,due_date\n"
                                                      "I-2,Acme,2026-03-02,500.00,2026-04-01\n"))
    pay = write_text(tmp_path / "pay.csv", "invoice_id,payment date,paid amount\n"
                                           "I-2,2026-04-20,100.00\nI-2,2026-04-20,100.00\n")
    run_import(store, pay, kind="payments")

    report = run_import(store, pay, kind="payments")

    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 2)


def test_supplier_payments_settle_payables(store: Store, tmp_path: Path) -> None:
    """A payment with side 'fournisseur' pays the supplier invoice of that number."""
    run_import(store, write_text(tmp_path / "ap.csv", "facture;fournisseur;date facture;echeance;montant\n"
                                                      "A-7;Fournil;05/01/2026;04/02/2026;360,00\n"), kind="payables")

    run_import(store, write_text(tmp_path / "pay.csv", "facture;date reglement;montant;sens\nA-7;31/01/2026;360,00;fournisseur\n"),
               kind="payments")

    assert invoices_by_id(store, "payables")["A-7"]["status"] == "paid"


def test_ids_built_from_dates_keep_strftime_text_for_every_date() -> None:
    """Payment and flow ids embed dates as text: the cheaper cast must give strftime's text, before year 1 too."""
    import duckdb

    from forecasting.ingest.sqlexpr import iso_date_text

    con = duckdb.connect()
    differ = con.execute(
        f"SELECT count(*), count_if({iso_date_text('d')} IS DISTINCT FROM strftime(d, '%Y-%m-%d')) FROM ("
        "SELECT DATE '0001-01-01' + CAST(i AS INTEGER) AS d FROM range(-800, 3652059) t(i) "
        "UNION ALL SELECT CAST(NULL AS DATE) UNION ALL SELECT DATE '12345-06-07')"
    ).fetchall()
    assert differ == [(3652861, 0)]


def test_an_invoice_file_names_its_payments_by_invoice_and_date(store: Store, tmp_path: Path) -> None:
    """The id of a payment given on an invoice row: 'inv:' + invoice id + ':' + ISO date (stable across versions)."""
    run_import(store, write_text(tmp_path / "paid.csv", "invoice_id,customer,issue_date,due_date,amount,paid_date\n"
                                                        "P-7,Acme,2026-01-05,2026-02-04,10.00,2026-02-10\n"))

    payments = store.read_ledger().payments
    assert payments.loc[payments["invoice_id"] == "P-7", "payment_id"].tolist() == ["inv:P-7:2026-02-10"]
