"""Which counterparties a lever touches (`Scope`), and the error a bad lever or scenario raises (`LeverError`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.core.errors import InputError

SCOPE_KINDS = ("all", "segment", "counterparties")


class LeverError(InputError):
    """A lever or scenario field is missing, unknown or impossible.

    A lever's own checks say only "<field> <problem>" (e.g. "share must be between 0 and 1, got 2"); whoever
    reads a file or a form puts the lever's position and type in front ("lever 2 (factoring): ...").
    """


def fmt(value: float | None) -> str:
    """Return a number as a message writes it, without a useless '.0' ('' for None)."""
    return f"{value:g}" if value is not None else ""


def check_range(name: str, value: float | None, low: float | None = None, high: float | None = None) -> None:
    """Raise LeverError unless `value` (None: not given) lies in [low, high]."""
    if value is None or ((low is None or value >= low) and (high is None or value <= high)):
        return
    bounds = (f"between {fmt(low)} and {fmt(high)}" if low is not None and high is not None
              else f"at least {fmt(low)}" if low is not None else f"at most {fmt(high)}")
    raise LeverError(f"{name} must be {bounds}, got {fmt(value)}")


@dataclass(frozen=True)
class Scope:
    """Which counterparties a lever touches: all of its side, some segments, or listed ids."""

    kind: str = "all"
    values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Reject a scope no file could hold."""
        if self.kind not in SCOPE_KINDS:
            raise LeverError(f"scope.kind must be one of {', '.join(SCOPE_KINDS)}, got {self.kind!r}")
        if self.kind != "all" and not self.values:
            raise LeverError(f"scope.{self.key} must list at least one {'segment' if self.kind == 'segment' else 'id'}")

    @property
    def key(self) -> str:
        """Return the JSON key listing the values: 'segments' or 'ids'."""
        return "segments" if self.kind == "segment" else "ids"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the scope."""
        return {"kind": "all"} if self.kind == "all" else {"kind": self.kind, self.key: list(self.values)}

    def describe(self) -> str:
        """Return the scope in words."""
        if self.kind == "all":
            return "all"
        head = ", ".join(self.values[:3]) + ("…" if len(self.values) > 3 else "")
        return f"{'segment' if self.kind == 'segment' else 'counterparties'} {head}"

    def mask(self, segments: pd.Series, counterparty_ids: pd.Series) -> npt.NDArray[np.bool_]:
        """Return True for the rows (given by their segment and counterparty id) the scope selects."""
        if self.kind == "segment":
            return segments.astype(str).isin(self.values).to_numpy(dtype=bool)
        if self.kind == "counterparties":
            return counterparty_ids.astype(str).isin(self.values).to_numpy(dtype=bool)
        return np.ones(len(segments), dtype=bool)
