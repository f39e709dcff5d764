"""The glossary of treasury terms shown in the dashboard, in English and French (data only; see DOMAIN.md)."""

from __future__ import annotations

import unicodedata
from typing import NamedTuple


class Entry(NamedTuple):
    """One glossary term: its name and definition in English and in French."""

    term_en: str
    term_fr: str
    text_en: str
    text_fr: str


ENTRIES: tuple[Entry, ...] = (
    Entry("BFR (working capital requirement)", "BFR (besoin en fonds de roulement)",
          "Cash tied up by the operating cycle: inventory + trade receivables − trade payables (TTC, inventory "
          "excepted). Also shown in days of sales. A fall in BFR frees the same amount of cash: "
          "ΔBFR ≈ Δdays × daily sales TTC.",
          "Trésorerie immobilisée par le cycle d'exploitation : stocks + créances clients − dettes fournisseurs "
          "(en TTC, sauf les stocks). Aussi exprimé en jours de chiffre d'affaires. Une baisse du BFR libère "
          "autant de trésorerie : ΔBFR ≈ Δjours × chiffre d'affaires TTC journalier."),
    Entry("Net cash", "Trésorerie nette",
          "Cash − short-term bank debt = long-term funding surplus (fonds de roulement) − BFR.",
          "Disponibilités − dettes bancaires à court terme = fonds de roulement − BFR."),
    Entry("DSO, simple method", "DSO, méthode simple",
          "Days sales outstanding: receivables TTC / sales TTC of the period × days of the period (91 or 365).",
          "Délai moyen de paiement clients : créances clients TTC / chiffre d'affaires TTC de la période × nombre "
          "de jours de la période (91 ou 365)."),
    Entry("DSO, countback method", "DSO, méthode par épuisement",
          "Walk back month by month from the closing receivables, subtracting each month's sales TTC and adding "
          "its days while receivables exceed them; for the last month add (remaining / its sales) × its days. "
          "Receivables 212k, sales 100k, 80k, 70k → 30 + 30 + 32/70 × 30 = 73.7 days.",
          "On remonte mois par mois depuis l'encours de clôture en retranchant le chiffre d'affaires TTC de "
          "chaque mois et en ajoutant ses jours tant que l'encours le dépasse ; pour le dernier mois, on ajoute "
          "(reste / chiffre d'affaires du mois) × ses jours. Encours 212 k, ventes 100 k, 80 k, 70 k → "
          "30 + 30 + 32/70 × 30 = 73,7 jours."),
    Entry("DPO", "DPO (délai de paiement fournisseurs)",
          "Days payables outstanding: payables TTC / purchases TTC × days of the period.",
          "Délai moyen de paiement fournisseurs : dettes fournisseurs TTC / achats TTC × nombre de jours de la "
          "période."),
    Entry("DIO", "DIO (rotation des stocks)",
          "Days inventory outstanding: inventory / cost of goods sold × days. Inventory is entered by hand: "
          "stock is not imported.",
          "Durée moyenne de stockage : stocks / coût des ventes × nombre de jours. Les stocks sont saisis à la "
          "main : ils ne sont pas importés."),
    Entry("Cash conversion cycle", "Cycle de conversion de trésorerie",
          "DSO + DIO − DPO: the days between paying suppliers and being paid by clients.",
          "DSO + DIO − DPO : le nombre de jours entre le paiement des fournisseurs et l'encaissement des clients."),
    Entry("Encours (client outstanding)", "Encours client",
          "What a client owes us: overdue + not yet due + to be invoiced − advances received. Compared with its "
          "credit limit.",
          "Ce qu'un client nous doit : échu + non échu + factures à émettre − acomptes reçus. Comparé à sa "
          "limite de crédit."),
    Entry("Aging (balance âgée)", "Balance âgée",
          "Open receivables (or payables) by bucket of days overdue: not due, 1–30, 31–60, 61–90, >90 "
          "(buckets configurable).",
          "Créances (ou dettes) ouvertes par tranche de retard : non échu, 1–30, 31–60, 61–90, > 90 jours "
          "(tranches paramétrables)."),
    Entry("Overdue", "Échu (en retard)",
          "An open invoice past its due date. Overdue rate = overdue receivables / total receivables.",
          "Facture ouverte dont l'échéance est passée. Taux de retard = créances échues / total des créances."),
    Entry("Doubtful debt", "Créance douteuse",
          "An open receivable disputed or overdue for long, whose collection is uncertain. Doubtful rate = "
          "doubtful receivables / encours.",
          "Créance ouverte en litige ou en retard depuis longtemps, dont le recouvrement est incertain. Taux de "
          "créances douteuses = créances douteuses / encours."),
    Entry("Bad debt", "Créance irrécouvrable",
          "A receivable that will never be paid and is written off. Bad-debt rate = written-off / sales. The "
          "forecast counts expected bad debt out of the receipts.",
          "Créance qui ne sera jamais payée et passée en perte. Taux d'impayés = pertes / chiffre d'affaires. La "
          "prévision exclut des encaissements les impayés attendus."),
    Entry("P10 / P50 / P90 (likely range)", "P10 / P50 / P90 (fourchette probable)",
          "A forecast is a range, not a line: 8 chances in 10 that the closing balance falls between P10 and "
          "P90; P50 is the median.",
          "Une prévision est une fourchette, pas une ligne : 8 chances sur 10 que le solde de clôture tombe entre "
          "P10 et P90 ; P50 est la médiane."),
    Entry("Lowest point", "Point bas",
          "The lowest daily closing cash over the horizon on the expected path (the mean of the simulated outcomes, "
          "as every cash figure of the forecast) and its date.",
          "Le solde de trésorerie quotidien le plus bas sur l'horizon, sur la trajectoire espérée (la moyenne des "
          "issues simulées, comme tous les chiffres de trésorerie de la prévision), et sa date."),
    Entry("Net cash at horizon", "Trésorerie nette à l'horizon",
          "The expected closing balance of all accounts on the last day of the horizon, an overdraft used counted "
          "negative: opening cash plus the expected receipts less disbursements; its likely range is P10–P90.",
          "Le solde de clôture espéré de tous les comptes au dernier jour de l'horizon, un découvert utilisé "
          "compté en négatif : trésorerie d'ouverture plus les encaissements moins les décaissements espérés ; "
          "sa fourchette probable est P10–P90."),
    Entry("Authorised overdraft", "Découvert autorisé",
          "How far below zero the bank lets the accounts go; the forecast shows when the headroom is used up.",
          "Jusqu'où les comptes peuvent descendre sous zéro ; la prévision montre quand la marge est épuisée."),
    Entry("Payment terms", "Délai de paiement",
          "How the due date follows from the issue date: net N (issue + N days), N days end of month, on "
          "receipt. Payments land on the next bank business day.",
          "Règle qui fixe l'échéance à partir de la date de facture : N jours net, N jours fin de mois, à "
          "réception. Les paiements tombent le jour ouvré bancaire suivant."),
    Entry("Legal caps (LME)", "Plafonds légaux (LME)",
          "French law (Code de commerce L441-10): agreed terms may not exceed 60 days from invoice date, or 45 "
          "days end of month; without agreement, 30 days. A what-if beyond them is flagged, not blocked.",
          "Loi française (Code de commerce L441-10) : les délais convenus ne peuvent dépasser 60 jours à compter "
          "de la date de facture, ou 45 jours fin de mois ; à défaut d'accord, 30 jours. Un scénario qui les "
          "dépasse est signalé, pas bloqué."),
    Entry("Late-payment penalties", "Pénalités de retard",
          "ECB main refinancing rate + 10 points (never below 3 × the legal interest rate) × open amount TTC × "
          "days late / 365, from the day after the due date.",
          "Taux de refinancement de la BCE + 10 points (jamais moins de 3 × le taux d'intérêt légal) × montant "
          "restant dû TTC × jours de retard / 365, dès le lendemain de l'échéance."),
    Entry("Recovery indemnity (40 €)", "Indemnité forfaitaire de recouvrement (40 €)",
          "A fixed 40 EUR owed per late invoice, on top of the late-payment interest.",
          "40 € dus par facture payée en retard, en plus des pénalités de retard."),
    Entry("Dunning", "Relances",
          "Reminders sent for overdue invoices: friendly reminder, formal reminder, formal notice (mise en "
          "demeure), then collection or litigation.",
          "Rappels envoyés pour les factures échues : relance amiable, relance formelle, mise en demeure, puis "
          "recouvrement ou contentieux."),
    Entry("Early-payment discount (2/10 net 30)", "Escompte pour paiement anticipé (2/10 net 30)",
          "2 % off when paid within 10 days, else due at 30 days. Yearly cost = d/(1−d) × 365/(N−D): 37.2 % for "
          "2/10 net 30; worth it only above the cost of funds.",
          "2 % de remise pour un paiement sous 10 jours, sinon paiement à 30 jours. Coût annuel = d/(1−d) × "
          "365/(N−D) : 37,2 % pour 2/10 net 30 ; intéressant seulement au-dessus du coût de financement."),
    Entry("Factoring", "Affacturage",
          "Selling receivables to a factor: cash advanced on assignment (often 80–90 %), the rest on "
          "collection; costs = service fee (0.15–2.5 % of TTC assigned) + financing (advanced × rate × days / "
          "360).",
          "Cession de créances à un factor : avance à la cession (souvent 80–90 %), le solde à l'encaissement ; "
          "coût = commission d'affacturage (0,15–2,5 % du TTC cédé) + commission de financement (avance × taux "
          "× jours / 360)."),
    Entry("Receipts and disbursements", "Encaissements et décaissements",
          "Cash coming in (client payments, loans drawn) and going out (suppliers, payroll, taxes, loan "
          "repayments, capex).",
          "Entrées de trésorerie (règlements clients, emprunts) et sorties (fournisseurs, salaires, impôts, "
          "remboursements d'emprunts, investissements)."),
    Entry("Closing balance", "Solde de clôture",
          "Cash at the end of a day or week: opening balance + receipts − disbursements.",
          "Trésorerie en fin de jour ou de semaine : solde d'ouverture + encaissements − décaissements."),
    Entry("Scenario (what-if)", "Scénario (simulation)",
          "Levers (terms, collection effort, discounts, factoring, activity…) applied to the forecast without "
          "refitting it, to compare cash, BFR and costs with the baseline.",
          "Leviers (délais, relances, escompte, affacturage, activité…) appliqués à la prévision sans la "
          "réestimer, pour comparer trésorerie, BFR et coûts au scénario de référence."),
    Entry("Backtest", "Backtest (test rétrospectif)",
          "The forecast made as of a past date, compared with what actually happened.",
          "La prévision faite à une date passée, comparée à ce qui s'est réellement passé."),
    Entry("WAPE", "WAPE (erreur absolue pondérée)",
          "Weighted absolute percentage error: sum of |forecast − actual| / sum of actual, e.g. over weekly "
          "receipts.",
          "Erreur absolue en pourcentage pondérée : somme des |prévu − réel| / somme du réel, par exemple sur les "
          "encaissements hebdomadaires."),
)


def glossary(lang: str) -> list[tuple[str, str]]:
    """Return (term, definition) pairs in `lang` ('fr' or 'en'), in alphabetical order of the term."""
    pairs = [(e.term_fr, e.text_fr) if lang == "fr" else (e.term_en, e.text_en) for e in ENTRIES]
    return sorted(pairs, key=lambda pair: _sort_key(pair[0]))


def _sort_key(term: str) -> str:
    """Return the term without accents nor case, so that 'Échu' sorts among the E."""
    return "".join(c for c in unicodedata.normalize("NFD", term) if not unicodedata.combining(c)).casefold()
