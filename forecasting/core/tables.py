"""What each stored table holds, in words a treasurer reads (English; shown through the catalog: localise/_)."""

from __future__ import annotations

TABLE_LABELS: dict[str, str] = {
    "counterparties": "Clients and suppliers",
    "receivables": "Client invoices",
    "payables": "Supplier invoices",
    "payments": "Payments",
    "bank_accounts": "Bank accounts",
    "bank_balances": "Bank balances",
    "planned_flows": "Planned flows",
    "fx_rates": "Exchange rates",
    "bank_movements": "Bank movements",
    "bank_matches": "Reconciliation matches",
    "bank_match_invoices": "Invoices in reconciliation matches",
    "snapshots": "Forecast snapshots",
    "snapshot_flows": "Snapshot flows",
    "snapshot_closings": "Snapshot closing balances",
}
