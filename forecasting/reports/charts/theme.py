"""The board-pack chart theme: one registered plotly template, the same on screen and in exports.

White background, thin grey gridlines, one sober palette and readable fonts. The company name and colours
are settings, read in this order (later wins): built-in defaults, the `[cashpilot]` table of a settings file
(`$CASHPILOT_SETTINGS`, else `cashpilot.toml` in the working directory), then `$CASHPILOT_COMPANY` and
`$CASHPILOT_COLOURS` (comma-separated `#rrggbb`, in the order of `COLOUR_ROLES`).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from PIL import Image, ImageDraw

from forecasting.core.errors import InputError

TEMPLATE_NAME = "cashpilot"
SETTINGS_FILE = "cashpilot.toml"
# Fonts present on every browser machine first; DejaVu and Liberation are what Debian's chromium has,
# so exports drawn by kaleido look like the screen.
FONT_FAMILY = "Inter, 'Segoe UI', 'Helvetica Neue', Helvetica, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
TEXT_COLOUR = "#2b2f36"
GRID_COLOUR = "#e3e6ea"
AXIS_COLOUR = "#9aa1ab"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Palette:
    """Colours by role: each chart picks a role, so one setting recolours every chart consistently."""

    primary: str = "#1f3a5f"  # cash line, 'not due', forecast: navy
    positive: str = "#2e7d5b"  # receipts, rating A, the scenario
    warning: str = "#c0803a"  # disbursements, just overdue
    alert: str = "#b03a2e"  # thresholds, oldest overdue, rating D
    neutral: str = "#8a8f98"  # baseline
    extra: str = "#6a4c93"  # a fourth compared scenario

    def band(self, alpha: float = 0.18) -> str:
        """Return the primary colour as a translucent rgba fill (the P10–P90 band)."""
        return rgba(self.primary, alpha)

    def sequence(self) -> tuple[str, ...]:
        """Return the colours in role order: the template's colorway for traces without a colour."""
        return tuple(getattr(self, f.name) for f in fields(self))


COLOUR_ROLES: tuple[str, ...] = tuple(f.name for f in fields(Palette))


@dataclass(frozen=True)
class ThemeSettings:
    """Company name and palette shown on charts and in the board pack."""

    company: str = ""
    palette: Palette = field(default_factory=Palette)


