"""French texts of the pages, keyed by their English source text (see forecasting/i18n.py)."""

from __future__ import annotations

FR_PAGES: dict[str, str] = {
    # navigation and sidebar (app.py, pages/common.py)
    "Cash outlook": "Prévision de trésorerie",
    "What-if": "Simulation",
    "Receivables": "Créances clients",
    "Payables": "Dettes fournisseurs",
    "Overview": "Vue d'ensemble",
    "Data": "Données",
    "Glossary": "Glossaire",
    "As of": "Date d'arrêté",
    "Forecasts and KPIs use what was known at the end of this day.":
        "Prévisions et indicateurs reposent sur ce qui était connu à la fin de ce jour.",
    "No database yet at `{path}`: import files on the Data page, or run `cashpilot demo`.":
        "Pas encore de base à `{path}` : importez des fichiers dans la page Données, ou lancez `cashpilot demo`.",
    "Database: `{path}`": "Base de données : `{path}`",
    "Reading the database…": "Lecture de la base de données…",
    "Learning how clients and suppliers pay…": "Apprentissage des habitudes de paiement des clients et fournisseurs…",
    "Forecasting…": "Calcul de la prévision…",
    '"{value}" is not a list of days: expected whole numbers separated by commas, e.g. 30,60,90':
        "« {value} » n'est pas une liste de jours : nombres entiers séparés par des virgules attendus, par ex. 30,60,90",
    '"{value}": the limits must be increasing and at least 1 day, e.g. 30,60,90':
        "« {value} » : les bornes doivent être croissantes et d'au moins 1 jour, par ex. 30,60,90",
    # notes of the forecast (forecasting/projection.py)
    "no client invoices: client receipts are not forecast":
        "aucune facture client : les encaissements clients ne sont pas prévus",
    "no supplier invoices: supplier payments are not included":
        "aucune facture fournisseur : les paiements fournisseurs ne sont pas inclus",
    "no planned flows: payroll, social charges, taxes, rent, loans and capex are not included":
        "aucun flux prévisionnel : salaires, charges sociales, impôts, loyers, emprunts et investissements ne sont "
        "pas inclus",
    "no bank balance on or before as-of: opening cash is 0, closing = cumulative net flow":
        "aucun solde bancaire à la date d'arrêté ou avant : trésorerie d'ouverture à 0, clôture = flux net cumulé",
    # Cash outlook
    "No data loaded yet: import receivables and bank balances on the **Data** page, or run `cashpilot demo`.":
        "Aucune donnée chargée : importez les créances clients et les soldes bancaires dans la page **Données**, ou "
        "lancez `cashpilot demo`.",
    "Horizon": "Horizon",
    "{n} weeks": "{n} semaines",
    "The forecast goes beyond the authorised overdraft on {day}.":
        "La prévision dépasse le découvert autorisé le {day}.",
    "The forecast goes below zero on {day}.": "La prévision passe sous zéro le {day}.",
    "Opening cash": "Trésorerie d'ouverture",
    "Latest bank balances on or before {day}": "Derniers soldes bancaires connus au {day}",
    ", dated {day}": ", datés du {day}",
    "Lowest point": "Point bas",
    "Lowest daily closing (median path)": "Plus bas solde de clôture journalier (trajectoire médiane)",
    "on": "le",
    "Expected bad debt": "Impayés attendus",
    "Open receivables the model expects never to be paid: not counted as receipts":
        "Créances ouvertes que le modèle s'attend à ne jamais encaisser : non comptées dans les encaissements",
    "Week by week": "Semaine par semaine",
    "Week of": "Semaine du",
    "Receipts": "Encaissements",
    "Disbursements": "Décaissements",
    "Net flow": "Flux net",
    "Closing P10": "Clôture P10",
    "Closing P50": "Clôture P50",
    "Closing P90": "Clôture P90",
    "Receipts are expected when each client really pays (its learned delay, knowing what is already overdue), "
    "not on the due date. P10–P90: 8 chances in 10 that the closing balance falls in this range. Amounts in euros.":
        "Les encaissements sont attendus quand chaque client paie réellement (son retard appris, sachant ce qui est "
        "déjà échu), pas à l'échéance. P10–P90 : 8 chances sur 10 que le solde de clôture tombe dans cette "
        "fourchette. Montants en euros.",
    # import kinds and history (pages/common.py)
    "Receivables (client invoices)": "Créances clients (factures clients)",
    "Payables (supplier invoices)": "Dettes fournisseurs (factures fournisseurs)",
    "Payments": "Règlements",
    "Bank balances": "Soldes bancaires",
    "Planned flows": "Flux prévisionnels",
    "Clients and suppliers": "Clients et fournisseurs",
    "Exchange rates": "Cours de change",
    "FEC (French accounting export)": "FEC (fichier des écritures comptables)",
    "Imported at": "Importé le",
    "Contents": "Contenu",
    "File": "Fichier",
    "Source": "Source",
    "Rows read": "Lignes lues",
    "Inserted": "Ajoutées",
    "Updated": "Mises à jour",
    "Unchanged": "Inchangées",
    "Rejected": "Rejetées",
    # Overview
    "Client invoices": "Factures clients",
    "Supplier invoices": "Factures fournisseurs",
    "Bank accounts": "Comptes bancaires",
    "Treasury outlook for the weeks ahead: receivables, payables, bank balances and planned flows.":
        "Prévision de trésorerie des semaines à venir : créances clients, dettes fournisseurs, soldes bancaires et "
        "flux prévisionnels.",
    "No data loaded yet. Import your receivables, payables and bank balances on the **Data** page, "
    "or load the demo company with `cashpilot demo`.":
        "Aucune donnée chargée. Importez vos créances clients, dettes fournisseurs et soldes bancaires dans la page "
        "**Données**, ou chargez la société de démonstration avec `cashpilot demo`.",
    "Cash at bank": "Trésorerie en banque",
    "Latest balances on or before {day}": "Derniers soldes connus au {day}",
    " (dated {day})": " (datés du {day})",
    "Open receivables": "Créances clients ouvertes",
    "{n} open client invoices": "{n} factures clients ouvertes",
    "of which overdue": "dont échues",
    "Open payables": "Dettes fournisseurs ouvertes",
    "{n} open supplier invoices": "{n} factures fournisseurs ouvertes",
    "Clients": "Clients",
    "Suppliers": "Fournisseurs",
    "Authorised overdraft": "Découvert autorisé",
    "Invoices from": "Factures depuis le",
    "to {day}": "jusqu'au {day}",
    "What is loaded": "Données chargées",
    "Rows": "Lignes",
    "From": "Du",
    "To": "Au",
    "Latest imports": "Derniers imports",
    "No file imported yet (the demo company is loaded directly).":
        "Aucun fichier importé (la société de démonstration est chargée directement).",
    # Data
    "— not in the file —": "— absent du fichier —",
    "Row": "Ligne",
    "Column": "Colonne",
    "Value": "Valeur",
    "Reason": "Motif",
    "{file}: {read} rows read, {inserted} inserted, {updated} updated, {unchanged} unchanged, {rejected} rejected":
        "{file} : {read} lignes lues, {inserted} ajoutées, {updated} mises à jour, {unchanged} inchangées, "
        "{rejected} rejetées",
    "payments inserted": "règlements ajoutés",
    "payments updated": "règlements mis à jour",
    "payments removed": "règlements retirés",
    "counterparties added": "tiers ajoutés",
    "accounts inserted": "comptes ajoutés",
    "accounts updated": "comptes mis à jour",
    "receivables inserted": "créances clients ajoutées",
    "payables inserted": "dettes fournisseurs ajoutées",
    "What does the file contain?": "Que contient le fichier ?",
    "File (CSV, xlsx, Parquet, FEC)": "Fichier (CSV, xlsx, Parquet, FEC)",
    "Sheet (empty = the first)": "Feuille (vide = la première)",
    "**Columns**: check what each field is read from, and correct it if needed.":
        "**Colonnes** : vérifiez de quelle colonne chaque champ est lu, et corrigez si besoin.",
    "**First rows of the file**": "**Premières lignes du fichier**",
    "Date format (empty = detect: 2026-12-31 or 31/12/2026)":
        "Format de date (vide = détection : 2026-12-31 ou 31/12/2026)",
    "Import the valid rows and set the invalid ones aside": "Importer les lignes valides et écarter les autres",
    "Import": "Importer",
    "{n} error(s) found in {file}: nothing was imported.":
        "{n} erreur(s) trouvée(s) dans {file} : rien n'a été importé.",
    "{n} rows were set aside.": "{n} lignes ont été écartées.",
    "Download the rejected rows": "Télécharger les lignes rejetées",
    "Import history": "Historique des imports",
    "No import yet.": "Aucun import pour l'instant.",
    "Accepted fields": "Champs acceptés",
    "Full list (CSV)": "Liste complète (CSV)",
    "This chart could not be drawn": "Ce graphique n'a pas pu être dessiné",
    "Limit used (%)": "Limite utilisée (%)",
    "Every row of this table, for a spreadsheet": "Toutes les lignes de ce tableau, pour un tableur",
    "The {rows} largest encours of the {shown} clients selected ({total} in all); the CSV has every one.":
        "Les {rows} plus gros encours des {shown} clients retenus ({total} en tout) ; le CSV les contient tous.",
    "The {rows} suppliers we owe most of {total}; the CSV has every one.":
        "Les {rows} fournisseurs à qui nous devons le plus, sur {total} ; le CSV les contient tous.",
    "Download a template (CSV)": "Télécharger un modèle (CSV)",
    "A small example file with every field, in this language's conventions: fill it in a spreadsheet and import "
    "it here. Import exchange rates first, then counterparties, invoices, payments.":
        "Un petit fichier d'exemple avec tous les champs, aux conventions françaises (point-virgule, 31/12/2026, "
        "1234,56) : complétez-le dans un tableur et importez-le ici. Importez d'abord les cours de change, puis "
        "les tiers, les factures, les règlements.",
    "yes": "oui",
    "Field": "Champ",
    "Required": "Obligatoire",
    "Type": "Type",
    "Notes": "Remarques",
    "Recognised headers": "En-têtes reconnus",
    # field types and help (forecasting/ingest/fields.py), shown through known()
    "money": "montant",
    "number": "nombre",
    "bool": "oui/non",
    "date": "date",
    "text": "texte",
    "terms": "délai de paiement",
    "invoice number, unique within the source": "numéro de facture, unique dans la source",
    "client or supplier code (the name is used when no code is given)":
        "code client ou fournisseur (le nom sert de code à défaut)",
    "client or supplier name": "nom du client ou du fournisseur",
    "invoice date": "date de facture",
    "due date; computed from the terms when missing": "date d'échéance ; calculée depuis le délai de paiement si absente",
    "amount including VAT (TTC); credit notes negative": "montant TTC ; avoirs en négatif",
    "ISO code, EUR when missing": "code ISO, EUR si absent",
    "date the invoice was paid": "date de règlement de la facture",
    "amount paid on that date (the whole amount when missing)": "montant réglé à cette date (tout le montant si absent)",
    "Yes/No, Oui/Non, True/False, 1/0": "Yes/No, Oui/Non, True/False, 1/0",
    '"net 30", "45 days end of month", "60 jours net", "à réception"':
        "« net 30 », « 45 days end of month », « 60 jours net », « à réception »",
    "invoice paid": "facture réglée",
    "payment date": "date de règlement",
    "amount paid": "montant réglé",
    "receivable/client or payable/supplier; receivable when missing":
        "receivable/client ou payable/supplier ; receivable si absent",
    "signed: negative for an outflow": "signé : négatif pour une sortie",
    "payroll, social, vat, tax, rent, loan, capex, financing, other":
        "payroll, social, vat, tax, rent, loan, capex, financing, other (salaires, charges sociales, TVA, impôts, "
        "loyer, emprunt, investissement, financement, autre)",
    "none, weekly, monthly, quarterly, yearly": "none, weekly, monthly, quarterly, yearly (aucune, hebdomadaire, "
                                                "mensuelle, trimestrielle, annuelle)",
    "client or supplier (fournisseur)": "client ou fournisseur (client / supplier / fournisseur)",
    "EUR for one unit of the currency": "valeur en EUR d'une unité de la devise",
    # Receivables
    "Computing the receivables indicators…": "Calcul des indicateurs clients…",
    "No receivables loaded yet: import your client invoices on the **Data** page, or load the demo "
    "company with `cashpilot demo`.":
        "Aucune créance client chargée : importez vos factures clients dans la page **Données**, ou chargez la "
        "société de démonstration avec `cashpilot demo`.",
    "Settings": "Paramètres",
    "Aging buckets (days overdue)": "Tranches de la balance âgée (jours de retard)",
    "Upper limits of the overdue buckets, e.g. 30,60,90 gives not due, 1–30, 31–60, 61–90, >90":
        "Bornes supérieures des tranches de retard, par ex. 30,60,90 donne non échu, 1–30, 31–60, 61–90, > 90",
    "DSO period": "Période du DSO",
    "{n} days": "{n} jours",
    "ECB main refinancing rate (%)": "Taux de refinancement principal de la BCE (%)",
    "Rate in force on 1 January (first half-year) or 1 July (second half-year)":
        "Taux en vigueur au 1er janvier (premier semestre) ou au 1er juillet (second semestre)",
    "Legal interest rate (%)": "Taux d'intérêt légal (%)",
    "Taux d'intérêt légal: the penalty rate is never below 3 × this rate":
        "Le taux des pénalités n'est jamais inférieur à 3 fois ce taux",
    "{error}. Using the default buckets {buckets}.": "{error}. Tranches par défaut utilisées : {buckets}.",
    "Open client invoices TTC at {day}, credit notes deducted, written-off excluded":
        "Factures clients ouvertes TTC au {day}, avoirs déduits, créances passées en perte exclues",
    "Overdue": "Échu",
    "Open receivables past their due date": "Créances ouvertes dont l'échéance est passée",
    "DSO (simple)": "DSO (méthode simple)",
    "Receivables / sales TTC of the last {n} days × {n} (sales {sales})":
        "Créances clients / chiffre d'affaires TTC des {n} derniers jours × {n} (chiffre d'affaires {sales})",
    "DSO (countback)": "DSO (par épuisement)",
    "Months of sales, newest first, exhausted by the receivables":
        "Mois de chiffre d'affaires, du plus récent au plus ancien, épuisés par l'encours",
    "Overdue rate": "Taux de retard",
    "Overdue receivables / open receivables": "Créances échues / créances ouvertes",
    "Collection rate": "Taux de recouvrement",
    "Collected / amount of the invoices that fell due in the last {n} days":
        "Encaissé / montant des factures arrivées à échéance sur les {n} derniers jours",
    "Doubtful rate": "Taux de douteux",  # short enough for a KPI tile
    "Open receivables disputed or overdue more than {n} days / encours":
        "Créances ouvertes en litige ou échues depuis plus de {n} jours / encours",
    "Average encours per client": "Encours moyen par client",
    "Over the {n} clients with an outstanding balance": "Sur les {n} clients ayant un encours",
    "Top-10 concentration": "Poids du top 10",
    "Share of the 10 largest client balances in the total encours":
        "Part des 10 plus gros encours clients dans l'encours total",
    "Clients over credit limit": "Clients hors limite",
    "Clients whose encours exceeds their credit limit": "Clients dont l'encours dépasse la limite de crédit",
    "Aging (balance âgée)": "Balance âgée clients",
    "Days overdue": "Jours de retard",
    "Invoices": "Factures",
    "Share": "Part",
    "{n} open invoices; buckets are set in the settings above.":
        "{n} factures ouvertes ; les tranches se règlent dans les paramètres ci-dessus.",
    "Top debtors": "Principaux débiteurs",
    "Id": "Code",
    "Client": "Client",
    "Total": "Total",
    "The {shown} largest of {total} clients with open invoices, by days overdue.":
        "Les {shown} plus importants des {total} clients ayant des factures ouvertes, par tranche de retard.",
    "Client scorecard": "Notation des clients",
    "Ratings": "Notations",
    "Only clients over their credit limit": "Seulement les clients au-delà de leur limite de crédit",
    "Rating from how fast each client paid its invoices of the last 365 days, from issue to payment: "
    "**A** within {low} days, **B** {mid}, **C** {high}, **D** beyond. Without payments, from the age "
    "of its overdue invoices; with neither, B. One notch lower with a disputed invoice or one overdue "
    "more than {doubtful} days.":
        "Note selon la rapidité avec laquelle chaque client a payé ses factures des 365 derniers jours, de "
        "l'émission au règlement : **A** sous {low} jours, **B** {mid}, **C** {high}, **D** au-delà. Sans "
        "règlement, selon l'ancienneté de ses factures échues ; sans l'un ni l'autre, B. Un cran de moins avec "
        "une facture en litige ou échue depuis plus de {doubtful} jours.",
    "Segment": "Segment",
    "Rating": "Notation",
    "Credit limit": "Limite de crédit",
    "Limit used": "Limite utilisée",
    "Over limit": "Limite dépassée",
    "Days to pay": "Délai de paiement (jours)",
    "Amount-weighted days from issue to payment, last 365 days":
        "Jours entre émission et règlement, pondérés par les montants, 365 derniers jours",
    "Days late": "Jours de retard",
    "Amount-weighted days past due, last 365 days": "Jours après l'échéance, pondérés par les montants, 365 derniers "
                                                    "jours",
    "Paid late": "Payé en retard",
    "Share of its invoices paid after the due date": "Part de ses factures réglées après l'échéance",
    "Open invoices": "Factures ouvertes",
    "Rated on": "Noté sur",
    "{shown} of {total} clients (those with an outstanding balance or recent payments).":
        "{shown} clients sur {total} (ceux qui ont un encours ou des règlements récents).",
    "paid invoices": "factures réglées",
    "overdue open invoices": "factures ouvertes échues",
    "no history": "aucun historique",
    "Dunning list": "Liste de relances",
    "1 — friendly reminder": "1 — relance amiable",
    "2 — formal reminder": "2 — relance formelle",
    "3 — formal notice (mise en demeure)": "3 — mise en demeure",
    "4 — collection / litigation": "4 — recouvrement / contentieux",
    "{n} invoices": "{n} factures",
    "Invoice": "Facture",
    "Due": "Échéance",
    "Open": "Restant dû",
    "Disputed": "En litige",
    "Risk": "Risque",
    "Ranking heuristic, not a probability: rating prior + days overdue / 365 + 25 points if disputed":
        "Indice de classement, pas une probabilité : risque de la note + jours de retard / 365 + 25 points si en "
        "litige",
    "Amount × risk": "Montant × risque",
    "Suggested reminder": "Relance suggérée",
    "Penalties claimable": "Pénalités réclamables",
    "The {shown} most urgent of {total} overdue invoices, ranked by open amount × risk. Disputed invoices "
    "go straight to collection / litigation.":
        "Les {shown} plus urgentes des {total} factures échues, classées par montant restant dû × risque. Les "
        "factures en litige passent directement au recouvrement / contentieux.",
    "Late-payment penalties owed to us": "Pénalités de retard qui nous sont dues",
    "Penalty rate": "Taux des pénalités",
    "ECB rate + 10 points, never below 3 × the legal interest rate (Code de commerce L441-10)":
        "Taux BCE + 10 points, jamais moins de 3 fois le taux d'intérêt légal (Code de commerce L441-10)",
    "Late invoices": "Factures en retard",
    "{open} still open and overdue, {paid} paid late in the last 365 days":
        "{open} encore ouvertes et échues, {paid} payées en retard sur les 365 derniers jours",
    "Late interest": "Intérêts de retard",
    "Open amount × rate × days late / 365, from the day after the due date":
        "Montant restant dû × taux × jours de retard / 365, dès le lendemain de l'échéance",
    "Interest + recovery indemnities": "Intérêts + indemnités de recouvrement",
    "Including {total} of fixed indemnities ({each} per late invoice)":
        "Dont {total} d'indemnités forfaitaires de recouvrement ({each} par facture en retard)",
    "paid {day}": "payée le {day}",
    "open": "ouverte",
    "paid": "payée",
    "written_off": "passée en perte",
    "Status": "Statut",
    "Interest": "Intérêts",
    "Indemnity": "Indemnité",
    "The {shown} largest of {total} claims: open invoices overdue, and invoices paid late in the last 365 "
    "days. Set the ECB rate of the half-year being claimed in the settings above.":
        "Les {shown} plus importantes des {total} créances de pénalités : factures ouvertes échues, et factures "
        "payées en retard sur les 365 derniers jours. Réglez le taux BCE du semestre réclamé dans les paramètres "
        "ci-dessus.",
    # Payables
    "Computing the payables indicators…": "Calcul des indicateurs fournisseurs…",
    "{terms} is beyond the legal cap": "{terms} dépasse le plafond légal",
    "within the legal caps": "dans les plafonds légaux",
    "unreadable terms": "délai illisible",
    "no terms": "pas de délai",
    "60 days from invoice": "60 jours date de facture",
    "45 days end of month": "45 jours fin de mois",
    "No payables loaded yet: import your supplier invoices on the **Data** page, or load the demo "
    "company with `cashpilot demo`.":
        "Aucune dette fournisseur chargée : importez vos factures fournisseurs dans la page **Données**, ou chargez "
        "la société de démonstration avec `cashpilot demo`.",
    "Upper limits of the overdue buckets, e.g. 30,60,90": "Bornes supérieures des tranches de retard, par ex. 30,60,90",
    "DPO period": "Période du DPO",
    "No payment forecast: {error}": "Pas de prévision des paiements : {error}",
    "DPO": "DPO",
    "Open payables / purchases TTC of the last {n} days × {n}":
        "Dettes fournisseurs / achats TTC des {n} derniers jours × {n}",
    "{n} open supplier invoices TTC": "{n} factures fournisseurs ouvertes TTC",
    "Overdue payables": "Dettes fournisseurs échues",
    "Open supplier invoices past their due date": "Factures fournisseurs ouvertes dont l'échéance est passée",
    "Due in the next {n} weeks": "À payer dans les {n} prochaines semaines",
    "Open supplier invoices by contractual due date, overdue ones included":
        "Factures fournisseurs ouvertes par échéance contractuelle, échues comprises",
    "Beyond legal terms": "Hors délais légaux",
    "Suppliers whose terms are longer than the French caps: {net} days from invoice or {eom} days end of month":
        "Fournisseurs dont le délai dépasse les plafonds français : {net} jours date de facture ou {eom} jours fin "
        "de mois",
    "Payments due, next {n} weeks": "Paiements à venir, {n} prochaines semaines",
    "Invoices due": "Factures à échéance",
    "Contractual due": "Échéances contractuelles",
    "Forecast payments": "Paiements prévus",
    "Contractual due: open supplier invoices by due date, moved to the next bank business day; invoices "
    "already overdue count in the first week. Forecast payments: the cash outlook's supplier payments, from "
    "how we actually pay each supplier, including invoices not received yet.":
        "Échéances contractuelles : factures fournisseurs ouvertes par date d'échéance, reportée au jour ouvré "
        "bancaire suivant ; les factures déjà échues comptent dans la première semaine. Paiements prévus : les "
        "paiements fournisseurs de la prévision de trésorerie, selon la façon dont nous payons réellement chaque "
        "fournisseur, factures non encore reçues comprises.",
    "Aging (balance âgée fournisseurs)": "Balance âgée fournisseurs",
    "Largest suppliers": "Principaux fournisseurs",
    "Supplier": "Fournisseur",
    "The {shown} largest of {total} suppliers with open invoices.":
        "Les {shown} plus importants des {total} fournisseurs ayant des factures ouvertes.",
    "Supplier terms and French legal caps": "Délais fournisseurs et plafonds légaux français",
    "{n} supplier(s) have terms beyond the French legal caps ({net} days from invoice date, or {eom} "
    "days end of month; Code de commerce L441-10).":
        "{n} fournisseur(s) ont des délais au-delà des plafonds légaux français ({net} jours à compter de la date "
        "de facture, ou {eom} jours fin de mois ; Code de commerce L441-10).",
    "Every supplier's terms are within the French legal caps ({net} days from invoice date, or {eom} "
    "days end of month).":
        "Les délais de tous les fournisseurs respectent les plafonds légaux français ({net} jours à compter de la "
        "date de facture, ou {eom} jours fin de mois).",
    "Only suppliers beyond the caps": "Seulement les fournisseurs au-delà des plafonds",
    "Terms": "Délai de paiement",
    "Days": "Jours",
    "Max days from invoice": "Jours max. depuis la facture",
    "N days end of month can reach N + 30 days": "N jours fin de mois peut atteindre N + 30 jours",
    "Legal cap": "Plafond légal",
    "Beyond cap": "Au-delà du plafond",
    "A warning, not a block: caps differ outside France. Terms come from the supplier's master data, "
    "else from its latest invoice.":
        "Un avertissement, pas un blocage : les plafonds diffèrent hors de France. Les délais viennent de la fiche "
        "fournisseur, à défaut de sa dernière facture.",
    # What-if
    "Cash, baseline": "Trésorerie, référence",
    "Cash, scenario": "Trésorerie, scénario",
    "Δ cash": "Δ trésorerie",
    "Scenario P10": "Scénario P10",
    "Scenario P90": "Scénario P90",
    "BFR, baseline": "BFR, référence",
    "BFR, scenario": "BFR, scénario",
    "Δ BFR": "Δ BFR",
    "capital expenditure": "investissements",
    "financing": "financement",
    "loan": "emprunt",
    "taxes": "impôts et taxes",
    "payroll": "salaires",
    "social charges": "charges sociales",
    "VAT": "TVA",
    "rent": "loyer",
    "other": "autre",
    "Scenario": "Scénario",
    "Δ net cash at horizon": "Δ trésorerie nette à l'horizon",
    "Δ BFR at horizon": "Δ BFR à l'horizon",
    "Δ BFR (days of sales)": "Δ BFR (jours de CA)",
    "Δ lowest point": "Δ point bas",
    "Lowest point on": "Date du point bas",
    "Financial effect": "Effet financier",
    "Warnings": "Alertes",
    "Simulating…": "Simulation en cours…",
    "All": "Tous",
    "Segments": "Segments",
    "Chosen": "Au choix",
    "Counterparties": "Tiers",
    "Levers start on": "Leviers appliqués à partir du",
    "Terms apply to invoices issued from this day; collection effort to payments expected from it.":
        "Les délais s'appliquent aux factures émises à partir de ce jour ; l'effort de recouvrement aux règlements "
        "attendus à partir de ce jour.",
    "**Clients**": "**Clients**",
    "Client levers apply to": "Leviers clients appliqués à",
    "Payment terms": "Délais de paiement",
    "Change client terms": "Changer les délais clients",
    "New terms": "Nouveau délai",
    "net 30": "30 jours net",
    "net 45": "45 jours net",
    "net 60": "60 jours net",
    "30 days end of month": "30 jours fin de mois",
    "net 75": "75 jours net",
    "net 90": "90 jours net",
    "on receipt": "à réception",
    "Also for open invoices": "Aussi pour les factures ouvertes",
    "Collection effort": "Effort de recouvrement",
    "Payments earlier (−) or later (+), days": "Règlements plus tôt (−) ou plus tard (+), en jours",
    "Lateness cut by (%)": "Retard réduit de (%)",
    "50 %: a client 20 days late pays 10 days late": "50 % : un client en retard de 20 jours paie avec 10 jours de retard",
    "Early-payment discount": "Escompte pour paiement anticipé",
    "Offer a discount (d/D net N)": "Proposer un escompte (d/D net N)",
    "d (%)": "d (%)",
    "D (days)": "D (jours)",
    "net N (days)": "net N (jours)",
    "Invoices taking it (%)": "Factures qui en profitent (%)",
    "Factoring": "Affacturage",
    "Factor receivables": "Affacturer des créances",
    "Share assigned (%)": "Part cédée (%)",
    "Advance rate (%)": "Taux d'avance (%)",
    "Service fee (% of TTC)": "Commission d'affacturage (% du TTC)",
    "Financing rate (% a year)": "Taux de financement (% par an)",
    "Client default": "Défaillance client",
    "Clients that default": "Clients défaillants",
    "Stop invoicing them": "Arrêter de les facturer",
    "**Suppliers**": "**Fournisseurs**",
    "Supplier levers apply to": "Leviers fournisseurs appliqués à",
    "Supplier payments": "Paiements fournisseurs",
    "No change": "Aucun changement",
    "Pay later or earlier": "Payer plus tard ou plus tôt",
    "Days later (+) or earlier (−)": "Jours plus tard (+) ou plus tôt (−)",
    "New terms also for open invoices": "Nouveau délai aussi pour les factures ouvertes",
    "Supplier discounts": "Escomptes fournisseurs",
    "Take supplier discounts (d/D)": "Prendre les escomptes fournisseurs (d/D)",
    "Supplier invoices offering it (%)": "Factures fournisseurs qui le proposent (%)",
    "**Activity and one-off flows**": "**Activité et flux exceptionnels**",
    "Sales (%)": "Ventes (%)",
    "Purchases (%)": "Achats (%)",
    "One-off flow": "Flux exceptionnel",
    "Add a one-off flow": "Ajouter un flux exceptionnel",
    "Date": "Date",
    "Amount (€, − = outflow)": "Montant (€, − = sortie)",
    "Label": "Libellé",
    "Category": "Catégorie",
    "**Settings**": "**Paramètres**",
    "Inventory (€)": "Stocks (€)",
    "Stock is not imported: it enters the BFR as given here": "Les stocks ne sont pas importés : ils entrent dans le "
                                                               "BFR tels que saisis ici",
    "Cost of funds (% a year)": "Coût de financement (% par an)",
    "What a euro of cash earns, or an overdraft costs: prices the cash freed":
        "Ce que rapporte un euro de trésorerie, ou ce que coûte un découvert : valorise la trésorerie libérée",
    "Simulate": "Simuler",
    "Net cash at horizon": "Trésorerie nette à l'horizon",
    "BFR at horizon": "BFR à l'horizon",
    "{days} days of sales; {delta} days against the baseline":
        "{days} jours de chiffre d'affaires ; {delta} jours par rapport à la référence",
    "on {day} (baseline {baseline})": "le {day} (référence {baseline})",
    "discount cost {discount}, factoring fees {fees} and financing {financing}, supplier discounts "
    "gained {gained}, interest on the cash difference at {rate}: {interest}":
        "coût de l'escompte {discount}, commissions d'affacturage {fees} et de financement {financing}, escomptes "
        "fournisseurs obtenus {gained}, intérêts sur l'écart de trésorerie à {rate} : {interest}",
    "With this scenario cash goes below zero on {day}.": "Avec ce scénario, la trésorerie passe sous zéro le {day}.",
    "Net cash at horizon (€)": "Trésorerie nette à l'horizon (€)",
    "Lowest point (€)": "Point bas (€)",
    "BFR at horizon (€)": "BFR à l'horizon (€)",
    "BFR (days of sales)": "BFR (jours de CA)",
    "Receivables at horizon (€)": "Créances clients à l'horizon (€)",
    "Payables at horizon (€)": "Dettes fournisseurs à l'horizon (€)",
    "DSO at horizon (days)": "DSO à l'horizon (jours)",
    "DPO at horizon (days)": "DPO à l'horizon (jours)",
    "Receipts over the horizon (€)": "Encaissements sur l'horizon (€)",
    "Disbursements over the horizon (€)": "Décaissements sur l'horizon (€)",
    "Expected bad debt (€)": "Impayés attendus (€)",
    "Loaded '{name}'.": "« {name} » chargé.",
    " Not shown in the form: {levers}.": " Absent du formulaire : {levers}.",
    "a second {kind} lever": "un second levier {kind}",
    "{kind} on a {scope} scope": "{kind} sur un périmètre {scope}",
    "client terms": "délais clients",
    "early-payment discount": "escompte pour paiement anticipé",
    "factoring": "affacturage",
    "supplier terms": "délais fournisseurs",
    "supplier discounts": "escomptes fournisseurs",
    "activity": "activité",
    "client default": "défaillance client",
    "one-off flow": "flux exceptionnel",
    "collection effort": "effort de recouvrement",
    "all": "tous",
    "segment": "segment",
    "counterparties": "tiers choisis",
    "Saved scenarios": "Scénarios enregistrés",
    "Name": "Nom",
    "e.g. Clients at 45 days EOM": "par ex. Clients à 45 jours fin de mois",
    "Save these levers": "Enregistrer ces leviers",
    "Give the scenario a name first.": "Donnez d'abord un nom au scénario.",
    "Scenario '{name}' replaced.": "Scénario « {name} » remplacé.",
    "Scenario '{name}' saved.": "Scénario « {name} » enregistré.",
    "No saved scenario yet. Save the levers above, or `cashpilot scenario save FILE.json`.":
        "Aucun scénario enregistré. Enregistrez les leviers ci-dessus, ou `cashpilot scenario save FICHIER.json`.",
    "Levers": "Leviers",
    "Saved": "Enregistré le",
    "Load into the levers": "Charger dans les leviers",
    "Delete": "Supprimer",
    "Compare side by side (up to {n})": "Comparer côte à côte (jusqu'à {n})",
    "What-if simulator": "Simulateur de scénarios",
    "No invoices loaded yet: import receivables and payables on the **Data** page, or run `cashpilot demo`.":
        "Aucune facture chargée : importez créances clients et dettes fournisseurs dans la page **Données**, ou "
        "lancez `cashpilot demo`.",
    "Set one or more levers and press **Simulate** to see their effect against the baseline.":
        "Réglez un ou plusieurs leviers puis cliquez sur **Simuler** pour voir leur effet par rapport à la "
        "référence.",
    "Net cash at horizon (baseline)": "Trésorerie nette à l'horizon (référence)",
    "BFR at horizon (baseline)": "BFR à l'horizon (référence)",
    "{days} days of sales": "{days} jours de chiffre d'affaires",
    "Lowest point (baseline)": "Point bas (référence)",
    "**Week by week**": "**Semaine par semaine**",
    "**Before and after**": "**Avant et après**",
    "Figure": "Indicateur",
    # fixed notes of the what-if (forecasting/scenario_apply.py), shown through known()
    "factoring with recourse: a never-paid assigned invoice has its advance charged back 90 days after its due date":
        "affacturage avec recours : l'avance d'une facture cédée jamais payée est reprise 90 jours après son "
        "échéance",
}
