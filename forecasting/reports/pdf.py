"""The board-pack PDF: cover, cash outlook, flows and BFR, KPIs, scenarios, aging, notes, in English or French.

Built with fpdf2 (pure Python) and the kaleido PNGs of the same charts as the dashboard, drawn at twice
their pixel size so they stay sharp in print. The text uses the PDF core font Helvetica in Windows-1252, which
holds every French letter, '€', '–' and '…'; the few characters it lacks (the true minus '−', the narrow
no-break space) are mapped to their nearest equivalent so that no font file has to ship with the project.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import plotly.graph_objects as go
from fpdf import FPDF, FontFace

from forecasting.i18n.formats import fmt_date, fmt_days, fmt_money, fmt_number, fmt_percent
from forecasting.i18n.translate import localise, sentence, tr
from forecasting.i18n.weeks import week_header
from forecasting.kpis.base import PENALTIES_OPEN
from forecasting.reports.charts import theme
from forecasting.reports.charts.kpis import aging_figure, bucket_label, debtors_figure
from forecasting.reports.charts.outlook import bfr_figure, flows_figure, outlook_figure
from forecasting.reports.charts.scenarios import compare_cash_figure
from forecasting.reports.figures import Figure
from forecasting.reports.images import figure_bytes
from forecasting.reports.pdf_bank import treasury_page, variance_page
from forecasting.reports.pdf_levers import money_text as _money
from forecasting.reports.pdf_levers import waterfall_pages
from forecasting.reports.source import ExportSource
from forecasting.reports.tables import EFFECT_ROWS, SCENARIO_ROWS, kpi_rows

PAGE_W, MARGIN = 210.0, 15.0
TEXT_W = PAGE_W - 2 * MARGIN
CHART_PX = 800  # kaleido width in px, drawn at TEXT_W mm: 12 px text prints at about 7.5 pt (225 dpi at scale 2)
FONT = "helvetica"
GREY = (95, 101, 110)
LIGHT = (243, 245, 247)
PDF_CHARS = str.maketrans({"\u2212": "-", "\u202f": "\u00a0", "\u2009": " ", "\u2248": "~", "\u2265": ">=",
                           "\u2264": "<=", "\u2192": "->", "\u0394": "D", "\u2011": "-"})


def pdf_text(text: str) -> str:
    """Return text the core fonts can print: unsupported characters mapped, anything else left out as '?'."""
    mapped = str(text).translate(PDF_CHARS)
    return mapped.encode("cp1252", errors="replace").decode("cp1252")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    """Return '#rrggbb' as an (r, g, b) tuple."""
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


class BoardPack(FPDF):
    """An A4 portrait document with the company and as-of date in the header and page numbers in the footer."""

    def __init__(self, company: str, title: str, lang: str) -> None:
        """Set up the page, fonts and colours."""
        super().__init__(orientation="P", unit="mm", format="A4")
        self.core_fonts_encoding = "windows-1252"  # '€', œ, curly quotes; latin-1 lacks them
        self.company, self.doc_title, self.lang = company, title, lang
        self.primary = _rgb(theme.palette().primary)
        self.set_margins(MARGIN, 18, MARGIN)
        self.set_auto_page_break(auto=True, margin=16)
        self.set_title(pdf_text(title))
        self.set_author(pdf_text(company or "cashpilot"))
        self.set_creator("cashpilot")

    def header(self) -> None:
        """Draw the running header (not on the cover)."""
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.set_xy(MARGIN, 8)
        self.cell(TEXT_W / 2, 5, pdf_text(self.company), align="L")
        self.cell(TEXT_W / 2, 5, pdf_text(self.doc_title), align="R")
        self.set_draw_color(210, 214, 219)
        self.set_line_width(0.2)
        self.line(MARGIN, 14, PAGE_W - MARGIN, 14)
        self.set_xy(MARGIN, 18)

    def footer(self) -> None:
        """Draw the page number."""
        self.set_y(-11)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(TEXT_W, 5, pdf_text(tr("Page {page} of {pages}", self.lang, page=self.page_no(), pages="{nb}")),
                  align="R")

    # --- building blocks ------------------------------------------------------------------------
    def heading(self, text: str) -> None:
        """Write a page heading in the primary colour."""
        self.set_font(FONT, "B", 15)
        self.set_text_color(*self.primary)
        self.multi_cell(TEXT_W, 8, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def subheading(self, text: str) -> None:
        """Write a section title."""
        self.set_font(FONT, "B", 10.5)
        self.set_text_color(40, 44, 52)
        self.multi_cell(TEXT_W, 6, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(0.5)

    def paragraph(self, text: str, size: float = 9.0) -> None:
        """Write a paragraph."""
        self.set_font(FONT, "", size)
        self.set_text_color(50, 54, 62)
        self.multi_cell(TEXT_W, size * 0.5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1.2)

    def caption(self, text: str) -> None:
        """Write a small grey caption."""
        self.set_font(FONT, "I", 7.5)
        self.set_text_color(*GREY)
        self.multi_cell(TEXT_W, 3.6, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def chart(self, fig: go.Figure, height_px: int | None = None) -> None:
        """Draw a figure as a sharp PNG across the text width (a new page when it does not fit)."""
        height_px = int(height_px or fig.layout.height or 400)
        height_mm = TEXT_W * height_px / CHART_PX
        if self.get_y() + height_mm > self.h - 18:
            self.add_page()
        png = figure_bytes(fig, "png", width=CHART_PX, height=height_px, scale=2)
        self.image(io.BytesIO(png), x=MARGIN, y=self.get_y(), w=TEXT_W, h=height_mm)
        self.set_y(self.get_y() + height_mm + 2)

    def grid(self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
             align: Sequence[str], size: float = 8.0) -> None:
        """Draw a table with a coloured heading row (repeated on every page) and light zebra rows."""
        self.set_font(FONT, "", size)
        self.set_text_color(40, 44, 52)
        self.set_fill_color(255, 255, 255)  # unfilled rows take the current fill colour
        self.set_draw_color(222, 226, 230)
        self.set_line_width(0.15)
        style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=self.primary)
        with self.table(col_widths=tuple(widths), width=sum(widths), align="LEFT", text_align=tuple(align),
                        headings_style=style, line_height=size * 0.55, borders_layout="HORIZONTAL_LINES",
                        cell_fill_color=LIGHT, cell_fill_mode="ROWS", padding=(0.8, 1.2)) as table:
            row = table.row()
            for text in headings:
                row.cell(pdf_text(text))
            for values in rows:
                row = table.row()
                for text in values:
                    row.cell(pdf_text(text))
        self.ln(2)


# --- pages -----------------------------------------------------------------------------------------
def _cover(pdf: BoardPack, src: ExportSource) -> None:
    """Draw the cover: company, title, as-of date, key figures and data freshness."""
    lang, s = src.lang, src.forecast["summary"]
    pdf.add_page()
    pdf.set_fill_color(*pdf.primary)
    pdf.rect(0, 0, PAGE_W, 74, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(MARGIN, 22)
    pdf.set_font(FONT, "B", 24)
    pdf.multi_cell(TEXT_W, 11, pdf_text(src.company or tr("Cash forecast", lang)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 14)
    pdf.multi_cell(TEXT_W, 8, pdf_text(tr("Treasury board pack", lang)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(TEXT_W, 7, pdf_text(tr("Cash forecast as of {date}, {weeks} weeks ahead", lang,
                                          date=fmt_date(src.as_of, lang), weeks=src.horizon_weeks)),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(86)
    pdf.subheading(tr("Key figures", lang))
    # The figures every page and export shows, by name and statistic (reports/figures.py).
    cash, ledger = src.cash_figures, src.ledger_figures

    def figure(f: Figure, detail: str) -> tuple[str, str, str]:
        return localise(f.label, lang), _money(f.value, lang), detail

    def first_day(f: Figure) -> tuple[str, str, str]:
        return localise(f.label, lang), fmt_date(f.day, lang) if f.day is not None else tr("none within the horizon",
                                                                                          lang), ""

    horizon = cash.net_cash_at_horizon
    rows = [
        figure(cash.opening_cash, tr("bank balances of {date}", lang, date=fmt_date(s["opening_balance_date"], lang))),
        figure(horizon, tr("likely range {low} to {high}", lang, low=_money(horizon.p10, lang),
                           high=_money(horizon.p90, lang))),
        figure(cash.lowest_point, tr("on {date}", lang, date=fmt_date(cash.lowest_point.day, lang))),
        (tr("Authorised overdraft", lang), _money(s["overdraft_limit"], lang), ""),
        first_day(cash.first_day_below_zero),
        first_day(cash.first_day_beyond_overdraft),
        figure(cash.expected_bad_debt, tr("open receivables not expected to be paid", lang)),
        figure(ledger.open_receivables, tr("on {date}", lang, date=fmt_date(src.as_of, lang))),
        figure(ledger.open_payables, tr("on {date}", lang, date=fmt_date(src.as_of, lang))),
        figure(ledger.bfr, fmt_days(src.kpis.working_capital.bfr_days_of_sales, lang) + " " + tr("of sales", lang)),
    ]
    pdf.grid([tr("Figure", lang), tr("Amount", lang), tr("Detail", lang)], rows, (62, 42, 76),
             ("LEFT", "RIGHT", "LEFT"), size=9)
    pdf.ln(3)
    pdf.subheading(tr("Data freshness", lang))
    fresh = src.freshness
    last_import = fresh["last_import"]
    fresh_rows = [
        (tr("Last import", lang), fmt_date(last_import, lang) + (f" {last_import:%H:%M}" if last_import is not None
                                                                 else "")),
        (tr("Latest bank balance", lang), fmt_date(fresh["bank_balances"], lang)),
        (tr("Latest client invoice", lang), fmt_date(fresh["receivables"], lang)),
        (tr("Latest supplier invoice", lang), fmt_date(fresh["payables"], lang)),
        (tr("Latest payment", lang), fmt_date(fresh["payments"], lang)),
    ]
    pdf.grid([tr("Data", lang), tr("Date", lang)], fresh_rows, (62, 42), ("LEFT", "RIGHT"), size=9)
    for note in s["notes"]:
        pdf.caption(sentence(localise(note, lang)))
    pdf.set_y(-30)
    pdf.caption(tr("Prepared with cashpilot on {date}. Amounts in euros, VAT included.", lang,
                   date=fmt_date(date.today(), lang)))


def _outlook_page(pdf: BoardPack, src: ExportSource) -> None:
    """Draw the cash outlook with its range and the weekly table."""
    lang = src.lang
    pdf.add_page()
    pdf.heading(tr("Cash outlook", lang))
    pdf.paragraph(tr("Closing cash by week from the opening balance (the circle): the expected path and the likely "
                     "range (P10–P90). The dashed red line is the authorised overdraft; the diamond is the lowest "
                     "daily point, drawn on its week. A week is named by its Monday.", lang))
    pdf.chart(outlook_figure(src.projection.weekly, src.projection.summary, lang=lang), 420)
    headings = [week_header(lang), tr("Receipts", lang), tr("Disbursements", lang), tr("Net flow", lang),
                tr("Closing (expected)", lang), tr("Closing P10", lang), tr("Closing P90", lang)]
    rows = [(fmt_date(w["week_start"], lang), fmt_number(w["receipts"], lang), fmt_number(w["disbursements"], lang),
             fmt_number(w["net"], lang), fmt_number(w["closing_expected"], lang), fmt_number(w["closing_p10"], lang),
             fmt_number(w["closing_p90"], lang)) for w in src.forecast["weeks"]]
    pdf.grid(headings, rows, (24, 26, 26, 26, 26, 26, 26), ("LEFT",) + ("RIGHT",) * 6, size=7.8)
    pdf.caption(tr("Amounts in euros. P10–P90: 8 chances in 10 that the closing balance falls in this range.", lang))


def _flows_bfr_page(pdf: BoardPack, src: ExportSource) -> None:
    """Draw receipts against disbursements and the BFR by week."""
    lang = src.lang
    pdf.add_page()
    pdf.heading(tr("Receipts, disbursements and working capital", lang))
    # Each chart carries its own title (what it shows, its statistic and unit): no subheading repeats it.
    pdf.chart(flows_figure(src.projection.weekly, lang=lang), 340)
    scenarios = {r.scenario_name: r.bfr_scenario for r in src.results}
    pdf.chart(bfr_figure(src.baseline.bfr, scenarios, lang=lang), 360)
    pdf.caption(tr("BFR = inventory + trade receivables − trade payables (TTC), at each week's end.", lang))


def _kpi_page(pdf: BoardPack, src: ExportSource) -> None:
    """Draw the BFR and the receivables and payables KPIs."""
    lang = src.lang
    pdf.add_page()
    pdf.heading(tr("Working capital and receivables KPIs", lang))
    pdf.paragraph(tr("As of {date}, from the ledger as it stood that day.", lang, date=fmt_date(src.as_of, lang)))
    rows = []
    for label, value, fmt, _unit in kpi_rows(src.kpis, lang):
        if value is None:
            text = "—"
        elif fmt == "#,##0":
            text = fmt_money(value, lang)
        elif fmt == "0.0":
            text = fmt_days(value, lang)
        elif fmt.endswith("%"):
            text = fmt_percent(value, lang, 2 if fmt == "0.00%" else 1)
        elif fmt == "0.00":
            text = fmt_number(value, lang, 2)
        else:
            text = fmt_number(value, lang)
        rows.append((label, text))
    pdf.grid([tr("Indicator", lang), tr("Value", lang)], rows, (110, 50), ("LEFT", "RIGHT"), size=8.5)
    kpi_settings = src.kpis.settings
    template = ("DSO and DPO over the last {days} days; penalties at the ECB rate + 10 points and 40 € per invoice "
                "still open and overdue (Code de commerce L441-10)." if kpi_settings.penalty_policy == PENALTIES_OPEN
                else "DSO and DPO over the last {days} days; penalties at the ECB rate + 10 points and 40 € per "
                "invoice open and overdue or paid late in the last {lookback} days (Code de commerce L441-10).")
    pdf.caption(tr(template, lang, days=kpi_settings.period_days, lookback=kpi_settings.penalty_lookback_days))


def _scenario_page(pdf: BoardPack, src: ExportSource) -> None:
    """Draw the scenario comparison: closing cash chart and the headline differences."""
    lang = src.lang
    pdf.add_page()
    pdf.heading(tr("Scenario comparison", lang))
    weekly = {r.scenario_name: r.scenario.weekly for r in src.results}
    pdf.chart(compare_cash_figure(src.projection.weekly, weekly, lang=lang), 290)
    n = len(src.results)
    first = 52.0
    width = (TEXT_W - first) / (n + 1)
    headings = [tr("Indicator", lang), tr("Baseline", lang)] + [r.scenario_name for r in src.results]
    base = src.results[0].kpis_baseline
    rows = []
    for key, label, fmt in SCENARIO_ROWS:
        def show(value: Any, fmt: str = fmt) -> str:
            if fmt == "date":
                return fmt_date(value, lang) if value is not None else "—"
            if fmt == "0.0":
                return fmt_days(value, lang) if value is not None else "—"
            return _money(value, lang)

        row = [tr(label, lang), show(base.get(key))]
        for result, payload in zip(src.results, src.scenario_payloads, strict=True):
            text = show(result.kpis_scenario.get(key))
            delta = payload["delta"].get(key) if fmt != "date" else None
            if delta is not None:
                diff = fmt_days(delta, lang) if fmt == "0.0" else _money(delta, lang, signed=True)
                text += "\n" + tr("({diff})", lang, diff=("+" + diff if fmt == "0.0" and delta > 0 else diff))
            row.append(text)
        rows.append(row)
    for key, label in EFFECT_ROWS:
        rows.append([tr(label, lang), "—"] + [_money(p["delta"]["financial_effect"][key], lang, signed=True)
                                              for p in src.scenario_payloads])
    pdf.grid(headings, rows, (first,) + (width,) * (n + 1), ("LEFT",) + ("RIGHT",) * (n + 1), size=7.5)
    pdf.caption(tr("Each scenario applies its levers to the same simulated payments as the baseline (no refit); "
                   "differences in brackets are scenario − baseline.", lang))
    for result in src.results:
        for warning in result.warnings:
            pdf.caption(f"{result.scenario_name}: {localise(warning, lang)}")


def _aging_page(pdf: BoardPack, src: ExportSource) -> None:
    """Draw the receivables aging and the largest debtors."""
    lang = src.lang
    pdf.add_page()
    pdf.heading(tr("Receivables aging", lang))
    pdf.chart(aging_figure(src.aging, lang=lang), 320)
    aging = src.aging
    rows = [(bucket_label(str(b), lang), fmt_number(n, lang), fmt_money(a, lang), fmt_percent(f, lang))
            for b, n, a, f in zip(aging["bucket"], aging["count"], aging["amount_eur"], aging["share"], strict=True)]
    pdf.grid([tr("Days overdue", lang), tr("Invoices", lang), tr("Open amount", lang), tr("Share", lang)], rows,
             (45, 30, 45, 30), ("LEFT", "RIGHT", "RIGHT", "RIGHT"), size=8.5)
    if len(src.by_client):
        pdf.chart(debtors_figure(src.by_client, 10, lang=lang), 360)


def _notes_page(pdf: BoardPack, src: ExportSource) -> None:
    """Draw the assumptions behind the figures."""
    lang, s = src.lang, src.forecast["summary"]
    pdf.add_page()
    pdf.heading(tr("Notes and assumptions", lang))
    n_sims = src.projection.summary.n_sims
    sections = [
        (tr("How payment delays are learned", lang),
         tr("Each client's and supplier's delay (days between due date and payment) is learned from its paid "
            "invoices, counting the invoices still open so that slow payers are not flattered, and blended with "
            "its segment when its history is short. An invoice already overdue is forecast knowing it is still "
            "unpaid, so its remaining delay is longer than the average. Disputed invoices are paid later, partly "
            "or never. Receipts are expected when each client really pays, not on the due date.", lang)),
        (tr("Sales and purchases not invoiced yet", lang),
         tr("Future invoices are forecast from the invoicing history (seasonal model), split between "
            "counterparties by their recent share, then pass through their terms and learned delays.", lang)),
        (tr("The likely range (P10–P90)", lang),
         tr("The forecast is simulated {n} times. The median (P50) is the middle outcome; P10–P90 holds 8 outcomes "
            "in 10: a 1-in-10 chance that the closing cash is below P10, and 1 in 10 that it is above P90. Net "
            "cash at horizon, the lowest point and the first day below zero are those of the expected path (the "
            "mean of the outcomes: opening cash + the expected receipts − disbursements of the weekly table), as "
            "on every page of the dashboard.", lang, n=n_sims)),
        (tr("Horizon, dates and currency", lang),
         tr("The forecast starts the day after {date} and covers {weeks} weeks, shown by week (Monday to Sunday). "
            "Payments land on French bank business days. All amounts are in euros (EUR), VAT included (TTC); "
            "other currencies are converted at the latest known rate.", lang, date=fmt_date(src.as_of, lang),
            weeks=src.horizon_weeks)),
        (tr("What is excluded", lang),
         tr("Only imported data are forecast: payroll, social charges, VAT, taxes, rent, loans and capex count "
            "only when entered as planned flows. Receivables not expected to be paid (expected bad debt: "
            "{bad_debt}) are not counted as receipts, nor are receipts falling after the horizon. Inventory is "
            "not imported: the BFR uses an inventory of {inventory}. No interest on balances is forecast.", lang,
            bad_debt=_money(s["expected_bad_debt"], lang), inventory=_money(src.settings.inventory_eur, lang))),
    ]
    if src.results:
        sections.append((tr("Scenarios", lang), tr(
            "A scenario edits the simulated payments of the baseline (no refit), so differences come from its levers "
            "alone. Its financial effect sets discount and factoring costs against the interest on the extra cash "
            "at a cost of funds of {rate}.", lang, rate=fmt_percent(src.settings.cost_of_funds_rate, lang))))
    for title, text in sections:
        pdf.subheading(title)
        pdf.paragraph(text)
    covers = ", ".join(tr(c.replace("_", " "), lang) for c in s["covers"])
    pdf.subheading(tr("Data used", lang))
    pdf.paragraph(tr("This forecast includes: {covers}.", lang, covers=covers or "—"))
    for note in s["notes"]:
        pdf.paragraph(sentence(localise(note, lang)))


def board_pack_bytes(src: ExportSource) -> bytes:
    """Return the board-pack PDF of the source in its language (at least six A4 pages)."""
    lang = src.lang
    title = tr("Cash forecast as of {date}", lang, date=fmt_date(src.as_of, lang))
    pdf = BoardPack(src.company, title, lang)
    _cover(pdf, src)
    _outlook_page(pdf, src)
    _flows_bfr_page(pdf, src)
    _kpi_page(pdf, src)
    if src.results:
        _scenario_page(pdf, src)
        waterfall_pages(pdf, src)
    _aging_page(pdf, src)
    treasury_page(pdf, src)
    variance_page(pdf, src)
    _notes_page(pdf, src)
    return bytes(pdf.output())
