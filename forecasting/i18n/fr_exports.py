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
    "Receivables": "Créances clients",
    "Payables": "Dettes fournisseurs",
    "BFR": "BFR",
    "at week end ({currency})": "en fin de semaine ({currency})",
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
    # workbook
    "Summary": "Synthèse",
    "KPIs": "Indicateurs",
    "Aging": "Balance âgée",
    "Scenarios": "Scénarios",
    "Scenario {name}": "Scénario {name}",
    "Week starting": "Semaine du",
    "Net flow": "Flux net",
    "Closing cash P10": "Trésorerie de clôture P10",
    "Closing cash P90": "Trésorerie de clôture P90",
    "Item": "Élément",
    "Value": "Valeur",
    "Unit": "Unité",
    "days": "jours",
    "Indicator": "Indicateur",
    "Company": "Société",
    "As-of date": "Date d'arrêté",
    "Horizon (weeks)": "Horizon (semaines)",
    "Opening cash": "Trésorerie d'ouverture",
    "Opening balance date": "Date du solde d'ouverture",
    "Lowest point (daily, median)": "Point bas (journalier, médiane)",
    "Lowest point (daily, expected)": "Point bas (journalier, espérance)",
    "Lowest point on": "Date du point bas",
    "First day below zero": "Premier jour sous zéro",
    "First day beyond the overdraft limit": "Premier jour au-delà du découvert autorisé",
    "Authorised overdraft": "Découvert autorisé",
    "Expected bad debt": "Impayés attendus",
    "Latest bank balance": "Dernier solde bancaire",
    "Latest client invoice": "Dernière facture client",
    "Latest supplier invoice": "Dernière facture fournisseur",
    "Latest payment": "Dernier règlement",
    "Last import": "Dernier import",
    "Currency": "Devise",
    "Note": "Remarque",
    "Open receivables": "Créances clients ouvertes",
    "Overdue receivables": "Créances échues",
    "Open payables": "Dettes fournisseurs ouvertes",
    "Sales TTC, last 365 days": "Chiffre d'affaires TTC, 365 derniers jours",
    "DSO (simple)": "DSO (méthode simple)",
    "DSO (countback)": "DSO (par épuisement)",
    "DPO": "DPO",
    "DIO": "DIO",
    "Cash conversion cycle": "Cycle de conversion de trésorerie",
    "Inventory": "Stocks",
    "BFR (working capital requirement)": "BFR (besoin en fonds de roulement)",
    "BFR in days of sales": "BFR en jours de chiffre d'affaires",
    "Overdue rate": "Taux de retard",
    "Collection rate": "Taux de recouvrement",
    "Doubtful receivables": "Créances douteuses",
    "Doubtful rate": "Taux de douteux",  # short enough for a KPI tile
    "Written off, last 365 days": "Pertes sur créances, 365 derniers jours",
    "Bad-debt rate": "Taux de pertes sur créances",
    "Receivables turnover": "Rotation des créances clients",
    "Clients with encours": "Clients avec encours",
    "Average encours per client": "Encours moyen par client",
    "Top-10 concentration": "Poids du top 10",
    "Clients over credit limit": "Clients hors limite",
    "Late-payment penalty rate": "Taux des pénalités de retard",
    "Late-payment interest": "Intérêts de retard",
    "Recovery indemnities": "Indemnités forfaitaires de recouvrement",
    "Late invoices": "Factures en retard",
    "Days overdue": "Jours de retard",
    "Invoices": "Factures",
    "Share": "Part",
    "Net cash at horizon": "Trésorerie nette à l'horizon",
    "BFR at horizon": "BFR à l'horizon",
    "BFR at horizon (days of sales)": "BFR à l'horizon (jours de CA)",
    "Receivables at horizon": "Créances clients à l'horizon",
    "Payables at horizon": "Dettes fournisseurs à l'horizon",
    "DSO at horizon": "DSO à l'horizon",
    "DPO at horizon": "DPO à l'horizon",
    "Receipts over the horizon": "Encaissements sur l'horizon",
    "Disbursements over the horizon": "Décaissements sur l'horizon",
    "Early-payment discount cost": "Coût de l'escompte pour paiement anticipé",
    "Supplier discount gain": "Gain d'escompte fournisseurs",
    "Factoring fees": "Commissions d'affacturage",
    "Factoring financing cost": "Coût de financement de l'affacturage",
    "Interest on the cash difference": "Intérêts sur l'écart de trésorerie",
    "Financial effect, net": "Effet financier net",
    "Δ {name}": "Écart {name}",
    "Cash forecast as of {date}": "Prévision de trésorerie au {date}",
    # board pack
    "Page {page} of {pages}": "Page {page} sur {pages}",
    "Cash forecast": "Prévision de trésorerie",
    "Treasury board pack": "Dossier trésorerie pour le conseil",
    "Cash forecast as of {date}, {weeks} weeks ahead": "Prévision de trésorerie au {date}, sur {weeks} semaines",
    "Key figures": "Chiffres clés",
    "Closing cash at horizon (median)": "Trésorerie de clôture à l'horizon (médiane)",
    "bank balances of {date}": "soldes bancaires du {date}",
    "likely range {low} to {high}": "fourchette probable de {low} à {high}",
    "on {date}": "le {date}",
    "none within the horizon": "aucun sur l'horizon",
    "open receivables not expected to be paid": "créances ouvertes dont le règlement n'est pas attendu",
    "of sales": "de chiffre d'affaires",
    "Figure": "Indicateur",
    "Amount": "Montant",
    "Detail": "Détail",
    "Data freshness": "Fraîcheur des données",
    "Data": "Données",
    "Date": "Date",
    "Prepared with cashpilot on {date}. Amounts in euros, VAT included.":
        "Établi avec cashpilot le {date}. Montants en euros, TVA comprise.",
    "Cash outlook": "Prévision de trésorerie",
    "Closing cash by week: the median path and the likely range (P10–P90). The dashed red line is the authorised "
    "overdraft; the diamond is the lowest daily point.":
        "Trésorerie de clôture par semaine : la trajectoire médiane et la fourchette probable (P10–P90). La ligne "
        "rouge en tirets est le découvert autorisé ; le losange marque le point bas journalier.",
    "Closing P10": "Clôture P10",
    "Closing (median)": "Clôture (médiane)",
    "Closing P90": "Clôture P90",
    "Amounts in euros. P10–P90: 8 chances in 10 that the closing balance falls in this range.":
        "Montants en euros. P10–P90 : 8 chances sur 10 que le solde de clôture tombe dans cette fourchette.",
    "Receipts, disbursements and working capital": "Encaissements, décaissements et BFR",
    "Receipts and disbursements by week": "Encaissements et décaissements par semaine",
    "BFR = inventory + trade receivables − trade payables (TTC), at each week's end.":
        "BFR = stocks + créances clients − dettes fournisseurs (TTC), en fin de chaque semaine.",
    "Working capital and receivables KPIs": "BFR et indicateurs clients",
    "As of {date}, from the ledger as it stood that day.": "Au {date}, d'après les données connues à cette date.",
    "DSO and DPO over the last {days} days; penalties at the ECB rate + 10 points and 40 € per late invoice "
    "(Code de commerce L441-10).":
        "DSO et DPO sur les {days} derniers jours ; pénalités au taux BCE + 10 points et 40 € par facture en "
        "retard (Code de commerce L441-10).",
    "Scenario comparison": "Comparaison des scénarios",
    "({diff})": "({diff})",
    "Each scenario applies its levers to the same simulated payments as the baseline (no refit); differences in "
    "brackets are scenario − baseline.":
        "Chaque scénario applique ses leviers aux mêmes règlements simulés que la référence (sans réestimation) ; "
        "les écarts entre parenthèses sont scénario − référence.",
    "Receivables aging": "Balance âgée clients",
    "Top 10 debtors": "10 premiers débiteurs",
    "Notes and assumptions": "Notes et hypothèses",
    "How payment delays are learned": "Comment les délais de paiement sont appris",
    "Each client's and supplier's delay (days between due date and payment) is learned from its paid invoices, "
    "counting the invoices still open so that slow payers are not flattered, and blended with its segment when its "
    "history is short. An invoice already overdue is forecast knowing it is still unpaid, so its remaining delay is "
    "longer than the average. Disputed invoices are paid later, partly or never. Receipts are expected when each "
    "client really pays, not on the due date.":
        "Le retard de chaque client et fournisseur (jours entre l'échéance et le règlement) est appris de ses "
        "factures réglées, en tenant compte des factures encore ouvertes pour ne pas flatter les mauvais payeurs, "
        "et combiné avec celui de son segment quand son historique est court. Une facture déjà échue est prévue en "
        "sachant qu'elle n'est pas encore payée : son retard restant est plus long que la moyenne. Les factures en "
        "litige sont payées plus tard, en partie ou jamais. Les encaissements sont attendus quand chaque client paie "
        "réellement, pas à l'échéance.",
    "Sales and purchases not invoiced yet": "Ventes et achats non encore facturés",
    "Future invoices are forecast from the invoicing history (seasonal model), split between counterparties by "
    "their recent share, then pass through their terms and learned delays.":
        "Les factures à venir sont prévues à partir de l'historique de facturation (modèle saisonnier), réparties "
        "entre les tiers selon leur part récente, puis suivent leurs conditions de paiement et leurs retards appris.",
    "The likely range (P10–P90)": "La fourchette probable (P10–P90)",
    "The forecast is simulated {n} times. The median (P50) is the middle outcome; P10–P90 holds 8 outcomes in 10: "
    "a 1-in-10 chance that the closing cash is below P10, and 1 in 10 that it is above P90. The lowest point is the "
    "lowest daily closing of the median path.":
        "La prévision est simulée {n} fois. La médiane (P50) est le résultat central ; P10–P90 contient 8 résultats "
        "sur 10 : une chance sur 10 que la trésorerie de clôture soit sous P10, et une sur 10 qu'elle soit au-dessus "
        "de P90. Le point bas est la plus basse clôture journalière de la trajectoire médiane.",
    "Horizon, dates and currency": "Horizon, dates et devise",
    "The forecast starts the day after {date} and covers {weeks} weeks, shown by week (Monday to Sunday). Payments "
    "land on French bank business days. All amounts are in euros (EUR), VAT included (TTC); other currencies are "
    "converted at the latest known rate.":
        "La prévision commence le lendemain du {date} et couvre {weeks} semaines, présentées par semaine (du lundi "
        "au dimanche). Les règlements tombent les jours ouvrés bancaires français. Tous les montants sont en euros "
        "(EUR), TVA comprise (TTC) ; les autres devises sont converties au dernier cours connu.",
    "What is excluded": "Ce qui n'est pas inclus",
    "Only imported data are forecast: payroll, social charges, VAT, taxes, rent, loans and capex count only when "
    "entered as planned flows. Receivables not expected to be paid (expected bad debt: {bad_debt}) are not counted "
    "as receipts, nor are receipts falling after the horizon. Inventory is not imported: the BFR uses an inventory "
    "of {inventory}. No interest on balances is forecast.":
        "Seules les données importées sont prévues : salaires, charges sociales, TVA, impôts, loyers, emprunts et "
        "investissements ne comptent que s'ils sont saisis en flux prévisionnels. Les créances dont le règlement "
        "n'est pas attendu (impayés attendus : {bad_debt}) ne sont pas comptées en encaissements, pas plus que les "
        "encaissements tombant après l'horizon. Les stocks ne sont pas importés : le BFR retient un stock de "
        "{inventory}. Aucun intérêt sur les soldes n'est prévu.",
    "A scenario edits the simulated payments of the baseline (no refit), so differences come from its levers alone. "
    "Its financial effect sets discount and factoring costs against the interest on the extra cash at a cost of "
    "funds of {rate}.":
        "Un scénario modifie les règlements simulés de la référence (sans réestimation) : les écarts viennent de ses "
        "seuls leviers. Son effet financier met en regard les coûts d'escompte et d'affacturage et les intérêts sur "
        "le surcroît de trésorerie, à un coût des ressources de {rate}.",
    "Data used": "Données utilisées",
    "This forecast includes: {covers}.": "Cette prévision inclut : {covers}.",
    "receipts": "encaissements clients",
    "supplier payments": "paiements fournisseurs",
    "planned flows": "flux prévisionnels",
    "bank balances": "soldes bancaires",
    # cashpilot export
    "cannot write {path}: it is a folder": "impossible d'écrire {path} : c'est un dossier",
    "cannot write {path}: part of its folder path is a file":
        "impossible d'écrire {path} : une partie de son chemin est un fichier, pas un dossier",
    "cannot write {path}: {reason}": "impossible d'écrire {path} : {reason}",
    "cannot write {path}: permission denied": "impossible d'écrire {path} : permission refusée",
    "unknown chart '{name}': the charts are {names}": "graphique inconnu « {name} » : les graphiques sont {names}",
    "the 'scenarios' chart compares scenarios: give at least one --scenario NAME":
        "le graphique « scenarios » compare des scénarios : indiquez au moins un --scenario NOM",
    "compare at most 4 scenarios at once, got {count}": "comparez au plus 4 scénarios à la fois ({count} donnés)",
    "board pack": "dossier du conseil",
    "workbook": "classeur",
    "chart '{name}'": "graphique « {name} »",
    "{what} written to {path} ({size} kB)": "{what} écrit dans {path} ({size} ko)",
    # download buttons of the pages
    "Exports": "Exports",
    "Excel workbook": "Classeur Excel",
    "Board pack (PDF)": "Dossier du conseil (PDF)",
    "Download this chart as {fmt}": "Télécharger ce graphique en {fmt}",
    "Chart images need Chromium on the server (Debian package chromium)":
        "Les images des graphiques demandent Chromium sur le serveur (paquet Debian chromium)",
    "The forecast, the KPIs and the scenario comparison, one sheet per table":
        "La prévision, les indicateurs et la comparaison des scénarios, une feuille par tableau",
    "Cover, cash outlook, BFR and KPIs, scenarios, aging and notes, ready to print":
        "Couverture, prévision de trésorerie, BFR et indicateurs, scénarios, balance âgée et notes, prêt à imprimer",
    "The workbook and the board pack compare the baseline with: {names}.":
        "Le classeur et le dossier du conseil comparent la référence avec : {names}.",
    "no scenario": "aucun scénario",
}
