"""Classification family: BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss, sigmoid focal loss.

Target formats follow torch: CrossEntropyLoss reads a target with the input's shape as class probabilities
and any other target as class indices (torch decides by dtype; typed text has no dtype, so the shape
decides, which is unambiguous: index targets always lack the class dimension).
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .parse import format_tensor_text, parse_tensor_text
from .reference import classification as ref
from .spec import Curve, Example, LossSpec, Param, Series, reduction_param
from .validation import require_range, require_same_shape, shape_str

DOCS = "https://pytorch.org/docs/stable/generated/torch.nn.{}.html"
FOCAL_DOCS = "https://pytorch.org/vision/stable/generated/torchvision.ops.sigmoid_focal_loss.html"
ARGS = ("input", "target")
PROB_X = {"en": "predicted probability x", "zh": "预测概率 x"}
LOGIT_X = {"en": "logit x  (probability σ(x))", "zh": "logit x（概率为 σ(x)）"}
CE_X = {"en": "logit of the true class z₀  (z₁, z₂: sliders)",
        "zh": "真实类别（类别 0）的 logit z₀（z₁、z₂ 由滑块给出）"}
NLL_X = {"en": "input entry of the target class x₂  (x₀, x₁: sliders)",
         "zh": "目标类别（类别 2）的输入值 x₂（x₀、x₁ 由滑块给出）"}


# ---- tensor parameters and shared checks --------------------------------------------------------------

def _array_param(params: dict, name: str) -> np.ndarray | None:
    v = params.get(name)
    if v is None:
        return None
    if hasattr(v, "detach"):
        v = v.detach().cpu().numpy()
    try:
        arr = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"`{name}` must be numbers.", f"`{name}` 必须是数字。") from None
    if arr.size == 0:
        raise InputError(f"`{name}` is empty: leave the field blank for None, or give numbers.",
                         f"`{name}` 是空的：不需要时请留空（即 None），否则请填入数字。")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"`{name}` contains NaN or infinity.", f"`{name}` 含有 NaN 或无穷大。")
    if np.any(arr < 0):
        raise InputError(f"`{name}` must not be negative (found {arr.min():g}): a negative weight rewards a mistake.",
                         f"`{name}` 不能为负（出现了 {arr.min():g}）：负权重等于奖励错误。")
    return arr


def _require_broadcast(params: dict, name: str, shape: tuple, hint_en: str = "", hint_zh: str = "") -> None:
    arr = _array_param(params, name)
    if arr is None:
        return
    try:
        ok = np.broadcast_shapes(arr.shape, shape) == tuple(shape)
    except ValueError:
        ok = False
    if not ok:
        a, s = _fmt_shape(arr.shape), _fmt_shape(shape)
        raise InputError(f"`{name}` has shape {a}, which does not broadcast to the input's shape {s}. {hint_en}".strip(),
                         f"`{name}` 的形状 {a} 无法广播到 input 的形状 {s}。{hint_zh}".strip())


def _fmt_shape(shape) -> str:
    shape = tuple(int(d) for d in shape)
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _n_classes(inp) -> int:
    return int(inp.shape[0] if inp.dim() == 1 else inp.shape[1])


def _class_weight(params: dict, C: int) -> None:
    arr = _array_param(params, "weight")
    if arr is not None and (arr.ndim != 1 or arr.size != C):
        raise InputError(
            f"`weight` must be a 1-D list of C = {C} numbers, one per class; got shape {_fmt_shape(arr.shape)}.",
            f"`weight` 必须是长度为 C = {C} 的一维列表（每个类别一个数）；当前形状为 {_fmt_shape(arr.shape)}。")


def _require_classes(inp) -> None:
    if inp.dim() < 1:
        raise InputError("`input` must have a class dimension: shape (C), (N, C) or (N, C, d1, …).",
                         "`input` 必须带有类别维：形状为 (C)、(N, C) 或 (N, C, d1, …)。")


def _index_target_shape(inp) -> tuple:
    return () if inp.dim() == 1 else (int(inp.shape[0]),) + tuple(int(d) for d in inp.shape[2:])


def _check_index_target(t, inp, params: dict, loss: str) -> None:
    C = _n_classes(inp)
    expected = _index_target_shape(inp)
    if tuple(t.shape) != expected:
        exp = _fmt_shape(expected)
        extra_en = " For probability targets give the same shape as `input`." if loss == "ce" else ""
        extra_zh = "若要用概率目标，请给出与 `input` 相同的形状。" if loss == "ce" else ""
        raise InputError(
            f"`target` has shape {shape_str(t)}; for `input` of shape {shape_str(inp)} class-index targets need "
            f"shape {exp}: one class index per position, the class dimension (dim {0 if inp.dim() == 1 else 1}) "
            f"removed.{extra_en}",
            f"`target` 的形状是 {shape_str(t)}；`input` 的形状为 {shape_str(inp)} 时，类别索引形式的 target "
            f"应为 {exp}：每个位置一个类别索引，去掉类别维（第 {0 if inp.dim() == 1 else 1} 维）。{extra_zh}")
    v = t.double()
    if not bool((v == v.round()).all()):
        raise InputError("`target` holds class indices, so it must be whole numbers.",
                         "`target` 是类别索引，必须是整数。")
    ii = int(params["ignore_index"])
    bad = (v != ii) & ((v < 0) | (v >= C))
    if bool(bad.any()):
        first = int(v[bad].flatten()[0])
        raise InputError(
            f"Class index {first} in `target` is out of range: `input` has C = {C} classes, so indices go from 0 to "
            f"{C - 1} (or equal `ignore_index` = {ii}).",
            f"`target` 中的类别索引 {first} 越界：`input` 有 C = {C} 个类别，索引只能是 0 到 {C - 1}"
            f"（或等于 `ignore_index` = {ii}）。")


def _is_prob_target(t: dict) -> bool:
    return tuple(t["target"].shape) == tuple(t["input"].shape)


# ---- validation per loss ------------------------------------------------------------------------------

def _validate_bce(t: dict, p: dict) -> None:
    require_same_shape(t, "input", "target")
    require_range(t, "input", 0.0, 1.0, "probabilities; pass logits to BCEWithLogitsLoss instead",
                  "概率；若是 logits 请改用 BCEWithLogitsLoss")
    require_range(t, "target", 0.0, 1.0, "probabilities", "概率")
    _require_broadcast(p, "weight", tuple(t["input"].shape),
                       "For a per-sample weight on an (N, C) input use shape (N, 1).",
                       "对 (N, C) 的 input 做逐样本加权请用形状 (N, 1)。")


def _validate_bce_logits(t: dict, p: dict) -> None:
    require_same_shape(t, "input", "target")   # torch raises; a target outside [0, 1] it computes (diagnosed)
    shape = tuple(t["input"].shape)
    _require_broadcast(p, "weight", shape, "For a per-sample weight on an (N, C) input use shape (N, 1).",
                       "对 (N, C) 的 input 做逐样本加权请用形状 (N, 1)。")
    _require_broadcast(p, "pos_weight", shape,
                       "pos_weight aligns with the last dimension: (C,) for (N, C); (C, 1, 1) for (N, C, H, W).",
                       "pos_weight 从最后一维对齐：(N, C) 用 (C,)；(N, C, H, W) 用 (C, 1, 1)。")


def _validate_ce(t: dict, p: dict) -> None:
    inp, tgt = t["input"], t["target"]
    _require_classes(inp)
    _class_weight(p, _n_classes(inp))
    if _is_prob_target(t):
        if int(p["ignore_index"]) != -100:
            raise InputError(
                f"`ignore_index` = {p['ignore_index']} only works with class-index targets; this target has the "
                "input's shape, so it holds probabilities (torch raises 'ignore_index is not supported for floating "
                "point target'). Set `ignore_index` back to -100.",
                f"`ignore_index` = {p['ignore_index']} 只适用于类别索引形式的目标；这个 target 与 input 同形，"
                "表示概率（torch 会报 'ignore_index is not supported for floating point target'）。"
                "请把 `ignore_index` 改回 -100。")
        return   # torch does not check probability targets: spec.diagnose() warns about negative or unnormalised rows
    _check_index_target(tgt, inp, p, "ce")


def _validate_nll(t: dict, p: dict) -> None:
    inp, tgt = t["input"], t["target"]
    _require_classes(inp)
    _class_weight(p, _n_classes(inp))
    if inp.dim() >= 2 and tuple(tgt.shape) == tuple(inp.shape):
        exp = _fmt_shape(_index_target_shape(inp))
        raise InputError(
            f"`target` has the input's shape {shape_str(inp)}: that is a one-hot layout. NLLLoss wants class "
            f"indices of shape {exp}, e.g. `target.argmax(1)` of the one-hot tensor.",
            f"`target` 与 input 同形 {shape_str(inp)}：这是 one-hot 的写法。NLLLoss 需要形状为 {exp} 的类别索引，"
            "例如对 one-hot 张量取 `target.argmax(1)`。")
    _check_index_target(tgt, inp, p, "nll")


def _validate_focal(t: dict, p: dict) -> None:
    require_same_shape(t, "inputs", "targets")
    require_range(t, "targets", 0.0, 1.0, "0 for negatives, 1 for positives", "负样本为 0，正样本为 1")


# ---- what 'mean' divides by ---------------------------------------------------------------------------

def _numel_divisor(name: str, note_en: str = "", note_zh: str = ""):
    def divisor(t: dict, p: dict):
        n = int(t[name].numel())
        return float(n), {"en": f"the number of elements, {n}{note_en}", "zh": f"元素个数 {n}{note_zh}"}
    return divisor


def _picked_weight_divisor(t: dict, p: dict):
    inp, tgt = t["input"], t["target"]
    C = _n_classes(inp)
    if tuple(tgt.shape) == tuple(inp.shape):
        n = int(inp.numel() // C)
        return float(n), {"en": f"the number of positions, {n} (probability targets: weights do not enter the divisor)",
                          "zh": f"位置个数 {n}（概率目标时权重不进入分母）"}
    y = tgt.detach().cpu().numpy().astype(np.int64)
    keep = y != int(p["ignore_index"])
    w = _array_param(p, "weight")
    wv = np.ones(C) if w is None else np.asarray(w, dtype=np.float32).astype(np.float64)
    wy = wv[np.where(keep, y, 0)] * keep
    en, zh = ref._picked_weights_words(wy, keep, w is not None)
    return float(wy.sum()), {"en": en, "zh": zh}


# ---- torch computations -------------------------------------------------------------------------------

def _ce_compute(t: dict, kw: dict):
    import torch.nn.functional as F
    target = t["target"] if _is_prob_target(t) else t["target"].long()
    return F.cross_entropy(t["input"], target, **kw)


def focal_torch(inputs, targets, alpha: float = 0.25, gamma: float = 2.0, reduction: str = "none"):
    """torchvision.ops.sigmoid_focal_loss's formula in plain torch (any device, no torchvision)."""
    import torch
    import torch.nn.functional as F
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _focal_compute(t: dict, kw: dict):
    return focal_torch(t["inputs"], t["targets"], alpha=kw["alpha"], gamma=kw["gamma"], reduction=kw["reduction"])


