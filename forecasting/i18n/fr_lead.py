"""French texts of the alerts and the Forecast accuracy page, keyed by their English source text (see i18n.py)."""

from __future__ import annotations

FR_LEAD: dict[str, str] = {
    # alerts
    "{name}: {encours} for a limit of {limit}": "{name} : {encours} pour une limite de {limit}",
    "1 client over its credit limit: {named}": "1 client au-delà de sa limite de crédit : {named}",
    "{n} clients over their credit limit: {named}": "{n} clients au-delà de leur limite de crédit : {named}",
    ", and {more} more (see Receivables)": ", et {more} autre(s) (voir Créances clients)",
    "Cash goes beyond the authorised overdraft of {limit} on {day} ({amount}); lowest point {low} on {low_day}.":
        "La trésorerie dépasse le découvert autorisé de {limit} le {day} ({amount}) ; point bas {low} le {low_day}.",
    "Cash goes below zero on {day} ({amount}); lowest point {low} on {low_day}.":
        "La trésorerie passe sous zéro le {day} ({amount}) ; point bas {low} le {low_day}.",
    "Risk: 1 chance in 10 that cash goes below zero from {day} ({amount} on the pessimistic path P10).":
        "Risque : 1 chance sur 10 que la trésorerie passe sous zéro à partir du {day} ({amount} sur le scénario "
        "pessimiste P10).",
    # Forecast accuracy page
    "Forecast accuracy": "Fiabilité des prévisions",
    "Replaying the forecast as it was made that day…": "Reconstitution de la prévision telle qu'elle était ce jour-là…",
    "cashpilot (learned delays)": "cashpilot (délais appris)",
    "Paid on the due date": "Payé à l'échéance",
    "Client's median delay": "Retard médian du client",
    "Method": "Méthode",
    "MAE, all invoices": "Écart moyen, toutes factures",
    "MAE, open at the date": "Écart moyen, ouvertes à la date",
    "MAE, issued after": "Écart moyen, émises après",
    "Late / on time right": "Retard / à l'heure bien prévu",
    "Week of": "Semaine du",
    "Forecast P10": "Prévision P10",
    "Forecast (expected)": "Prévision (espérance)",
    "Forecast P90": "Prévision P90",
    "Actual": "Réalisé",
    "Error": "Écart",
    "Inside P10–P90": "Dans la fourchette P10–P90",
    "yes": "oui",
    "no": "non",
    "The forecast is replayed as it would have been made at a past date, with only what was known at the end of "
    "that day, then compared with the receipts that really came in.":
        "La prévision est reconstituée telle qu'elle aurait été faite à une date passée, avec ce qui était connu à la "
        "fin de ce jour-là, puis comparée aux encaissements réellement reçus.",
    "No receivables loaded yet: import your client invoices on the **Data** page, or run `cashpilot demo`.":
        "Aucune créance chargée : importez vos factures clients dans la page **Données**, ou lancez `cashpilot demo`.",
    "Horizon": "Horizon",
    "{n} weeks": "{n} semaines",
    "Not enough history for a backtest: it needs about three months of invoices before the date tested, and {n} "
    "weeks after it.":
        "Historique insuffisant pour un backtest : il faut environ trois mois de factures avant la date testée, et "
        "{n} semaines après.",
    "Forecast made at": "Prévision faite le",
    "Proposed: the end of the latest week whose whole horizon has already happened ({day}), so that every week "
    "compared is a whole week.":
        "Date proposée : la fin de la dernière semaine dont tout l'horizon est déjà écoulé ({day}), pour que chaque "
        "semaine comparée soit une semaine entière.",
    "The data end on {day}: the last weeks of this horizon have not fully happened yet, so their actual receipts "
    "are incomplete.":
        "Les données s'arrêtent le {day} : les dernières semaines de cet horizon ne sont pas entièrement écoulées, "
        "leurs encaissements réels sont donc incomplets.",
    "Payment date error (MAE)": "Écart moyen de date",
    "Average gap, in days, between the forecast and the real payment date of each invoice.":
        "Écart moyen, en jours, entre la date prévue et la date réelle de paiement de chaque facture.",
    "vs paid on due date": "vs paiement à l'échéance",
    "The model's error as a share of the error of assuming every invoice is paid on its due date ({base}). Below "
    "100 % the model does better.":
        "L'écart du modèle rapporté à celui de l'hypothèse « chaque facture est payée à l'échéance » ({base}). "
        "Sous 100 %, le modèle fait mieux.",
    "Weekly receipts error (WAPE)": "Écart hebdo. (WAPE)",
    "Sum of the weekly gaps between forecast and actual receipts, over the actual receipts.":
        "Somme des écarts hebdomadaires entre encaissements prévus et réels, rapportée aux encaissements réels.",
    "Weeks inside the P10–P90 range": "Semaines dans P10–P90",
    "Share of weeks whose actual receipts fell inside the likely range; about 80 % is well calibrated.":
        "Part des semaines dont les encaissements réels sont tombés dans la fourchette probable ; environ 80 % "
        "signifie une fourchette bien calibrée.",
    "Payment dates against the baselines": "Dates de paiement face aux méthodes de référence",
    "{n_open} invoices open at {day} and {n_later} issued after it, paid within the horizon. Bias of the weekly "
    "receipts: {bias} (positive: the forecast expected more than came in).":
        "{n_open} factures ouvertes au {day} et {n_later} émises ensuite, payées dans l'horizon. Biais des "
        "encaissements hebdomadaires : {bias} (positif : la prévision attendait plus que le réel).",
    "Week by week": "Semaine par semaine",
    # notes and warnings built by the forecast and the what-if levers (forecasting.i18n.translate.Message templates)
    "bank balance older than as-of (from {oldest}): rolled forward with the payments and planned flows dated "
    "after it":
        "solde bancaire antérieur à la date d'arrêté (du {oldest}) : reporté avec les paiements et les flux prévus "
        "datés après lui",
    "client invoices stop on {last}, {days} days before as-of: the invoices issued since are estimated at the "
    "usual rate, like future ones (import them for a firmer forecast)":
        "les factures clients s'arrêtent au {last}, {days} jours avant la date d'arrêté : les factures émises "
        "depuis sont estimées au rythme habituel, comme les futures (importez-les pour une prévision plus sûre)",
    "supplier invoices stop on {last}, {days} days before as-of: the invoices received since are estimated at the "
    "usual rate, like future ones (import them for a firmer forecast)":
        "les factures fournisseurs s'arrêtent au {last}, {days} jours avant la date d'arrêté : les factures reçues "
        "depuis sont estimées au rythme habituel, comme les futures (importez-les pour une prévision plus sûre)",
    "a large ledger: the range rests on {n} simulated paths instead of {requested}":
        "grand volume de données : la fourchette repose sur {n} trajectoires simulées au lieu de {requested}",
    "future invoicing of all but the {n} largest counterparties of each side is pooled by segment and terms":
        "la facturation future est regroupée par segment et délai de paiement, hormis les {n} plus grands "
        "clients et fournisseurs",
    "client_default: no open invoice in scope ({scope})":
        "défaillance client : aucune facture ouverte dans le périmètre ({scope})",
    "supplier_terms: '{terms}' exceeds the French legal cap (60 days from invoice date, or 45 days end of month; "
    "Code de commerce L441-10)":
        "délais fournisseurs : « {terms} » dépasse le plafond légal (60 jours à compter de la date de facture, ou "
        "45 jours fin de mois ; Code de commerce L441-10)",
    "supplier_terms: paying {days} days later puts {n} supplier(s) beyond the French legal cap of 60 days from "
    "invoice date (e.g. {name}: {terms} + {days} days = up to {worst} days; Code de commerce L441-10)":
        "délais fournisseurs : payer {days} jours plus tard place {n} fournisseur(s) au-delà du plafond légal de "
        "60 jours à compter de la date de facture (par ex. {name} : {terms} + {days} jours = jusqu'à {worst} "
        "jours ; Code de commerce L441-10)",
    "early_payment_discount: {discount}/{days} net {net} costs {rate} a year on the cash brought forward":
        "escompte pour paiement anticipé : {discount}/{days} net {net} coûte {rate} par an sur la trésorerie "
        "avancée",
    "one_off_flow '{label}' on {day} is outside the horizon ({first} to {last})":
        "flux ponctuel « {label} » du {day} hors de l'horizon (du {first} au {last})",
    "factoring with recourse: a never-paid assigned invoice has its advance charged back {days} days after its "
    "due date":
        "affacturage avec recours : l'avance sur une facture cédée jamais payée est reprise {days} jours après "
        "son échéance",
}
