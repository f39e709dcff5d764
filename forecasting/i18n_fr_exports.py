"""French texts of the exports and charts, keyed by their English source text (see forecasting/i18n.py)."""

from __future__ import annotations

FR_EXPORTS: dict[str, str] = {
    # charts: cash outlook, flows, backtest
    "Likely range (P10–P90)": "Fourchette probable (P10–P90)",
    "Closing cash (median)": "Trésorerie de clôture (médiane)",
    "week to": "semaine au",
    "week of": "semaine du",
    "zero": "zéro",
    "overdraft limit {amount}": "découvert autorisé {amount}",
    "Lowest point (daily)": "Point bas (journalier)",
    "Lowest": "Point bas",
    "cash ({currency})": "trésorerie ({currency})",
    "Receipts": "Encaissements",
    "Disbursements": "Décaissements",
    "{currency} per week": "{currency} par semaine",
    "Forecast range (P10–P90)": "Fourchette prévue (P10–P90)",
    "Forecast": "Prévision",
    "Actual": "Réalisé",
    "receipts ({currency})": "encaissements ({currency})",
    # charts: receivables and payables
    "not due": "non échu",
    "Open amount": "Solde ouvert",
    "invoices": "factures",
    "open amount ({currency})": "solde ouvert ({currency})",
    "days overdue": "jours de retard",
    "{count} clients": "{count} clients",
    "Encours": "Encours",
    "rating": "note",
    "encours ({currency})": "encours ({currency})",
    "Contractual due (open invoices)": "Échéances contractuelles (factures ouvertes)",
    "Forecast payments (incl. invoices not received yet)": "Paiements prévus (y compris factures non encore reçues)",
    # charts: scenarios
    "Baseline": "Référence",
    "{name}: likely range (P10–P90)": "{name} : fourchette probable (P10–P90)",
    "Closing cash by week (expected)": "Trésorerie de clôture par semaine (espérance)",
    "Difference": "Écart",
    "difference": "écart",
    "Baseline BFR": "BFR de référence",
    "{name} BFR": "BFR {name}",
    "Working capital requirement (BFR) by week": "Besoin en fonds de roulement (BFR) par semaine",
    "BFR ({currency})": "BFR ({currency})",
    "Saved scenarios: closing cash by week": "Scénarios enregistrés : trésorerie de clôture par semaine",
}