# ---- curves (elementwise loss of the swept x; autograd gives the gradient) -----------------------------

def _full(x, v):
    import torch
    return torch.full_like(x, float(v))


def _bce_series(which):
    def fn(x, p):
        import torch.nn.functional as F
        y = p["y_soft"] if which == "soft" else which
        return F.binary_cross_entropy(x, _full(x, y), reduction="none")
    return fn


def _bce_logits_series(y, pos_weight=False):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        pw = torch.tensor(float(p["plot_pos_weight"]), dtype=x.dtype) if pos_weight else None
        return F.binary_cross_entropy_with_logits(x, _full(x, y), reduction="none", pos_weight=pw)
    return fn


def _three_logits(x, a, b):
    import torch
    return torch.stack([x, _full(x, a), _full(x, b)], dim=1)


def _ce_series(extra_softmax: bool):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        z = _three_logits(x, p["other_logit_1"], p["other_logit_2"])
        if extra_softmax:
            z = torch.softmax(z, dim=1)
        target = torch.zeros(x.shape[0], dtype=torch.long)
        return F.cross_entropy(z, target, reduction="none", label_smoothing=p["label_smoothing"])
    return fn


def _nll_series(log_softmax: bool):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        z = torch.stack([_full(x, p["other_input_1"]), _full(x, p["other_input_2"]), x], dim=1)  # target: class 2
        if log_softmax:
            z = torch.log_softmax(z, dim=1)
        return F.nll_loss(z, torch.full((x.shape[0],), 2, dtype=torch.long), reduction="none")
    return fn


