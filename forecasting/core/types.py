"""The types every stage shares: the as-of date and the JSON values results turn into at the edges.

One as-of type from the edge in: every public function of the stages takes `as_of: datetime.date`, what the
command line (argparse) and the pages (`st.date_input`) give. A `pd.Timestamp` is a `date` too, so a stage
passes on the one it holds. Inside, a stage computes with the `pd.Timestamp` at midnight (no time zone) that
`as_of_timestamp` returns: the one conversion, made where a public function starts.
"""

from __future__ import annotations

from datetime import date
from typing import TypeAlias

import pandas as pd

# What json.dumps writes: the results' `to_dict()` return these, the CLI prints them as they are.
JsonValue: TypeAlias = "str | int | float | bool | None | list[JsonValue] | dict[str, JsonValue]"
JsonDict: TypeAlias = "dict[str, JsonValue]"


def as_of_timestamp(as_of: date) -> pd.Timestamp:
    """Return the as-of date as the Timestamp the stages compute with: midnight, no time zone."""
    return pd.Timestamp(as_of).normalize()
