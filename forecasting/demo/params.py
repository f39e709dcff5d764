"""The demo company's parameters: its size, segments, terms, currencies, client behaviours, cash targets and names.

Data only: the generators (clock, fx, parties, invoices, bank) read them. Changing one changes the demo company,
and with it the golden outputs (tests/golden).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from forecasting.core import columns as c

DEMO_SOURCE = "demo"
DEMO_ENTITY = "FR01"
HISTORY_YEARS = 3
SALES_TTC_PER_YEAR = 12_000_000.0  # last 12 months at scale 1, credit notes deducted
PURCHASE_SHARE = 0.57  # purchases TTC / sales TTC
GROWTH_PER_YEAR = 0.065
N_CLIENTS, N_SUPPLIERS = 300, 120
CLIENT_INVOICES_PER_YEAR = 24.0  # average per client
SUPPLIER_INVOICES_PER_YEAR = 12.0
CREDIT_NOTE_SHARE = 0.02
SPLIT_PAYMENT_SHARE = 0.04
# sales volume by calendar month: August dip, December peak
MONTH_WEIGHTS: npt.NDArray[np.float64] = np.array(
    [0.95, 0.97, 1.05, 1.0, 0.95, 1.05, 0.95, 0.55, 1.05, 1.08, 1.05, 1.25])

BNP, CIC = "BNP-MAIN", "CIC-OPS"
ACCOUNTS = (BNP, CIC)
CIC_SWEEP_TARGET = 150_000.0
END_CASH_TARGET = 900_000.0
HISTORY_CASH_FLOOR = 150_000.0
END_CASH_CAP = 1_500_000.0
BANK_WARMUP_DAYS = 120

SEGMENTS = ("Grands comptes", "PME", "Public", "Export")
SEG_SHARE: npt.NDArray[np.float64] = np.array([0.08, 0.62, 0.15, 0.15])
SEG_SIZE: npt.NDArray[np.float64] = np.array([5.0, 1.0, 1.6, 1.5])
TERMS_TEXTS = ("net 30", "45 days end of month", "net 60", "on receipt")
TERMS_DAYS: npt.NDArray[np.float64] = np.array([30.0, 60.0, 60.0, 0.0])  # by TERMS_TEXTS, days to due on average
# a credit insurer's limit covers what a client owes when it pays as usual, with room: its sales over its terms,
# its usual lateness and a cushion, times a margin. Only clients whose debt runs well beyond their habits (a
# burst of orders, a dispute, a client paying later and later) go over it: a handful, as in real ledgers
CREDIT_LIMIT_CUSHION_DAYS = 60.0
CREDIT_LIMIT_MARGIN = 1.5
RECEIPT_CODE = 3
SEG_TERMS_P: npt.NDArray[np.float64] = np.array([
    [0.10, 0.50, 0.40, 0.0],  # large accounts negotiate long terms
    [0.60, 0.30, 0.10, 0.0],
    [1.00, 0.00, 0.00, 0.0],  # French public buyers pay at 30 days by law
    [0.50, 0.00, 0.50, 0.0],
])
CURRENCIES = ("EUR", "USD", "GBP")
EXPORT_CURRENCY_P: npt.NDArray[np.float64] = np.array([0.35, 0.40, 0.25])

SUPPLIER_SEGMENTS = ("Matières premières", "Sous-traitance", "Transport", "Frais généraux", "Énergie")
SUP_SHARE: npt.NDArray[np.float64] = np.array([0.30, 0.20, 0.15, 0.30, 0.05])
SUP_SIZE: npt.NDArray[np.float64] = np.array([3.0, 2.0, 0.8, 0.5, 1.5])
SUP_TERMS_P: npt.NDArray[np.float64] = np.array([0.35, 0.40, 0.25, 0.0])

# --- which days money moves on (client_profiles / supplier_profiles SETTLEMENT) -------------------
SETTLEMENTS = ("business_day", "any_day", "weekly_run")
BUSINESS_DAY, ANY_DAY, WEEKLY_RUN = range(3)
# retail-like PME paying by card or direct debit through a payment processor: money arrives on any calendar
# day, weekends included; picked among punctual PME clients, so close to the due date
WEEKEND_PAYER_SHARE = 0.08
# we pay most suppliers in a weekly run: the first run day on or after due date + the supplier's delay, the next
# business day when it is a holiday; direct debits (energy, some transport and overheads) go on the due date
PAYMENT_RUN_WEEKDAY = 3  # Thursday (Monday = 0)
DIRECT_DEBIT_P: npt.NDArray[np.float64] = np.array([0.0, 0.0, 0.4, 0.1, 1.0])  # by SUPPLIER_SEGMENTS

# --- ground truth of client behaviour (DemoData.client_profiles) ---------------------------------
BEHAVIOUR = "behaviour"
MEAN_DELAY_DAYS = "mean_delay_days"
DELAY_SD_DAYS = "delay_sd_days"
DRIFT_DAYS_PER_YEAR = "drift_days_per_year"
DISPUTE_RATE = "dispute_rate"
SETTLEMENT = "settlement"  # one of SETTLEMENTS
INVOICED_FROM = "invoiced_from"  # first day the client may be invoiced: recent for new clients
PROFILE_COLUMNS = [c.COUNTERPARTY_ID, c.SEGMENT, BEHAVIOUR, MEAN_DELAY_DAYS, DELAY_SD_DAYS, DRIFT_DAYS_PER_YEAR,
                   DISPUTE_RATE, SETTLEMENT, INVOICED_FROM]
SUPPLIER_PROFILE_COLUMNS = [c.COUNTERPARTY_ID, c.SEGMENT, SETTLEMENT, MEAN_DELAY_DAYS, DELAY_SD_DAYS, DISPUTE_RATE]
# --- ground truth of disputes (DemoData.disputes) and one-off invoices (DemoData.one_offs) -------------
RAISED_ON = "raised_on"  # the ledger flags DISPUTED only once the dispute is raised, on or before today
DISPUTE_COLUMNS = [c.SIDE, c.INVOICE_ID, c.COUNTERPARTY_ID, RAISED_ON]
DESCRIPTION = "description"
ONE_OFF_COLUMNS = [c.SIDE, c.INVOICE_ID, c.COUNTERPARTY_ID, DESCRIPTION]

BEHAVIOURS = ("punctual", "late", "erratic", "disputing", "never_pays")
PUNCTUAL, LATE, ERRATIC, DISPUTING, NEVER = range(5)
BEHAVIOUR_SHARE: dict[int, float] = {NEVER: 0.02, DISPUTING: 0.12, ERRATIC: 0.14, LATE: 0.30}  # the rest is punctual
# by SEGMENTS: large and public buyers stretch, public buyers always pay
BEHAVIOUR_SEG_WEIGHT: dict[int, npt.NDArray[np.float64]] = {
    NEVER: np.array([0.3, 1.5, 0.0, 1.5]),
    DISPUTING: np.array([1.5, 1.0, 0.7, 1.0]),
    ERRATIC: np.array([0.6, 1.2, 0.8, 1.3]),
    LATE: np.array([1.8, 0.8, 2.0, 1.0]),
}
# by BEHAVIOURS: (mean delay low, high), (spread low, high), drift sd per year, dispute rate (low, high)
MEAN_RANGE: npt.NDArray[np.float64] = np.array(
    [[-3.0, 1.0], [10.5, 18.5], [0.0, 25.0], [3.0, 12.0], [np.nan, np.nan]])
SD_RANGE: npt.NDArray[np.float64] = np.array(
    [[1.0, 3.0], [3.0, 6.0], [12.0, 25.0], [3.0, 7.0], [np.nan, np.nan]])
DRIFT_SD: npt.NDArray[np.float64] = np.array([0.5, 1.5, 2.0, 1.5, 0.0])
DISPUTE_RANGE: npt.NDArray[np.float64] = np.array(
    [[0.005, 0.005], [0.005, 0.005], [0.005, 0.005], [0.15, 0.35], [0.0, 0.0]])
EARLY_SHARE = 0.12  # of a punctual client's invoices, paid 3–15 days early
# real ledgers show clients whose delay moves a lot over two or three years, most paying earlier and earlier
# (collection effort, e-invoicing); the other clients keep DRIFT_SD's small drift
DRIFTING_SHARE = 0.15  # of clients (never-payers and weekend payers excepted)
WORSENING_SHARE = 0.25  # of the drifting clients, the rest pay earlier and earlier
IMPROVING_DRIFT: tuple[float, float] = (-8.0, -4.0)  # days a year
WORSENING_DRIFT: tuple[float, float] = (3.0, 6.0)
# a dispute is raised weeks after issue (delivery checked, first reminder): uniform lag in calendar days
DISPUTE_LAG_DAYS: tuple[int, int] = (14, 56)
DISPUTE_MIN_RESOLUTION_DAYS = 7  # a disputed invoice is paid a week after its dispute is raised at the soonest
# what will never be paid (a never-paying client's invoices, the contested part of a dispute settled partly) is
# written off once it is this many days past due, as an accountant does at the year's closing: the ledger keeps a
# small tail of old disputed invoices, none open for years
WRITE_OFF_AFTER_DAYS = 270
# new clients, first invoiced 3 to 6 months before today (a few invoices of history)
NEW_CLIENT_SHARE = 0.04
NEW_CLIENT_START_DAYS: tuple[int, int] = (91, 183)  # calendar days before today

# --- one-off invoices: one of each per unit of scale (none below scale 0.5), not recurring ------------
# (description, EUR TTC, issued (min, max) calendar days before today, segments of the counterparty)
SUPPLIER_ONE_OFFS: tuple[tuple[str, float, tuple[int, int], tuple[str, ...]], ...] = (
    ("production machine", 600_000.0, (420, 600), ("Sous-traitance", "Matières premières")),
    ("workshop building works", 350_000.0, (120, 240), ("Frais généraux", "Sous-traitance")),
)
CLIENT_ONE_OFFS: tuple[tuple[str, float, tuple[int, int], tuple[str, ...]], ...] = (
    ("exceptional order", 250_000.0, (150, 300), ("Grands comptes", "PME")),
)
# the counterparty is the one whose median invoice is closest to amount / ONE_OFF_MULTIPLE, and the amount is
# kept within ONE_OFF_MULTIPLE_RANGE × that median: far outside its history, yet believable for the company
ONE_OFF_MULTIPLE = 200.0
ONE_OFF_MULTIPLE_RANGE: tuple[float, float] = (120.0, 280.0)
ONE_OFF_MIN_INVOICES = 24  # a history long enough for its median to mean something

# --- names ----------------------------------------------------------------------------------------
SYL_FIRST = ("Ber", "Lan", "Mor", "Val", "Dum", "Gar", "Char", "Fon", "Ro", "Bel", "Mar", "Sau", "Vil",
             "Cour", "Mon", "Ler", "Gi", "Pel", "Tes", "Dor", "Bra", "Que", "Tal", "Sor", "Mer", "Cal")
SYL_MID = ("a", "e", "i", "o", "an", "en", "on", "er", "al", "el", "ou", "y")
SYL_LAST = ("mex", "tec", "lor", "vin", "ris", "gard", "ville", "net", "dis", "pro", "rand", "ier", "ault",
            "eau", "in", "ac", "ex", "ia", "ane", "oz")
PREFIX = {
    "Grands comptes": ("Groupe", "Compagnie", "Industries", "Holding"),
    "PME": ("", "", "Établissements", "Ateliers", "Menuiserie", "Imprimerie", "Laboratoires", "Garage",
            "Boulangerie", "Transports", "Cabinet", "Bureau d'études"),
    "Matières premières": ("Aciéries", "Métaux", "Plastiques", "Papeteries", "Bois"),
    "Sous-traitance": ("Usinage", "Ateliers", "Mécanique", "Électronique"),
    "Transport": ("Transports", "Logistique", "Messageries"),
    "Frais généraux": ("Bureautique", "Nettoyage", "Cabinet", "Informatique", "Assurances"),
    "Énergie": ("Énergies", "Gaz et Électricité", "Carburants"),
}
FORMS = ("SAS", "SARL", "SA", "SAS", "SARL", "EURL", "SNC")
PUBLIC = ("Mairie de", "Conseil départemental de", "Centre hospitalier de", "Communauté d'agglomération de",
          "Lycée professionnel de", "Syndicat des eaux de")
TOWNS = ("Rennes", "Angers", "Tours", "Dijon", "Limoges", "Poitiers", "Nancy", "Metz", "Reims", "Amiens",
         "Rouen", "Caen", "Brest", "Nîmes", "Pau", "Bayonne", "Annecy", "Valence", "Chartres", "Niort",
         "Colmar", "Troyes", "Vannes", "Quimper", "Albi", "Agen", "Périgueux", "Laval", "Blois", "Bourges")
TOWN_PATTERNS = ("Saint-{}", "{}-sur-Loire", "{}-les-Bains", "{}-en-Vallée", "{}-le-Château", "Sainte-{}")
FOREIGN_FORMS = {"EUR": ("GmbH", "S.r.l.", "B.V.", "S.L.", "NV", "AG"), "USD": ("Inc.", "LLC", "Corp."),
                 "GBP": ("Ltd", "plc", "Ltd")}