def _focal_series(y, plain_bce=False):
    def fn(x, p):
        if plain_bce:
            return focal_torch(x, _full(x, y), alpha=-1.0, gamma=0.0)
        return focal_torch(x, _full(x, y), alpha=p["alpha"], gamma=p["gamma"])
    return fn


def _ce_markers(p):
    top = max(p["other_logit_1"], p["other_logit_2"])
    return [(top, {"en": "z₀ = max(z₁, z₂)", "zh": "z₀ = max(z₁, z₂)"})]


def _nll_markers(p):
    return [(0.0, {"en": "raw x₂ > 0 → negative 'loss'", "zh": "原始 x₂ > 0 → “损失”为负"})]


# ---- random valid inputs (tests) -------------------------------------------------------------------------

def _shape(rng, max_dims=2):
    return tuple(int(d) for d in rng.integers(1, 5, size=rng.integers(1, max_dims + 1)))


def _binary_targets(rng, shape):
    return rng.integers(0, 2, shape).astype(float) if rng.random() < 0.6 else rng.uniform(0, 1, shape)


def _sample_bce(rng):
    s = _shape(rng)
    return {"input": rng.uniform(0.02, 0.98, s), "target": _binary_targets(rng, s)}


def _sample_bce_logits(rng):
    s = _shape(rng)
    return {"input": rng.normal(0, 3, s), "target": _binary_targets(rng, s)}


def _broadcastable(rng, shape):
    """A weight shape that broadcasts to `shape`: full, trailing dims, or singleton dims."""
    kind = rng.integers(0, 3)
    if kind == 0:
        ws = shape
    elif kind == 1:
        ws = shape[-1:]
    else:
        ws = tuple(1 if rng.random() < 0.5 else d for d in shape)
    return rng.uniform(0.1, 3.0, ws).tolist()


def _sample_params_bce(rng, inputs):
    return {"weight": _broadcastable(rng, np.shape(inputs["input"]))}


def _sample_params_bce_logits(rng, inputs):
    shape = np.shape(inputs["input"])
    return {"weight": _broadcastable(rng, shape), "pos_weight": _broadcastable(rng, shape)}


def _sample_index_case(rng, log_probs: bool):
    """Class-index targets in every layout torch accepts: (C,)/(), (N, C)/(N,), (N, C, d1[, d2])/(N, d1[, d2])."""
    C = int(rng.integers(2, 6))
    kind = int(rng.integers(0, 4))
    if kind == 0:
        x, t = rng.normal(0, 2, (C,)), np.asarray(rng.integers(0, C))
    else:
        N = int(rng.integers(1, 5))
        rest = tuple(int(d) for d in rng.integers(1, 4, size=kind - 1))
        x = rng.normal(0, 2, (N, C) + rest)
        t = rng.integers(0, C, (N,) + rest)
    if log_probs:
        ax = 0 if x.ndim == 1 else 1
        x = x - np.log(np.exp(x).sum(axis=ax, keepdims=True))
    return {"input": x, "target": t}


def _sample_params_index(rng, inputs):
    x, t = np.asarray(inputs["input"]), np.asarray(inputs["target"])
    C = x.shape[0] if x.ndim == 1 else x.shape[1]
    out = {"weight": rng.uniform(0.1, 3.0, C).tolist()}
    if t.shape != x.shape and rng.random() < 0.7:
        out["ignore_index"] = int(rng.choice(np.ravel(t)))
    return out


def _sample_focal(rng):
    s = _shape(rng)
    return {"inputs": rng.normal(0, 3, s), "targets": _binary_targets(rng, s)}


# ---- copy-code snippets ------------------------------------------------------------------------------------

def _tensor_line(name: str, value, dtype: str, device: bool = False) -> str:
    if isinstance(value, str):
        value = parse_tensor_text(value, name)
    text = format_tensor_text(np.asarray(value).tolist()).replace("\n", "\n" + " " * (len(name) + 16))
    return f"{name} = torch.tensor({text}, dtype={dtype}{', device=device' if device else ''})"


def _as_array(value, name):
    return np.asarray(parse_tensor_text(value, name) if isinstance(value, str) else value)


def _module_snippet(title: str, param_names: tuple, defaults: dict, target_dtype=None):
    """nn.<title>(...)(input, target) with every tensor written with its dtype: a weight typed as [1, 2, 5]
    must still be float (torch.tensor([1, 2, 5]) would be int64 and torch would refuse it)."""
    def snippet(inputs: dict, params: dict) -> str:
        x, t = _as_array(inputs["input"], "input"), _as_array(inputs["target"], "target")
        long_target = target_dtype(x, t) if callable(target_dtype) else target_dtype == "long"
        # No comments in the code: the snippet is shown on pages in both languages; the dtype says the target kind.
        lines = ["import torch", "import torch.nn as nn", "", _tensor_line("input", x, "torch.float32")]
        lines += [_tensor_line("target", t, "torch.long" if long_target else "torch.float32"), ""]
        kwargs = []
        for name in param_names:
            v = params[name]
            if name in ("weight", "pos_weight"):
                if v is not None:
                    text = format_tensor_text(np.asarray(v).tolist()).replace("\n", "")
                    kwargs.append(f"{name}=torch.tensor({text}, dtype=torch.float32)")
            elif v != defaults[name]:
                kwargs.append(f"{name}={v!r}")
        lines += [f"loss_fn = nn.{title}({', '.join(kwargs)})", "loss = loss_fn(input, target)", "print(loss)"]
        return "\n".join(lines)
    return snippet


