"""Param: one torch constructor argument as a page shows it (slider, toggle, choice, tensor) and checks it."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import InputError
from .parse import check_rectangular, parse_tensor_text
from .text import Msg


@dataclass(frozen=True)
class Param:
    """One torch constructor argument, named exactly as torch names it."""
    name: str
    kind: str                      # "float" | "int" | "bool" | "choice" | "tensor"
    default: Any
    lo: float | None = None        # slider bounds (float/int)
    hi: float | None = None
    step: float | None = None
    choices: tuple = ()            # for "choice"
    symbol: str = ""               # LaTeX symbol shown in the label, e.g. r"\delta"
    symbol_text: str = ""          # the same symbol as plain text for plot labels, e.g. "δ"
    fmt: str = ""                  # slider display format (printf-style, e.g. "%.1e" for a tiny eps); "" = default
    help: Msg | None = None  # M("<slug>.param.<name>")
    curve: bool = True             # does it change the 1-D curve? (reduction does not)
    ui_only: bool = False          # not passed to torch (e.g. a plot option)

    def coerce(self, value):
        """Validate one user value; raise InputError with what is allowed."""
        if value is None and self.kind == "tensor":
            return None
        if self.kind == "float":
            try:
                v = float(value)
            except (TypeError, ValueError):
                raise InputError("errors.not_number", name=self.name) from None
            if not math.isfinite(v) or (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
                raise InputError("errors.out_of_range", name=self.name, lo=self.lo, hi=self.hi, got=f"{v:g}")
            return v
        if self.kind == "int":
            try:
                v = int(value)
            except (TypeError, ValueError, OverflowError):   # OverflowError: int(inf)
                raise InputError("errors.not_integer", name=self.name) from None
            if (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
                raise InputError("errors.out_of_range", name=self.name, lo=self.lo, hi=self.hi, got=str(v))
            return v
        if self.kind == "bool":
            return bool(value)
        if self.kind == "choice":
            if value not in self.choices:
                raise InputError("errors.not_choice", name=self.name, allowed=", ".join(repr(c) for c in self.choices))
            return value
        if self.kind == "tensor":
            return self._coerce_tensor(value)
        raise AssertionError(self.kind)

    def _coerce_tensor(self, value):
        if isinstance(value, str):
            value = parse_tensor_text(value, self.name)
        if isinstance(value, list):
            check_rectangular(value, self.name)
        try:
            arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise InputError("errors.not_numbers", name=self.name) from None
        if not np.all(np.isfinite(arr)):
            raise InputError("errors.not_finite", name=self.name)
        return value
