"""LossSpec, Param, Example, Curve: each loss described once, as data.

The generic page (ui/loss_page.py), the tests and the benchmarks read only these objects.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .errors import InputError
from .param import Param  # noqa: F401  (re-exported: family modules import it from here)
from .parse import check_rectangular, parse_tensor_text
from .snippet import default_snippet  # noqa: F401  (re-exported: family modules import it from here)
from .text import M, Msg  # noqa: F401  (M re-exported for the family modules)

Text = Msg | None  # words, as a message by key: M("<slug>.…")

REDUCTIONS = ("none", "mean", "sum")


@dataclass(frozen=True)
class Example:
    """A worked example. `expected` is a documented value (torch docs, the notes) that tests check."""
    key: str
    title: Text
    inputs: dict
    params: dict = field(default_factory=dict)
    expected: float | None = None
    note: Text = None


@dataclass(frozen=True)
class Series:
    """One curve on the plot: elementwise loss as a function of the swept tensor x (reduction='none')."""
    name: Text
    fn: Callable  # (x: torch.Tensor, params: dict) -> torch.Tensor of x's shape
    dash: str = "solid"
    visible: bool = True           # False: in the legend, hidden until clicked


@dataclass(frozen=True)
class Curve:
    x_label: Text                  # what the x-axis is, in words (residual r = input − target)
    x_range: tuple[float, float]
    series: tuple[Series, ...]
    y_label: Text = M("spec.curve.y_label")
    markers: Callable | None = None  # params -> [(x, message)]: vertical guides (e.g. ±δ)
    n: int = 801


@dataclass(frozen=True)
class ChooserRule:
    """When the page 'Which loss should I use?' recommends this loss (losses/chooser.py reads every spec's rules).
    The most specific rule that holds wins (most conditions; then the higher rank)."""
    when: tuple[tuple[str, str], ...]    # (question, answer) pairs that must all hold, e.g. (("task", "counts"),)
    reason: Msg
    settings: str = ""                    # torch code for the recommended call, language-neutral
    alternatives: tuple[tuple[str, Msg], ...] = ()   # (slug, why)
    addenda: tuple[tuple[str, str, Msg], ...] = ()   # (question, answer, M(key)): a sentence added after the
    #   reason when that answer was given; its words take the reason so far as {before}
    rank: int = 0


class Step:
    """One line of a NumPy derivation: a message (losses/text.py) and optional LaTeX: Step(M("steps.key", ...), latex)."""
    __slots__ = ("msg", "latex")

    def __init__(self, msg: Msg, latex: str = ""):
        self.msg, self.latex = msg, latex

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
class Refusal:
    """Inputs the page must refuse with a message rather than compute (torch raises, or leaves the result
    undefined), and the key of that message. Declared on each spec; tests/test_refusals.py checks them all
    (the way torch's common_modules declares each module's error inputs)."""
    inputs: dict
    params: dict
    key: str


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
    no_curve_reason: Text = None
    mean_divisor: Callable | None = None  # (tensors, params) -> (float, message) or None: what an averaging
    #   reduction divides by; params['reduction'] says which ('mean', or e.g. KLDivLoss's 'batchmean')
    snippet: Callable | None = None   # (inputs, params) -> str; default: nn.<title>(**params)(*args)
    sample_params: Callable | None = None  # (rng, inputs) -> random valid tensor params (weight, …) for tests
    nonfinite: Text = None          # when torch documents inf/nan results (e.g. CTC)
    mean_how: Callable | None = None  # (tensors, params, none values) -> message: how 'mean' combines the
    #   'none' values when it is not one sum ÷ one divisor (CTCLoss: each ÷ its target length, then averaged)
    docs_url: str = ""
    refusals: tuple[Refusal, ...] = ()  # bad inputs and the message each gets (at least one per loss)
    chooser: tuple[ChooserRule, ...] = ()  # empty: losses/chooser_rules.py holds this loss's rules for now

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
            raise InputError("errors.unknown_param", title=self.title, arg=repr(unknown[0]))
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
            raise InputError("errors.missing_input", title=self.title, name=missing[0])
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
                raise InputError("errors.not_numbers", name=name) from None
            if arr.size == 0:
                raise InputError("errors.empty", name=name)
            if not np.all(np.isfinite(arr)):
                raise InputError("errors.not_finite", name=name)
            if self.arg_dtypes.get(name, "float") == "long":
                if not np.all(arr == np.round(arr)):
                    raise InputError("errors.not_whole", name=name)
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
    return Param("reduction", "choice", default, choices=choices, curve=False, help=M("spec.reduction.help"))


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
