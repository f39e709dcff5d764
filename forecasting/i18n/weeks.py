"""How a week is named everywhere (charts, tables, the drill-down, exports, CLI): by its Monday.

One convention for the whole product, the one a French treasurer says ("semaine du lundi 07/12"): a week runs from
Monday to Sunday and is named by its Monday, whether the figure is the week's flows or its closing balance.
Tables head the column `week_header` and write the Monday as a date; charts write `week_tick` under each week
and `week_of` in their hover, with `week_axis_title` as the axis title.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import pandas as pd

from forecasting.i18n.formats import fmt_date
from forecasting.i18n.translate import tr

# Named here rather than by strftime's %b, which follows the process's locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def monday_of(day: date | datetime | pd.Timestamp) -> pd.Timestamp:
    """Return the Monday of the week holding `day` (midnight)."""
    stamp = pd.Timestamp(day).normalize()
    return stamp - pd.Timedelta(days=stamp.day_of_week)


def short_day(day: date | datetime | pd.Timestamp, lang: str) -> str:
    """Return a day without its year: '07/12' in French (day first), 'Dec 7' in English (07/12 reads 12 July)."""
    stamp = pd.Timestamp(day)
    return f"{stamp:%d/%m}" if lang == "fr" else f"{_MONTHS[stamp.month - 1]} {stamp.day}"


def week_ticks(mondays: Iterable[date | datetime | pd.Timestamp], lang: str) -> list[str]:
    """Return each week's tick label ('07/12', 'Dec 7'), with its year when two weeks would read the same."""
    days = [pd.Timestamp(d) for d in mondays]
    labels = [short_day(d, lang) for d in days]
    if len(set(labels)) < len(labels):  # more than a year of weeks: the year tells them apart
        labels = [f"{label}/{d:%y}" if lang == "fr" else f"{label} {d:%Y}" for label, d in zip(labels, days, strict=True)]
    return labels


def week_of(monday: date | datetime | pd.Timestamp, lang: str) -> str:
    """Return a week as a treasurer names it: 'week of Monday 2026-12-07', 'semaine du lundi 07/12/2026'."""
    return tr("week of Monday {day}", lang, day=fmt_date(monday, lang))


def week_header(lang: str) -> str:
    """Return the heading of a table's week column (its cells are the weeks' Mondays)."""
    return tr("Week of", lang)


def week_axis_title(lang: str) -> str:
    """Return the title of a chart's week axis, which says the convention."""
    return tr("week of (Monday)", lang)
