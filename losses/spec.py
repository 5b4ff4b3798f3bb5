"""LossSpec, Param, Example, Curve: each loss described once, as data.

The generic page (ui/loss_page.py), the tests and the benchmarks read only these objects.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .errors import InputError
from .parse import check_rectangular, parse_tensor_text
from .snippet import default_snippet  # noqa: F401  (re-exported: family modules import it from here)
from .text import M, Msg  # noqa: F401  (M re-exported for the family modules)

Bilingual = dict  # {"en": str, "zh": str}

REDUCTIONS = ("none", "mean", "sum")


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
    help: Bilingual = field(default_factory=dict)
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
                raise InputError(f"`{self.name}` must be a number.", f"`{self.name}` 必须是数字。") from None
            if not math.isfinite(v) or (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
                raise InputError(f"`{self.name}` must be between {self.lo:g} and {self.hi:g}, got {v:g}.",
                                 f"`{self.name}` 必须在 {self.lo:g} 与 {self.hi:g} 之间，当前为 {v:g}。")
            return v
        if self.kind == "int":
            try:
                v = int(value)
            except (TypeError, ValueError, OverflowError):   # OverflowError: int(inf)
                raise InputError(f"`{self.name}` must be an integer.", f"`{self.name}` 必须是整数。") from None
            if (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
                raise InputError(f"`{self.name}` must be between {self.lo:g} and {self.hi:g}, got {v}.",
                                 f"`{self.name}` 必须在 {self.lo:g} 与 {self.hi:g} 之间，当前为 {v}。")
            return v
        if self.kind == "bool":
            return bool(value)
        if self.kind == "choice":
            if value not in self.choices:
                allowed = ", ".join(repr(c) for c in self.choices)
                raise InputError(f"`{self.name}` must be one of {allowed}.", f"`{self.name}` 只能取 {allowed}。")
            return value
        if self.kind == "tensor":
            if isinstance(value, str):
                value = parse_tensor_text(value, self.name)
            if isinstance(value, list):
                check_rectangular(value, self.name)
            try:
                arr = np.asarray(value, dtype=np.float64)
            except (TypeError, ValueError):
                raise InputError(f"`{self.name}` must be numbers.", f"`{self.name}` 必须是数字。") from None
            if not np.all(np.isfinite(arr)):
                raise InputError(f"`{self.name}` contains NaN or infinity.", f"`{self.name}` 含有 NaN 或无穷大。")
            return value
        raise AssertionError(self.kind)


@dataclass(frozen=True)
class Example:
    """A worked example. `expected` is a documented value (torch docs, the notes) that tests check."""
    key: str
    title: Bilingual
    inputs: dict
    params: dict = field(default_factory=dict)
    expected: float | None = None
    note: Bilingual = field(default_factory=dict)


@dataclass(frozen=True)
class Series:
    """One curve on the plot: elementwise loss as a function of the swept tensor x (reduction='none')."""
    name: Bilingual
    fn: Callable  # (x: torch.Tensor, params: dict) -> torch.Tensor of x's shape
    dash: str = "solid"
    visible: bool = True           # False: in the legend, hidden until clicked


@dataclass(frozen=True)
class Curve:
    x_label: Bilingual             # what the x-axis is, in words (residual r = input − target)
    x_range: tuple[float, float]
    series: tuple[Series, ...]
    y_label: Bilingual = field(default_factory=lambda: {"en": "loss", "zh": "损失"})
    markers: Callable | None = None  # params -> [(x, {"en","zh"})]: vertical guides (e.g. ±δ)
    n: int = 801


class Step:
    """One line of a NumPy derivation: a message (losses/text.py) and optional LaTeX.
    Step(M("steps.key", ...), latex). (Step(en, zh, latex) is accepted while code moves to keys.)"""
    __slots__ = ("msg", "latex")

    def __init__(self, msg, zh=None, latex: str = ""):
        if isinstance(msg, Msg):
            self.msg, self.latex = msg, zh if zh is not None else latex
        else:
            from .errors import _Pair
            self.msg, self.latex = _Pair(msg, zh), latex

    def text(self, lang: str) -> str:
        return self.msg.text(lang)

    @property
    def key(self) -> str:
        return getattr(self.msg, "key", "")

    # The two shipped languages by name (tests read them).
    en = property(lambda self: self.text("en"))
    zh = property(lambda self: self.text("zh"))

    def __eq__(self, other) -> bool:
        return isinstance(other, Step) and (self.text("en"), self.latex) == (other.text("en"), other.latex)

    def __hash__(self) -> int:
        return hash((self.text("en"), self.latex))

    def __repr__(self) -> str:
        return f"Step({self.text('en')!r}, latex={self.latex!r})"


@dataclass(frozen=True)
class LossSpec:
    slug: str
    title: str                      # torch.nn class name, e.g. "HuberLoss"
    family: str                     # "regression" | "classification" | "margin" | "sequence"
    formula: str                    # LaTeX, language-neutral
    arg_names: tuple[str, ...]      # forward() argument names, in order
    params: tuple[Param, ...]
    examples: tuple[Example, ...]
    reference_fn: Callable          # (np inputs dict, params) -> (value, [Step])
    sample: Callable                # (np.random.Generator) -> valid random inputs dict
    functional: str | None = None   # torch.nn.functional name; None for losses outside torch.nn
    arg_dtypes: dict = field(default_factory=dict)   # arg -> "float" | "long" (default float)
    validate: Callable | None = None  # (tensors dict, params) -> None or raise InputError
    compute: Callable | None = None   # (tensors dict, torch kwargs) -> Tensor; default: F.<functional>
    curve: Curve | None = None
    no_curve_reason: Bilingual = field(default_factory=dict)
    mean_divisor: Callable | None = None  # (tensors, params) -> (float, Bilingual) or None: what an averaging
    #   reduction divides by; params['reduction'] says which ('mean', or e.g. KLDivLoss's 'batchmean')
    snippet: Callable | None = None   # (inputs, params) -> str; default: nn.<title>(**params)(*args)
    panels: tuple[str, ...] = ()      # extra ui.panels.<name> modules shown on the page
    sample_params: Callable | None = None  # (rng, inputs) -> random valid tensor params (weight, …) for tests
    nonfinite: Bilingual = field(default_factory=dict)  # when torch documents inf/nan results (e.g. CTC)
    mean_how: Callable | None = None  # (tensors, params, none values) -> Bilingual: how 'mean' combines the
    #   'none' values when it is not one sum ÷ one divisor (CTCLoss: each ÷ its target length, then averaged)
    docs_url: str = ""

    # ---- parameters -------------------------------------------------------------------------
    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def resolve_params(self, params: dict | None) -> dict:
        """Fill torch's defaults and validate every value (unknown names are an error)."""
        params = dict(params or {})
        known = {p.name for p in self.params}
        unknown = sorted(set(params) - known)
        if unknown:
            raise InputError(f"{self.title} has no argument {unknown[0]!r}.",
                             f"{self.title} 没有参数 {unknown[0]!r}。")
        return {p.name: p.coerce(params.get(p.name, p.default)) for p in self.params}

    def torch_kwargs(self, params: dict, device="cpu") -> dict:
        """Resolved params as torch wants them: tensors for tensor params, UI-only ones dropped."""
        import torch
        out = {}
        for p in self.params:
            if p.ui_only:
                continue
            v = params[p.name]
            if p.kind == "tensor" and v is not None:
                v = torch.as_tensor(np.asarray(v, dtype=np.float32), device=device)
            out[p.name] = v
        return out

    # ---- inputs -----------------------------------------------------------------------------
    def to_arrays(self, inputs: dict) -> dict:
        """User inputs (text, lists, arrays, tensors) -> NumPy arrays with the right dtype."""
        missing = [a for a in self.arg_names if a not in inputs]
        if missing:
            raise InputError(f"{self.title} needs `{missing[0]}`.", f"{self.title} 需要 `{missing[0]}`。")
        arrays = {}
        for name in self.arg_names:
            value = inputs[name]
            if isinstance(value, str):
                value = parse_tensor_text(value, name)
            elif hasattr(value, "detach"):
                value = value.detach().cpu().numpy()
            if isinstance(value, list):
                check_rectangular(value, name)
            try:
                arr = np.asarray(value, dtype=np.float64)
            except (TypeError, ValueError):
                raise InputError(f"`{name}` must be numbers.", f"`{name}` 必须是数字。") from None
            if arr.size == 0:
                raise InputError(f"`{name}` is empty.", f"`{name}` 是空的。")
            if not np.all(np.isfinite(arr)):
                raise InputError(f"`{name}` contains NaN or infinity.", f"`{name}` 含有 NaN 或无穷大。")
            if self.arg_dtypes.get(name, "float") == "long":
                if not np.all(arr == np.round(arr)):
                    raise InputError(f"`{name}` must hold whole numbers (class indices or lengths).",
                                     f"`{name}` 必须是整数（类别索引或长度）。")
                arr = arr.astype(np.int64)
            arrays[name] = arr
        return arrays

    def to_tensors(self, arrays: dict, device="cpu") -> dict:
        import torch
        out = {}
        for name, arr in arrays.items():
            dtype = torch.long if self.arg_dtypes.get(name, "float") == "long" else torch.float32
            out[name] = torch.as_tensor(arr, dtype=dtype, device=device)
        return out

    # ---- the contract -------------------------------------------------------------------------
    def evaluate(self, inputs: dict, params: dict | None = None, device: str = "cpu"):
        """The loss computed by torch itself. Invalid input raises InputError, never a torch error."""
        p = self.resolve_params(params)
        arrays = self.to_arrays(inputs)
        tensors = self.to_tensors(arrays, device)
        if self.validate is not None:
            self.validate(tensors, p)
        return self.call_torch(tensors, p, device)

    def call_torch(self, tensors: dict, params: dict, device: str = "cpu"):
        """Run torch on already validated tensors; torch's own errors become InputError."""
        kwargs = self.torch_kwargs(params, device)
        try:
            if self.compute is not None:
                return self.compute(tensors, kwargs)
            import torch.nn.functional as F
            return getattr(F, self.functional)(*(tensors[a] for a in self.arg_names), **kwargs)
        except InputError:
            raise
        except (RuntimeError, ValueError, IndexError, TypeError) as exc:
            raise InputError.from_torch(exc) from None

    def diagnose(self, inputs: dict, params: dict | None = None) -> list:
        """What torch accepts here without a word but is probably a mistake: [Diagnosis, ...] (losses/
        diagnosis.py), empty when nothing looks wrong. Inputs that evaluate() refuses raise InputError."""
        from .diagnose_rules import RULES
        p = self.resolve_params(params)
        arrays = self.to_arrays(inputs)
        if self.validate is not None:
            self.validate(self.to_tensors(arrays), p)
        rule = RULES.get(self.slug)
        return rule(arrays, p) if rule is not None else []

    def reference(self, inputs: dict, params: dict | None = None):
        """The same number computed step by step in NumPy: (value, [Step, ...])."""
        p = self.resolve_params(params)
        arrays = self.to_arrays(inputs)
        if self.validate is not None:
            self.validate(self.to_tensors(arrays), p)
        return self.reference_fn(arrays, p)

    def code(self, inputs: dict, params: dict | None = None) -> str:
        """A PyTorch snippet that reproduces exactly this evaluation."""
        p = self.resolve_params(params)
        if self.snippet is not None:
            return self.snippet(inputs, p)
        return default_snippet(self, inputs, p)