_ce_snippet = _module_snippet("CrossEntropyLoss", ("weight", "ignore_index", "reduction", "label_smoothing"),
                              {"ignore_index": -100, "reduction": "mean", "label_smoothing": 0.0},
                              target_dtype=lambda x, t: t.shape != x.shape)


FOCAL_SOURCE = '''import torch
import torch.nn.functional as F


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    """The formula of torchvision.ops.sigmoid_focal_loss in plain torch: runs on any device."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
'''


def _focal_snippet(inputs: dict, params: dict) -> str:
    lines = [FOCAL_SOURCE, "", 'device = "cuda" if torch.cuda.is_available() else "cpu"',
             _tensor_line("inputs", inputs["inputs"], "torch.float32", device=True),
             _tensor_line("targets", inputs["targets"], "torch.float32", device=True), "",
             f"loss = sigmoid_focal_loss(inputs, targets, alpha={params['alpha']!r}, gamma={params['gamma']!r}, "
             f"reduction={params['reduction']!r})", "print(loss)"]
    return "\n".join(lines)


# ---- parameters ----------------------------------------------------------------------------------------

def _weight_param(en: str, zh: str) -> Param:
    return Param("weight", "tensor", None, curve=False, help={"en": en, "zh": zh})


IGNORE_INDEX = Param("ignore_index", "int", -100, lo=-100, hi=255, step=1, curve=False, help={
    "en": "A target value that gives no loss, no gradient and is left out of the 'mean' divisor (segmentation "
          "datasets often use 255 for unlabelled pixels). Class-index targets only.",
    "zh": "取这个值的 target 不产生损失和梯度，也不计入 'mean' 的分母（分割数据集常用 255 表示未标注像素）。"
          "只适用于类别索引形式的目标。"})


def _ui(name, default, lo, hi, step, symbol, symbol_text, en, zh, fmt="") -> Param:
    return Param(name, "float", default, lo=lo, hi=hi, step=step, symbol=symbol, symbol_text=symbol_text, fmt=fmt,
                 ui_only=True,
                 help={"en": en + " Plot only: not a torch argument.", "zh": zh + "仅用于绘图，不是 torch 参数。"})


NAN_MEAN = {"en": "With reduction='mean' the result is 0 ÷ 0 = nan when every target equals ignore_index or every "
                   "picked class weight is 0, as in torch.",
            "zh": "reduction='mean' 时，若所有目标都等于 ignore_index，或被选中类别的权重全为 0，结果就是 0 ÷ 0 = nan，与 torch 一致。"}


def _ex(key, en, zh, inputs, params=None, expected=None, note_en="", note_zh=""):
    return Example(key, {"en": en, "zh": zh}, inputs, params or {}, expected,
                   {"en": note_en, "zh": note_zh} if note_en else {})


# ---- the specs ---------------------------------------------------------------------------------------