def rgba(hex_colour: str, alpha: float) -> str:
    """Return '#rrggbb' as 'rgba(r, g, b, alpha)'."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def parse_colours(value: str | list[str] | tuple[str, ...], source: str) -> dict[str, str]:
    """Return {role: colour} from a list or a comma-separated text of '#rrggbb' colours, in role order."""
    items = [c.strip() for c in value.split(",")] if isinstance(value, str) else [str(c).strip() for c in value]
    items = [c for c in items if c]
    if len(items) > len(COLOUR_ROLES):
        raise InputError(f"{source}: at most {len(COLOUR_ROLES)} colours ({', '.join(COLOUR_ROLES)}), "
                         f"got {len(items)}")
    for colour in items:
        if not _HEX.match(colour):
            raise InputError(f"{source}: '{colour}' is not a colour written #rrggbb (e.g. #1f3a5f)")
    return dict(zip(COLOUR_ROLES, (c.lower() for c in items), strict=False))


def _file_settings(path: Path) -> Mapping[str, object]:
    """Return the [cashpilot] table of a TOML settings file (empty when the file does not exist)."""
    if not path.is_file():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("cashpilot", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a readable TOML settings file ({exc})") from exc
    if not isinstance(table, dict):
        raise InputError(f"{path}: [cashpilot] must be a table")
    return table


def load_settings(environ: Mapping[str, str] | None = None, path: str | Path | None = None) -> ThemeSettings:
    """Return the theme settings from the settings file then the environment (environment wins)."""
    env = os.environ if environ is None else environ
    file = Path(path or env.get("CASHPILOT_SETTINGS") or SETTINGS_FILE)
    table = _file_settings(file)
    company = str(table.get("company", "") or "")
    colours: dict[str, str] = {}
    if "colours" in table or "colors" in table:
        value = table.get("colours", table.get("colors"))
        if not isinstance(value, (str, list)):
            raise InputError(f"{file}: colours must be a list of '#rrggbb' texts")
        colours.update(parse_colours(value, f"{file} [cashpilot] colours"))
    if env.get("CASHPILOT_COMPANY"):
        company = env["CASHPILOT_COMPANY"]
    if env.get("CASHPILOT_COLOURS"):
        colours.update(parse_colours(env["CASHPILOT_COLOURS"], "CASHPILOT_COLOURS"))
    return ThemeSettings(company=company.strip(), palette=replace(Palette(), **colours))


@lru_cache(maxsize=1)
def settings() -> ThemeSettings:
    """Return the settings of this process, read once (call `reload()` after changing them)."""
    return load_settings()


def palette() -> Palette:
    """Return the palette in force."""
    return settings().palette


def legend_below(**extra: object) -> dict[str, object]:
    """Return a horizontal legend at the foot of the figure, under the x axis's labels and title.

    Placed in the figure's own frame (yref "container"), Plotly keeps the legend's rows clear of the axis: placed a
    share of the plot's height under it ("paper"), the legend sat on the axis title whenever the tick labels turned
    or the plot was short (tests/e2e/test_labels_fit.py measures it).
    """
    return {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", **extra}


def build_template(theme: ThemeSettings) -> go.layout.Template:
    """Return the board-pack plotly template for `theme`."""
    axis = {"showgrid": True, "gridcolor": GRID_COLOUR, "gridwidth": 0.6, "zeroline": False,
            "linecolor": AXIS_COLOUR, "linewidth": 0.8, "showline": True, "ticks": "outside",
            "tickcolor": AXIS_COLOUR, "ticklen": 4, "title": {"font": {"size": 12, "color": "#555b65"}},
            "tickfont": {"size": 11}, "automargin": True}
    layout = go.Layout(
        font={"family": FONT_FAMILY, "size": 12, "color": TEXT_COLOUR},
        title={"font": {"size": 15, "color": TEXT_COLOUR}, "x": 0, "xanchor": "left"},
        paper_bgcolor="white", plot_bgcolor="white", colorway=list(theme.palette.sequence()),
        xaxis={**axis, "showgrid": False}, yaxis=axis,
        legend={"bgcolor": "rgba(255,255,255,0)", "font": {"size": 11}},
        hoverlabel={"bgcolor": "white", "bordercolor": AXIS_COLOUR, "font": {"family": FONT_FAMILY, "size": 12}},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    return go.layout.Template(layout=layout)


def template() -> str:
    """Return the name of the registered board-pack template (registering it for the settings in force)."""
    if TEMPLATE_NAME not in pio.templates:
        pio.templates[TEMPLATE_NAME] = build_template(settings())
    return TEMPLATE_NAME


def reload() -> ThemeSettings:
    """Read the settings again and re-register the template; return the new settings."""
    settings.cache_clear()
    app_icon.cache_clear()
    if TEMPLATE_NAME in pio.templates:
        del pio.templates[TEMPLATE_NAME]
    template()
    return settings()


@lru_cache(maxsize=4)
def app_icon(size_px: int = 64) -> Image.Image:
    """Return the browser-tab icon: a rising cash line on the company's primary colour.

    Drawn here rather than named as a Material icon, which the browser would fetch from Google's servers:
    the dashboard needs no network beyond the machine that serves it.
    """
    big = size_px * 4  # drawn large, then scaled down: smooth edges without an anti-aliasing library
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=palette().primary)
    points = [(0.18, 0.72), (0.38, 0.52), (0.55, 0.62), (0.82, 0.28)]
    line = [(x * big, y * big) for x, y in points]
    draw.line(line, fill="white", width=big // 12, joint="curve")
    r = big // 14
    x, y = line[-1]
    draw.ellipse((x - r, y - r, x + r, y + r), fill="white")
    return image.resize((size_px, size_px), Image.Resampling.LANCZOS)