def reduction_param(choices: tuple = REDUCTIONS, default: str = "mean") -> Param:
    return Param("reduction", "choice", default, choices=choices, curve=False, help={
        "en": "How the elementwise losses become the result: 'none' keeps them, 'sum' adds them, "
              "'mean' divides the sum (see the reduction inspector for the divisor).",
        "zh": "逐元素损失如何变成结果：'none' 原样保留，'sum' 求和，'mean' 求和后再除（除数见归约检查器）。"})


def gradient(spec: LossSpec, inputs: dict, params: dict | None = None, wrt: str | None = None, device: str = "cpu"):
    """Autograd gradient of the (reduced, then summed) loss with respect to one float input."""
    import torch
    p = spec.resolve_params(params)
    arrays = spec.to_arrays(inputs)
    tensors = spec.to_tensors(arrays, device)
    if spec.validate is not None:
        spec.validate(tensors, p)
    wrt = wrt or next(a for a in spec.arg_names if spec.arg_dtypes.get(a, "float") == "float")
    tensors[wrt] = tensors[wrt].detach().requires_grad_(True)
    out = spec.call_torch(tensors, p, device)
    if not out.requires_grad:
        return wrt, torch.zeros_like(tensors[wrt])
    (g,) = torch.autograd.grad(out.sum(), tensors[wrt], allow_unused=True)
    return wrt, (torch.zeros_like(tensors[wrt]) if g is None else g)