BCE = LossSpec(
    slug="binary_cross_entropy", title="BCELoss", family="classification", functional="binary_cross_entropy",
    formula=r"\ell_i = -w_i\big[\,y_i \log x_i + (1-y_i)\log(1-x_i)\,\big]",
    arg_names=ARGS,
    params=(_weight_param(
        "Optional rescaling of each element's loss; broadcasts from the last dimension, so per sample on (N, C) "
        "use shape (N, 1). Careful: a (N,) weight raises when N ≠ C, but when N == C torch accepts it silently "
        "and weights the C columns, not the samples. There is no pos_weight here.",
        "可选，逐元素缩放损失；从最后一维开始广播，所以对 (N, C) 逐样本加权要用 (N, 1)。注意：(N,) 的 weight 在 N ≠ C 时报错，"
        "但 N == C 时 torch 会悄悄接受，加权的是 C 列，而不是各个样本。这里没有 pos_weight。"),
        reduction_param(),
        _ui("y_soft", 0.3, 0.0, 1.0, 0.05, "y", "y", "Target of the solid curve (soft when between 0 and 1): its minimum is "
            "at x = y. The dashed curves are the hard targets 1 and 0.",
            "实线的目标值（介于 0 与 1 之间即为软目标）：最低点在 x = y 处。虚线是硬目标 1 和 0。")),
    examples=(
        _ex("hard", "Three predictions, hard targets", "三个预测，硬标签",
            {"input": [0.9, 0.2, 0.6], "target": [1.0, 0.0, 1.0]}),
        _ex("soft", "Soft targets (pixel intensities)", "软目标（像素亮度）",
            {"input": [[0.8, 0.3], [0.5, 0.1]], "target": [[0.7, 0.2], [0.5, 0.0]]},
            note_en="With y = 0.5 the best possible loss is log 2 = 0.693, not 0: a soft target has entropy.",
            note_zh="y = 0.5 时最小的损失是 log 2 = 0.693 而不是 0：软目标本身就有熵。"),
        _ex("clamp", "The −100 clamp: x = 1 with y = 0", "−100 截断：y = 0 时 x = 1",
            {"input": [1.0, 0.99999999], "target": [0.0, 0.0]}, expected=100.0,
            note_en="torch clamps log at −100, so a certain, wrong prediction costs 100 and its gradient through a "
                    "sigmoid is 0. float32 stores 0.99999999 (sigmoid of 18.4) as exactly 1: same result.",
            note_zh="torch 把 log 截断在 −100，所以“十分肯定却错了”的预测损失为 100，经过 sigmoid 的梯度为 0。"
                    "float32 把 0.99999999（即 sigmoid(18.4)）存成恰好 1：结果相同。"),
        _ex("weighted", "Per-sample weight (N, 1) on an (N, C) input", "对 (N, C) 的 input 用 (N, 1) 的逐样本权重",
            {"input": [[0.9, 0.2, 0.6], [0.3, 0.7, 0.5]], "target": [[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]},
            {"weight": [[1.0], [3.0]]},
            note_en="The second sample counts 3 times. A weight of shape (2,) would be aligned with the 3 columns "
                    "and is refused; 'mean' still divides by the 6 elements.",
            note_zh="第二个样本计 3 倍。形状为 (2,) 的 weight 会与 3 列对齐而被拒绝；'mean' 仍然除以 6 个元素。"),
    ),
    reference_fn=ref.binary_cross_entropy, sample=_sample_bce, validate=_validate_bce,
    sample_params=_sample_params_bce,
    curve=Curve(PROB_X, (0.01, 0.99), (
        Series({"en": "target y (slider)", "zh": "目标 y（滑块）"}, _bce_series("soft")),
        Series({"en": "target y = 1:  −log x", "zh": "目标 y = 1：−log x"}, _bce_series(1.0), dash="dash"),
        Series({"en": "target y = 0:  −log(1 − x)", "zh": "目标 y = 0：−log(1 − x)"}, _bce_series(0.0), dash="dot"),
    )),
    mean_divisor=_numel_divisor("input", " (weight does not change it)", "（weight 不改变它）"),
    snippet=_module_snippet("BCELoss", ("weight", "reduction"), {"reduction": "mean"}),
    panels=("cls_saturation",),
    docs_url=DOCS.format("BCELoss"))

BCE_LOGITS = LossSpec(
    slug="binary_cross_entropy_with_logits", title="BCEWithLogitsLoss", family="classification",
    functional="binary_cross_entropy_with_logits",
    formula=r"\ell_{i} = -w_{i}\big[\,p_c\, y_{i}\log\sigma(x_{i}) + (1-y_{i})\log\big(1-\sigma(x_{i})\big)\big]",
    arg_names=ARGS,
    params=(_weight_param(
        "Optional rescaling of every element's loss; broadcasts from the last dimension (per sample on (N, C): "
        "(N, 1); a (N,) weight is accepted silently when N == C and weights the columns). Unlike pos_weight it "
        "also scales the negatives.",
        "可选，缩放每个元素的损失；从最后一维开始广播（对 (N, C) 逐样本加权用 (N, 1)；N == C 时 (N,) 的 weight 会被悄悄接受，"
        "加权的是各列）。与 pos_weight 不同，它也缩放负样本。"),
        reduction_param(),
        Param("pos_weight", "tensor", None, curve=False, help={
            "en": "Multiplies only the positive term y·log σ(x); broadcasts from the last dimension ((C,) for "
                  "(N, C) targets; (C, 1, 1) for (N, C, H, W), where a (C,) one is accepted silently when W == C "
                  "and weights image columns). Above 1 it raises recall; a common choice is negatives/positives "
                  "per class.",
            "zh": "只乘在正样本项 y·log σ(x) 上；从最后一维开始广播（target 为 (N, C) 时用 (C,)；为 (N, C, H, W) 时用 "
                  "(C, 1, 1)，这时 (C,) 在 W == C 时会被悄悄接受，加权的是图像的列）。大于 1 会提高召回率，"
                  "常取每个类别的“负样本数/正样本数”。"}),
        _ui("plot_pos_weight", 1.0, 0.1, 10.0, 0.1, "p", "p",
            "pos_weight of the solid target-1 curve; the dashed one keeps pos_weight = 1.",
            "实线（目标为 1）使用的 pos_weight；虚线保持 pos_weight = 1。")),
    examples=(
        _ex("multilabel", "Multi-label: 2 samples × 3 labels", "多标签：2 个样本 × 3 个标签",
            {"input": [[1.5, -0.5, 0.2], [-2.0, 3.0, 0.0]], "target": [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]}),
        _ex("docs", "torch docs: logit 1.5, every target 1", "torch 文档：logit 为 1.5，目标全为 1",
            {"input": [[1.5, 1.5, 1.5, 1.5]], "target": [[1.0, 1.0, 1.0, 1.0]]}, expected=0.201413,
            note_en="The torch documentation's example: the loss is −log σ(1.5) = 0.2014 for every element.",
            note_zh="torch 文档中的例子：每个元素的损失都是 −log σ(1.5) = 0.2014。"),
        _ex("large", "Large logits: no clamp, no saturation", "大 logits：不截断，不饱和",
            {"input": [40.0, -40.0, 17.0], "target": [0.0, 1.0, 0.0]},
            note_en="Each loss equals |x| and each gradient is ±1/3. BCELoss(sigmoid(x)) gives 100, 40, 100 with "
                    "gradients 0, −1.4e-6, 0 in float32 (see the panel above).",
            note_zh="每个损失都等于 |x|，梯度均为 ±1/3。BCELoss(sigmoid(x)) 在 float32 下给出 100、40、100，"
                    "梯度为 0、−1.4e-6、0（见上方面板）。"),
        _ex("pos_weight", "pos_weight = 3 for the first label", "第一个标签的 pos_weight = 3",
            {"input": [[1.5, -0.5, 0.2], [-2.0, 3.0, 0.0]], "target": [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]},
            {"pos_weight": [3.0, 1.0, 1.0]},
            note_en="Only the positive element of label 0 (row 0) is tripled; its negative (row 1) is not.",
            note_zh="只有第 0 个标签的正样本（第 0 行）变成 3 倍，它的负样本（第 1 行）不变。"),
    ),
    reference_fn=ref.binary_cross_entropy_with_logits, sample=_sample_bce_logits, validate=_validate_bce_logits,
    sample_params=_sample_params_bce_logits,
    curve=Curve(LOGIT_X, (-8.0, 8.0), (
        Series({"en": "target y = 1, pos_weight = p (slider):  p·softplus(−x)", "zh": "目标 y = 1，pos_weight = p（滑块）：p·softplus(−x)"},
               _bce_logits_series(1.0, pos_weight=True)),
        Series({"en": "target y = 0:  softplus(x)", "zh": "目标 y = 0：softplus(x)"}, _bce_logits_series(0.0)),
        Series({"en": "target y = 1, no pos_weight:  softplus(−x)", "zh": "目标 y = 1，无 pos_weight：softplus(−x)"},
               _bce_logits_series(1.0), dash="dash"),
    )),
    mean_divisor=_numel_divisor("input", " (weight and pos_weight do not change it)",
                                "（weight 与 pos_weight 都不改变它）"),
    snippet=_module_snippet("BCEWithLogitsLoss", ("weight", "reduction", "pos_weight"), {"reduction": "mean"}),
    panels=("cls_saturation", "cls_pos_weight"),
    docs_url=DOCS.format("BCEWithLogitsLoss"))

_THREE = [[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [1.2, 0.2, 3.1]]
_SEG_LOGITS = [[[[2.0, 1.5, -1.0], [1.8, 0.2, -0.5], [-1.0, -0.8, 0.3]],
                [[-0.5, 0.0, 2.2], [0.1, 1.9, 1.5], [0.2, 0.4, -0.3]],
                [[-1.0, -0.6, -0.4], [-0.3, 0.5, 0.1], [2.4, 2.0, 1.6]]]]
_SEG_TARGET = [[[0, 0, 1], [0, 1, 255], [2, 2, 1]]]

CE = LossSpec(
    slug="cross_entropy", title="CrossEntropyLoss", family="classification", functional="cross_entropy",
    formula=(r"\begin{aligned}\ell_n &= -w_{y_n}\log\frac{\exp(x_{n,y_n})}{\sum_{c=1}^{C}\exp(x_{n,c})}\\"
             r"\text{mean} &= \frac{\sum_n \ell_n}{\sum_n w_{y_n}\,\mathbf{1}\{y_n \ne \text{ignore\_index}\}}"
             r"\end{aligned}"),
    arg_names=ARGS,
    params=(_weight_param(
        "Optional 1-D tensor of C class weights. With reduction='mean' the sum is divided by the sum of the picked "
        "weights w[y], so a single sample or a one-class batch is unaffected.",
        "可选，长度为 C 的一维类别权重。reduction='mean' 时用被选中类别的权重之和 w[y] 去除，所以只有一个样本或整批同类时权重不起作用。"),
        IGNORE_INDEX, reduction_param(),
        Param("label_smoothing", "float", 0.0, lo=0.0, hi=1.0, step=0.05, symbol=r"\varepsilon", symbol_text="ε", help={
            "en": "Mixes the target with the uniform distribution: (1 − ε)·target + ε/C. The loss then has a floor "
                  "above 0 (visible on the curve).",
            "zh": "把目标与均匀分布混合：(1 − ε)·target + ε/C。损失因此有一个大于 0 的下限（曲线上可以看到）。"}),
        _ui("other_logit_1", 3.0, -5.0, 5.0, 0.1, "z_1", "z₁", "Logit of class 1 (a wrong class).", "类别 1（错误类别）的 logit。"),
        _ui("other_logit_2", -1.0, -5.0, 5.0, 0.1, "z_2", "z₂", "Logit of class 2 (a wrong class).", "类别 2（错误类别）的 logit。")),
    examples=(
        _ex("indices", "Three samples, class-index targets", "三个样本，类别索引目标",
            {"input": _THREE, "target": [0, 2, 2]},
            note_en="Sample 1 is wrong (class 1 has the largest logit, the target is 2). The panel above shows what "
                    "an extra softmax before the loss would do to these numbers.",
            note_zh="第 1 个样本判错了（类别 1 的 logit 最大，目标是 2）。上方面板展示了在损失前多做一次 softmax 会怎样改变这些数。"),
        _ex("uniform", "All logits equal: loss = log C", "logits 全相等：损失 = log C",
            {"input": [[0.0] * 10], "target": [3]}, expected=2.302585,
            note_en="With C = 10 equal logits every class gets probability 0.1: −log 0.1 = log 10 = 2.303. "
                    "A freshly initialised classifier should start near log C.",
            note_zh="10 个 logits 相等时每个类别的概率都是 0.1：−log 0.1 = log 10 = 2.303。刚初始化的分类器应该从 log C 附近开始。"),
        _ex("confident_wrong", "Confidently wrong: logits [10, 0, 0], target 1", "自信地判错：logits [10, 0, 0]，目标 1",
            {"input": [[10.0, 0.0, 0.0]], "target": [1]},
            note_en="The loss is 10 and the gradient about ±1: a strong signal. The extra-softmax panel above shows the "
                    "same prediction through a softmax first: loss 1.551 and gradients below 1e-4.",
            note_zh="损失为 10，梯度约为 ±1：很强的学习信号。上方“多做一次 softmax”面板展示了先做 softmax 的结果："
                    "损失 1.551，梯度都小于 1e-4。"),
        _ex("probs", "Probability targets (soft labels)", "概率目标（软标签）",
            {"input": _THREE, "target": [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.0, 0.0, 1.0]]},
            note_en="A float target with the input's shape is read as class probabilities; 'mean' divides by N = 3.",
            note_zh="与 input 同形的浮点 target 被当作类别概率；'mean' 除以 N = 3。"),
        _ex("smoothing", "label_smoothing = 0.1", "label_smoothing = 0.1",
            {"input": _THREE, "target": [0, 2, 2]}, {"label_smoothing": 0.1}),
        _ex("weighted", "Class weights: 'mean' divides by Σ w[y]", "类别权重：'mean' 除以 Σ w[y]",
            {"input": _THREE, "target": [0, 2, 2]}, {"weight": [1.0, 2.0, 5.0]},
            note_en="The picked weights are w[0], w[2], w[2] = 1, 5, 5: the mean is the weighted sum ÷ 11, not ÷ 3 "
                    "(reduction inspector).",
            note_zh="被选中的权重是 w[0]、w[2]、w[2] = 1、5、5：平均值是加权总和 ÷ 11，而不是 ÷ 3（见归约检查器）。"),
        _ex("one_sample", "One sample: the weight has no effect", "只有一个样本：权重不起作用",
            {"input": [[2.0, 1.0, 0.1]], "target": [1]}, {"weight": [1.0, 10.0, 1.0]},
            note_en="'mean' = w[1]·ℓ ÷ w[1] = ℓ: the same 1.417 as without weight. Switch to 'sum' to see the 10×.",
            note_zh="'mean' = w[1]·ℓ ÷ w[1] = ℓ：与不加权时同为 1.417。切换到 'sum' 才能看到 10 倍。"),
        _ex("segmentation", "Segmentation: (1, 3, 3, 3) logits, (1, 3, 3) index map, 255 = unlabelled",
            "语义分割：(1, 3, 3, 3) 的 logits，(1, 3, 3) 的索引图，255 = 未标注",
            {"input": _SEG_LOGITS, "target": _SEG_TARGET}, {"ignore_index": 255},
            note_en="The target is a map of class indices, not a one-hot (1, 3, 3, 3) tensor. The pixel marked 255 "
                    "is ignored: 8 pixels enter the mean.",
            note_zh="target 是类别索引图，而不是 one-hot 的 (1, 3, 3, 3) 张量。标为 255 的像素被忽略：8 个像素参与平均。"),
    ),
    reference_fn=ref.cross_entropy, sample=lambda rng: _sample_index_case(rng, log_probs=False),
    validate=_validate_ce, compute=_ce_compute, sample_params=_sample_params_index,
    curve=Curve(CE_X, (-6.0, 8.0), (
        Series({"en": "CrossEntropyLoss(logits)", "zh": "CrossEntropyLoss(logits)"}, _ce_series(False)),
        Series({"en": "CrossEntropyLoss(softmax(logits)): the mistake", "zh": "CrossEntropyLoss(softmax(logits))：错误用法"},
               _ce_series(True), dash="dash"),
    ), markers=_ce_markers),
    mean_divisor=_picked_weight_divisor, snippet=_ce_snippet, nonfinite=NAN_MEAN,
    panels=("cls_softmax_bars", "cls_extra_softmax", "cls_pixel_map"),
    docs_url=DOCS.format("CrossEntropyLoss"))


def _log_softmax_rows(rows):
    z = np.asarray(rows, dtype=np.float64)
    return np.round(z - np.log(np.exp(z).sum(axis=-1, keepdims=True)), 4).tolist()


_SEG_LOGP = np.round(np.asarray(_SEG_LOGITS) - np.log(np.exp(np.asarray(_SEG_LOGITS)).sum(axis=1, keepdims=True)),
                     4).tolist()

NLL = LossSpec(
    slug="nll", title="NLLLoss", family="classification", functional="nll_loss",
    formula=(r"\begin{aligned}\ell_n &= -w_{y_n}\,x_{n,y_n}\\"
             r"\text{mean} &= \frac{\sum_n \ell_n}{\sum_n w_{y_n}\,\mathbf{1}\{y_n \ne \text{ignore\_index}\}}"
             r"\end{aligned}"),
    arg_names=ARGS, arg_dtypes={"target": "long"},
    params=(_weight_param(
        "Optional 1-D tensor of C class weights; 'mean' divides by the sum of the picked weights w[y].",
        "可选，长度为 C 的一维类别权重；'mean' 除以被选中类别的权重之和 w[y]。"),
        IGNORE_INDEX, reduction_param(),
        _ui("other_input_1", -1.233, -5.0, 5.0, 0.001, "x_0", "x₀", "Input entry of class 0.", "类别 0 的输入值。", "%.3f"),
        _ui("other_input_2", 2.657, -5.0, 5.0, 0.001, "x_1", "x₁", "Input entry of class 1.", "类别 1 的输入值。", "%.3f")),
    examples=(
        _ex("notes", "A textbook example: raw scores [-1.233, 2.657, 0.534], class 2",
            "一个教学例子：原始分数 [-1.233, 2.657, 0.534]，类别 2",
            {"input": [-1.233, 2.657, 0.534], "target": 2}, expected=-0.534,
            note_en="NLLLoss only picks and negates: −0.534, a negative 'loss', because these scores are not "
                    "log-probabilities (exp of them sums to 16.25, not 1).",
            note_zh="NLLLoss 只是取值再取负：−0.534，一个负的“损失”，因为这些分数不是对数概率（取 exp 后和为 16.25，而不是 1）。"),
        _ex("logsoftmax", "The same scores after log_softmax", "同样的分数先做 log_softmax",
            {"input": _log_softmax_rows([-1.233, 2.657, 0.534]), "target": 2},
            note_en="Now the input is log-probabilities and the loss is the cross-entropy 2.254, "
                    "equal to CrossEntropyLoss on the raw scores.",
            note_zh="现在 input 是对数概率，损失就是交叉熵 2.254，与直接对原始分数用 CrossEntropyLoss 相同。"),
        _ex("weighted", "A batch of log-probabilities with class weights", "带类别权重的一批对数概率",
            {"input": _log_softmax_rows(_THREE), "target": [0, 2, 2]}, {"weight": [1.0, 2.0, 5.0]},
            note_en="'mean' divides by w[0] + w[2] + w[2] = 11 (reduction inspector).",
            note_zh="'mean' 除以 w[0] + w[2] + w[2] = 11（见归约检查器）。"),
        _ex("image", "Image case (NLLLoss2d): (1, 3, 3, 3) log-probabilities, (1, 3, 3) target",
            "图像情形（NLLLoss2d）：(1, 3, 3, 3) 的对数概率，(1, 3, 3) 的 target",
            {"input": _SEG_LOGP, "target": _SEG_TARGET}, {"ignore_index": 255},
            note_en="Input = log_softmax(logits, dim=1); target = one class index per pixel (255 = ignored). "
                    "The per-pixel heat maps above show the 'none' result.",
            note_zh="input = log_softmax(logits, dim=1)；target 为每个像素一个类别索引（255 = 忽略）。上方热力图即 'none' 的结果。"),
    ),
    reference_fn=ref.nll, sample=lambda rng: _sample_index_case(rng, log_probs=True),
    validate=_validate_nll, sample_params=_sample_params_index,
    snippet=_module_snippet("NLLLoss", ("weight", "ignore_index", "reduction"), {"ignore_index": -100, "reduction": "mean"},
                            target_dtype="long"),
    curve=Curve(NLL_X, (-4.0, 8.0), (
        Series({"en": "NLLLoss(log_softmax(x)) = CrossEntropyLoss(x)", "zh": "NLLLoss(log_softmax(x)) = CrossEntropyLoss(x)"},
               _nll_series(True)),
        Series({"en": "NLLLoss(x): raw scores (the mistake)", "zh": "NLLLoss(x)：原始分数（错误用法）"}, _nll_series(False),
               dash="dash"),
    ), markers=_nll_markers),
    mean_divisor=_picked_weight_divisor, nonfinite=NAN_MEAN,
    panels=("cls_logprob_check", "cls_softmax_bars", "cls_pixel_map"),
    docs_url=DOCS.format("NLLLoss"))

_EASY_HARD = {"inputs": [4.0, 0.5, -3.0, -0.5, 2.0], "targets": [1.0, 1.0, 0.0, 0.0, 0.0]}

FOCAL = LossSpec(
    slug="focal", title="sigmoid_focal_loss", family="classification", functional=None,
    formula=(r"\begin{aligned}\mathrm{FL}_i &= \alpha_t\,(1-p_t)^{\gamma}\,\mathrm{BCE}(x_i, y_i)\\"
             r"p_t &= p\,y_i + (1-p)(1-y_i),\quad p = \sigma(x_i)\\"
             r"\alpha_t &= \alpha\,y_i + (1-\alpha)(1-y_i)\end{aligned}"),
    arg_names=("inputs", "targets"),
    params=(
        Param("gamma", "float", 2.0, lo=0.0, hi=5.0, step=0.1, symbol=r"\gamma", symbol_text="γ", help={
            "en": "Focusing exponent of (1 − p_t)^γ: larger γ silences easy, well-classified elements. γ = 0 gives "
                  "α-weighted BCE.",
            "zh": "(1 − p_t)^γ 的聚焦指数：γ 越大，容易分对的元素越被压低。γ = 0 即按 α 加权的 BCE。"}),
        Param("alpha", "float", 0.25, lo=-1.0, hi=1.0, step=0.05, symbol=r"\alpha", symbol_text="α", help={
            "en": "Weight of the positives (y = 1); negatives get 1 − α. Any negative value (e.g. −1) turns the "
                  "weighting off, as in torchvision.",
            "zh": "正样本（y = 1）的权重，负样本为 1 − α。取任意负值（如 −1）即关闭该加权，与 torchvision 一致。"}),
        reduction_param(default="none")),
    examples=(
        _ex("easy_hard", "Easy and hard elements", "容易与困难的元素", _EASY_HARD,
            note_en="Elements 0 and 2 are easy (p_t ≈ 0.98, 0.95) and almost vanish; the wrong negative "
                    "(logit 2, target 0) keeps most of its BCE.",
            note_zh="第 0、2 个元素很容易（p_t ≈ 0.98、0.95），几乎消失；判错的负样本（logit 2，目标 0）保留了大部分 BCE。"),
        _ex("gamma0", "γ = 0: α-weighted BCE", "γ = 0：按 α 加权的 BCE", _EASY_HARD, {"gamma": 0.0},
            note_en="Every element is BCEWithLogitsLoss × α_t: 0.25 for the positives, 0.75 for the negatives "
                    "(the panel above checks it against torch).",
            note_zh="每个元素都是 BCEWithLogitsLoss × α_t：正样本 0.25，负样本 0.75（上方面板用 torch 核对）。"),
        _ex("plain", "γ = 0 and α = −1: plain BCEWithLogitsLoss", "γ = 0 且 α = −1：普通的 BCEWithLogitsLoss",
            _EASY_HARD, {"gamma": 0.0, "alpha": -1.0}),
        _ex("anchors", "Dense detection: 8 anchors, 1 positive, reduction='sum'",
            "密集检测：8 个 anchor，1 个正样本，reduction='sum'",
            {"inputs": [[-4.0, -3.5, -5.0, 1.0], [-4.5, -2.0, -3.0, -6.0]],
             "targets": [[0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]]}, {"reduction": "sum"},
            note_en="RetinaNet sums and divides by the number of positive anchors (here 1).",
            note_zh="RetinaNet 先求和，再除以正样本 anchor 的个数（这里是 1）。"),
    ),
    reference_fn=ref.sigmoid_focal_loss, sample=_sample_focal, validate=_validate_focal, compute=_focal_compute,
    curve=Curve(LOGIT_X, (-6.0, 6.0), (
        Series({"en": "focal loss, target 1", "zh": "focal loss，目标 1"}, _focal_series(1.0)),
        Series({"en": "focal loss, target 0", "zh": "focal loss，目标 0"}, _focal_series(0.0)),
        Series({"en": "BCEWithLogitsLoss, target 1 (γ = 0, no α)", "zh": "BCEWithLogitsLoss，目标 1（γ = 0，无 α）"},
               _focal_series(1.0, plain_bce=True), dash="dot"),
        Series({"en": "BCEWithLogitsLoss, target 0 (γ = 0, no α)", "zh": "BCEWithLogitsLoss，目标 0（γ = 0，无 α）"},
               _focal_series(0.0, plain_bce=True), dash="dot", visible=False),
    )),
    mean_divisor=_numel_divisor("inputs"), snippet=_focal_snippet,
    panels=("cls_focal",),
    docs_url=FOCAL_DOCS)

SPECS = (BCE, BCE_LOGITS, CE, NLL, FOCAL)
