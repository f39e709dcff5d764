"""French texts of the cli, keyed by their English source text (see forecasting/i18n.py)."""

from __future__ import annotations

FR_CLI: dict[str, str] = {
    # help texts
    "Treasury forecasting: imports, status, forecasts.": "Prévision de trésorerie : imports, état, prévisions.",
    "database file (default $CASHPILOT_DB or data/cashpilot.duckdb)":
        "fichier de base de données (par défaut $CASHPILOT_DB ou data/cashpilot.duckdb)",
    "language of the messages: en or fr (default $CASHPILOT_LANG, else en)":
        "langue des messages : en ou fr (par défaut $CASHPILOT_LANG, sinon en)",
    "replace the data with the seeded demo company": "remplacer les données par la société de démonstration",
    "random seed (default 42)": "graine aléatoire (42 par défaut)",
    "1 = ~300 clients and 12 M€ sales a year": "1 = ~300 clients et 12 M€ de chiffre d'affaires par an",
    "last day of the demo history (default today)": "dernier jour de l'historique de démonstration (par défaut aujourd'hui)",
    "only when the database holds no data yet": "seulement si la base ne contient encore aucune donnée",
    "import a file (CSV, xlsx, Parquet, FEC)": "importer un fichier (CSV, xlsx, Parquet, FEC)",
    "what the file holds": "ce que contient le fichier",
    "the file to import": "le fichier à importer",
    "say which column holds a field": "indiquer quelle colonne contient un champ",
    "use a saved mapping profile": "utiliser un profil de correspondance enregistré",
    "save this import's mapping under NAME": "enregistrer la correspondance de cet import sous NOM",
    "strptime format of the dates, e.g. %%m/%%d/%%Y": "format strptime des dates, par ex. %%d/%%m/%%Y",
    "sheet of an xlsx workbook (default: the first)": "feuille d'un classeur xlsx (par défaut la première)",
    "ledger the file comes from; invoice ids are unique per source":
        "comptabilité d'origine du fichier ; les numéros de facture sont uniques par source",
    "payment terms for rows without due date nor terms (FEC default: net 30)":
        "délai de paiement des lignes sans échéance ni délai (FEC : 30 jours net par défaut)",
    "import the valid rows, write the others to --rejects": "importer les lignes valides, écrire les autres dans --rejects",
    "CSV file receiving the rejected rows and their reasons": "fichier CSV recevant les lignes rejetées et leurs motifs",
    "what is loaded: counts, date ranges, last imports":
        "ce qui est chargé : nombres de lignes, périodes couvertes, derniers imports",
    "output format": "format de sortie",
    "the weekly cash outlook with its likely range": "la prévision de trésorerie par semaine et sa fourchette probable",
    "forecast date (default today)": "date de la prévision (par défaut aujourd'hui)",
    "horizon in weeks, 1 to 52 (default 13)": "horizon en semaines, de 1 à 52 (13 par défaut)",
    "write to this file instead of the screen": "écrire dans ce fichier plutôt qu'à l'écran",
    "a saved scenario's name or a scenario JSON file: adds a `delta` block":
        "nom d'un scénario enregistré ou fichier JSON de scénario : ajoute un bloc `delta`",
    "working-capital and receivables KPIs (DSO, BFR, aging, penalties…)":
        "indicateurs de BFR et de créances clients (DSO, BFR, balance âgée, pénalités…)",
    "date of the KPIs (default today)": "date des indicateurs (par défaut aujourd'hui)",
    "save, list, show or delete what-if scenarios": "enregistrer, lister, afficher ou supprimer des scénarios",
    "check and save a scenario JSON file (replaces one of the same name)":
        "vérifier et enregistrer un fichier JSON de scénario (remplace celui de même nom)",
    "the scenario JSON file": "le fichier JSON du scénario",
    "the saved scenarios": "les scénarios enregistrés",
    "a saved scenario as JSON": "un scénario enregistré, en JSON",
    "the scenario's name": "le nom du scénario",
    "delete a saved scenario": "supprimer un scénario enregistré",
    "forecast as of a past date and compare with what happened":
        "prévoir à une date passée et comparer avec ce qui s'est réellement passé",
    "the past date the forecast is made at": "la date passée à laquelle la prévision est faite",
    # messages
    "'{value}' is not a date: expected YYYY-MM-DD": "« {value} » n'est pas une date : format attendu AAAA-MM-JJ",
    '--map {item}: expected FIELD=COLUMN, e.g. --map due_date="Date d\'échéance"':
        '--map {item} : CHAMP=COLONNE attendu, par ex. --map due_date="Date d\'échéance"',
    "written to {path}": "écrit dans {path}",
    "--weeks {weeks}: the horizon must be between 1 and 52 weeks":
        "--weeks {weeks} : l'horizon doit être compris entre 1 et 52 semaines",
    "no database at {path}: import files first, or run `cashpilot demo`":
        "aucune base de données à {path} : importez d'abord des fichiers, ou lancez `cashpilot demo`",
    "{path} holds no receivables, payables nor bank balances: import files first":
        "{path} ne contient ni créances clients, ni dettes fournisseurs, ni soldes bancaires : importez d'abord des "
        "fichiers",
    "none": "aucun",
    "opening balance {amount} ({day})": "solde d'ouverture {amount} ({day})",
    "lowest point    {amount} on {day}": "point bas         {amount} le {day}",
    "first shortfall {shortfall}; overdraft breach {breach}":
        "premier passage sous zéro {shortfall} ; dépassement du découvert {breach}",
    "expected bad debt {amount}": "impayés attendus {amount}",
    "note: {note}": "remarque : {note}",
    "scenario '{name}' against the baseline:": "scénario « {name} » par rapport à la référence :",
    "  net cash at horizon {amount}": "  trésorerie nette à l'horizon {amount}",
    "  BFR at horizon      {amount}": "  BFR à l'horizon               {amount}",
    "  lowest point        {amount}": "  point bas                     {amount}",
    "  financial effect    {amount}": "  effet financier               {amount}",
    "  warning: {warning}": "  alerte : {warning}",
    "scenario file not found: {path}": "fichier de scénario introuvable : {path}",
    "no saved scenario named '{name}'": "aucun scénario enregistré sous le nom « {name} »",
    "; saved: {names}": " ; enregistrés : {names}",
    "scenario '{name}' replaced ({n} levers)": "scénario « {name} » remplacé ({n} leviers)",
    "scenario '{name}' saved ({n} levers)": "scénario « {name} » enregistré ({n} leviers)",
    "no saved scenario": "aucun scénario enregistré",
    "{n} lever(s): {types}": "{n} levier(s) : {types}",
    "scenario '{name}' deleted": "scénario « {name} » supprimé",
    "interrupted; nothing was changed by the unfinished command":
        "interrompu ; la commande inachevée n'a rien modifié",
    "internal error: {error}. Please report it (set CASHPILOT_DEBUG=1 for details).":
        "erreur interne : {error}. Merci de la signaler (CASHPILOT_DEBUG=1 pour les détails).",
    "{path} already holds data; demo not loaded": "{path} contient déjà des données ; démonstration non chargée",
    "demo company loaded into {path}: {counts}": "société de démonstration chargée dans {path} : {counts}",
    "--skip-invalid needs --rejects FILE, so that no rejected row is lost":
        "--skip-invalid demande --rejects FICHIER, pour ne perdre aucune ligne rejetée",
    "no mapping profile named '{name}'": "aucun profil de correspondance nommé « {name} »",
    "{n} rejected rows written to {path}": "{n} lignes rejetées écrites dans {path}",
    "mapping saved as profile '{name}'": "correspondance enregistrée sous le profil « {name} »",
    "database: {path} (schema {schema}, data version {version})":
        "base de données : {path} (schéma {schema}, version des données {version})",
    "  ({n} open)": "  ({n} ouvertes)",
    "last imports:": "derniers imports :",
    "{file}: {read} read, {inserted} inserted, {updated} updated, {rejected} rejected":
        "{file} : {read} lues, {inserted} ajoutées, {updated} mises à jour, {rejected} rejetées",
}
