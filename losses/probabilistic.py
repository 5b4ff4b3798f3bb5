"""Probabilistic losses of the classification family page group: KLDivLoss, PoissonNLLLoss, GaussianNLLLoss,
SoftMarginLoss, MultiLabelSoftMarginLoss. SPECS lists them in page order.

Validation refuses, before torch sees them, the inputs that torch would accept silently but that give nan,
inf or a meaningless number (probabilities as kl_div's input, 0/1 labels for SoftMarginLoss, -1 padding for
MultiLabelSoftMarginLoss, negative variances, ...), each with a message that says what to fix.
"""
from __future__ import annotations

import math

import numpy as np

from .errors import InputError
from .reference import probabilistic as ref
from .spec import Curve, Example, LossSpec, Param, Series, reduction_param
from .validation import require_broadcastable, shape_str

DOCS = "https://pytorch.org/docs/stable/generated/torch.nn.{}.html"
ARGS = ("input", "target")
SUM_TOL = 5e-3          # how far from 1 a typed distribution may sum (4-decimal typing stays well inside)
EXP_MAX = 88.0          # float32 exp overflows above ~88.72


def _np(t):
    return t.detach().cpu().double().numpy()


def _row_sums(a: np.ndarray) -> np.ndarray:
    return a.reshape(1) if a.ndim == 0 else a.sum(axis=-1).reshape(-1)


def _first_bad_row(sums: np.ndarray):
    bad = np.flatnonzero(np.abs(sums - 1.0) > SUM_TOL)
    return (int(bad[0]), float(sums[bad[0]])) if bad.size else None


# ==== KLDivLoss =====================================================================================
def _kl_validate(t: dict, p: dict) -> None:
    """Refuse only what gives nan or inf; torch computes everything else (spec.diagnose() warns)."""
    require_broadcastable(t, "input", "target")
    x, y = _np(t["input"]), _np(t["target"])
    if not p["log_target"]:
        if y.min() < 0:
            raise InputError(
                f"`target` holds probabilities (log_target=False), so it cannot be negative (found {y.min():g}); "
                "torch would return nan. If the target is log-probabilities, turn on `log_target`.",
                f"`target` 是概率（log_target=False），不能为负（发现 {y.min():g}），否则 torch 会返回 nan。"
                "如果 target 是对数概率，请打开 `log_target`。")
        return
    yb, xb = np.broadcast_arrays(y, x)
    with np.errstate(over="ignore"):
        worst = np.max(np.exp(np.minimum(yb, 100.0)) * np.abs(yb - xb))
    if y.max() > EXP_MAX or worst > 1e37:
        raise InputError(
            f"`target` holds log-probabilities (log_target=True) and torch computes exp(target)·(target − input): "
            f"with a target of {y.max():g} that overflows float32 and the loss is inf. A log-probability is at "
            "most 0; if the target is probabilities, turn off `log_target`.",
            f"`target` 是对数概率（log_target=True），torch 计算 exp(target)·(target − input)：target 为 {y.max():g} "
            "时在 float32 下溢出，损失为 inf。对数概率最大为 0；如果 target 是概率，请关闭 `log_target`。")


def _kl_divisor(t: dict, p: dict):
    x = t["input"]
    if p["reduction"] == "batchmean":
        if x.dim() == 0:
            return 1.0, {"en": "nothing: a 0-d input has no batch", "zh": "不除：0 维输入没有 batch"}
        b = x.shape[0]
        return float(b), {"en": f"the batch size input.size(0) = {b}; this is the mathematical KL per sample",
                          "zh": f"batch 大小 input.size(0) = {b}；这才是数学上每个样本的 KL"}
    if p["reduction"] == "mean":
        n = int(np.prod(np.broadcast_shapes(tuple(x.shape), tuple(t["target"].shape))))  # torch averages the broadcast terms
        return float(n), {"en": f"all {n} elements {shape_str(x)}, not the batch: 'batchmean' / 'mean' = "
                                f"{n / ref.batch_size(tuple(x.shape)):g}",
                          "zh": f"全部 {n} 个元素 {shape_str(x)}，不是 batch 大小：'batchmean' / 'mean' = "
                                f"{n / ref.batch_size(tuple(x.shape)):g}"}
    return None


def _softmax(z, axis=-1):
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def _kl_sample(rng: np.random.Generator) -> dict:
    c = int(rng.integers(2, 6))
    shape = (c,) if rng.random() < 0.2 else (int(rng.integers(1, 5)), c)
    logits = rng.normal(0, 1.5, shape)
    logq = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    p = _softmax(rng.normal(0, 1.5, shape))
    if rng.random() < 0.3:  # exact zeros in the target: 0·log 0 = 0
        p[..., 0] = 0.0
        p = p / p.sum(axis=-1, keepdims=True)
    return {"input": logq, "target": p}


def _log_two_class(x):
    """A 2-class log-distribution whose first entry is x = log q₁: [x, log(1 − eˣ)]."""
    import torch
    return torch.stack([x, torch.log1p(-torch.exp(x))], dim=-1)


def _kl_two_class(p1: float):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        target = torch.tensor([p1, 1 - p1], dtype=x.dtype).expand(x.shape + (2,))
        if p["log_target"]:
            target = torch.log(target)
        return F.kl_div(_log_two_class(x), target, reduction="none", log_target=p["log_target"]).sum(-1)
    return fn


def _kl_first_term(p1: float):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        target = torch.full_like(x, p1)
        if p["log_target"]:
            target = torch.log(target)
        return F.kl_div(x, target, reduction="none", log_target=p["log_target"])
    return fn


def _kl_markers(p):
    return [(math.log(p1), {"en": f"q₁ = p₁ = {p1:g}", "zh": f"q₁ = p₁ = {p1:g}"}) for p1 in (0.2, 0.5, 0.8)]


def _lq(q):
    return [round(math.log(v), 6) for v in q]


KL_DIV = LossSpec(
    slug="kl_div", title="KLDivLoss", family="classification", functional="kl_div",
    formula=(r"\begin{aligned}"
             r"\ell_i &= y_i\,(\log y_i - x_i), \qquad x = \log q,\ \ y = p \\"
             r"\ell_i &= e^{y_i}\,(y_i - x_i) \qquad (\texttt{log\_target=True}) \\"
             r"\texttt{batchmean} &= \tfrac{1}{B}\textstyle\sum_i \ell_i = \tfrac{1}{B}\textstyle\sum_b \mathrm{KL}(p_b\,\|\,q_b) \\"
             r"\texttt{mean} &= \tfrac{1}{n}\textstyle\sum_i \ell_i = \texttt{batchmean}\cdot\tfrac{B}{n}"
             r"\end{aligned}"),
    arg_names=ARGS,
    params=(
        Param("reduction", "choice", "mean", choices=("none", "batchmean", "sum", "mean"), curve=False, help={
            "en": "'batchmean' divides the sum by input.size(0) and is the mathematical KL per sample; 'mean' "
                  "(torch's default) divides by every element, i.e. 'batchmean' divided by the number of elements per "
                  "sample, n / B (C for a (B, C) input, 20 for (2, 4, 5), 1 for a 1-D input); 'sum' adds; 'none' "
                  "keeps the pointwise terms.",
            "zh": "'batchmean' 用 input.size(0) 除总和，才是数学上每个样本的 KL；'mean'（torch 默认）除以全部元素个数，"
                  "即 'batchmean' 再除以每个样本的元素个数 n / B（(B, C) 输入为 C，(2, 4, 5) 为 20，一维输入为 1）；"
                  "'sum' 求和；'none' 保留逐元素项。"}),
        Param("log_target", "bool", False, curve=False, help={
            "en": "True: target holds log p (e.g. a teacher's log_softmax). Same KL, better numerics for tiny p.",
            "zh": "True：target 是 log p（例如教师模型的 log_softmax）。KL 不变，p 很小时数值更稳定。"}),
    ),
    examples=(
        Example("one", {"en": "One 3-class distribution: 'mean' vs 'batchmean'",
                        "zh": "一个三类分布：'mean' 与 'batchmean'"},
                {"input": [_lq([0.25, 0.5, 0.25])], "target": [[0.1, 0.6, 0.3]]},
                note={"en": "input = log q for q = [0.25, 0.5, 0.25]. 'mean' divides by all 3 elements, "
                            "'batchmean' by the batch of 1: compare them in the reduction inspector.",
                      "zh": "input = log q，其中 q = [0.25, 0.5, 0.25]。'mean' 除以全部 3 个元素，'batchmean' 除以"
                            " batch 大小 1：在归约检查器里比较两者。"}),
        Example("batch", {"en": "A batch of two, reduction='batchmean'", "zh": "两个样本的 batch，reduction='batchmean'"},
                {"input": [_lq([0.7, 0.2, 0.1]), _lq([0.1, 0.1, 0.8])],
                 "target": [[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]]}, {"reduction": "batchmean"}),
        Example("log_target", {"en": "Teacher log-probabilities: log_target=True",
                               "zh": "教师给出对数概率：log_target=True"},
                {"input": [_lq([0.25, 0.5, 0.25])], "target": [_lq([0.1, 0.6, 0.3])]},
                {"reduction": "batchmean", "log_target": True},
                note={"en": "The same pair as the first example, with the target given as log p: the same KL.",
                      "zh": "与第一个示例同一对分布，只是 target 以 log p 给出：KL 相同。"}),
        Example("no_batch", {"en": "No batch dimension: 'batchmean' divides by C",
                             "zh": "没有 batch 维：'batchmean' 除以 C"},
                {"input": _lq([0.25, 0.5, 0.25]), "target": [0.1, 0.6, 0.3]}, {"reduction": "batchmean"},
                note={"en": "A 1-D input of shape (3,): input.size(0) is 3, so 'batchmean' is the KL divided by 3. "
                            "Add the batch dimension with unsqueeze(0).",
                      "zh": "形状为 (3,) 的一维输入：input.size(0) 是 3，所以 'batchmean' 得到 KL 除以 3。"
                            "请用 unsqueeze(0) 加上 batch 维。"}),
        Example("same", {"en": "q = p: the KL is exactly 0", "zh": "q = p：KL 恰好为 0"},
                {"input": [_lq([0.2, 0.3, 0.5])], "target": [[0.2, 0.3, 0.5]]}, {"reduction": "batchmean"},
                expected=0.0),
    ),
    reference_fn=ref.kl_div, sample=_kl_sample, validate=_kl_validate, mean_divisor=_kl_divisor,
    curve=Curve(
        {"en": "input x₁ = log q₁ of a 2-class prediction (q₂ = 1 − q₁)",
         "zh": "两类预测的 input x₁ = log q₁（q₂ = 1 − q₁）"},
        (-4.5, -0.05), (
            Series({"en": "KL, target p₁ = 0.2", "zh": "KL，目标 p₁ = 0.2"}, _kl_two_class(0.2)),
            Series({"en": "KL, target p₁ = 0.5", "zh": "KL，目标 p₁ = 0.5"}, _kl_two_class(0.5), dash="dash"),
            Series({"en": "KL, target p₁ = 0.8", "zh": "KL，目标 p₁ = 0.8"}, _kl_two_class(0.8), dash="dot"),
            Series({"en": "one pointwise term alone, p₁ = 0.5: a line, not a KL",
                    "zh": "单独一个逐元素项（p₁ = 0.5）：一条直线，不是 KL"}, _kl_first_term(0.5),
                   dash="dashdot", visible=False),
        ),
        y_label={"en": "KL(p‖q): sum of the 2 pointwise terms", "zh": "KL(p‖q)：两个逐元素项之和"},
        markers=_kl_markers),
    panels=("prob_kl",),
    docs_url=DOCS.format("KLDivLoss"))


# ==== PoissonNLLLoss ================================================================================
def _poisson_validate(t: dict, p: dict) -> None:
    require_broadcastable(t, "input", "target")   # torch broadcasts, and takes negative counts: diagnosed
    x, y = _np(t["input"]), _np(t["target"])
    if p["log_input"]:
        if x.max() > EXP_MAX:
            raise InputError(
                f"With log_input=True, input is log λ and torch computes exp(input): {x.max():g} overflows "
                f"float32 (limit about 88.7) and the loss would be inf. Use a smaller log-rate.",
                f"log_input=True 时 input 是 log λ，torch 会计算 exp(input)：{x.max():g} 在 float32 下溢出"
                f"（上限约 88.7），损失会变成 inf。请使用更小的对数速率。")
    else:
        if x.min() < 0:
            raise InputError(
                f"With log_input=False, input is the rate λ itself and must be ≥ 0 (found {x.min():g}); torch "
                "would return nan. If your model outputs log λ, turn on `log_input`.",
                f"log_input=False 时 input 就是速率 λ，必须 ≥ 0（发现 {x.min():g}），否则 torch 返回 nan。"
                "如果模型输出的是 log λ，请打开 `log_input`。")
        if p["eps"] == 0 and np.any(x == 0):
            raise InputError(
                "A rate of 0 with eps = 0 gives log(0) = −∞: the loss is inf or nan. Raise `eps` (it is "
                "added inside the log) or the rate.",
                "速率为 0 且 eps = 0 时会出现 log(0) = −∞，损失为 inf 或 nan。请调大 `eps`（它加在 log 里面）或速率。")


def _poisson_sample(rng: np.random.Generator) -> dict:
    shape = tuple(int(s) for s in rng.integers(1, 5, size=rng.integers(1, 3)))
    # Positive inputs are valid both as log λ (log_input=True) and as λ (log_input=False).
    x = rng.uniform(0.05, 2.5, shape)
    y = rng.poisson(2.0, shape).astype(float)
    if rng.random() < 0.3:
        y = y + rng.choice([0.0, 0.5], size=shape)  # fractional counts: torch accepts them
    return {"input": x, "target": y}


def _poisson_series(y: float):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        return F.poisson_nll_loss(x, torch.full_like(x, y), log_input=p["log_input"], full=p["full"],
                                  eps=p["eps"], reduction="none")
    return fn


POISSON_NLL = LossSpec(
    slug="poisson_nll", title="PoissonNLLLoss", family="classification", functional="poisson_nll_loss",
    formula=(r"\begin{aligned}"
             r"\ell_i &= e^{x_i} - y_i\,x_i \qquad (x = \log\lambda) \\"
             r"\ell_i &= x_i - y_i\log(x_i + \varepsilon) \qquad (x = \lambda,\ \texttt{log\_input=False}) \\"
             r"&\quad + \big[\,y_i\log y_i - y_i + \tfrac12\log(2\pi y_i)\,\big]\cdot[\texttt{full}]\cdot[y_i \gt 1]"
             r"\end{aligned}"),
    arg_names=ARGS,
    params=(
        reduction_param(),
        Param("log_input", "bool", True, help={
            "en": "True: input is log λ (any real) and the loss is exp(x) − y·x. False: input is the rate λ ≥ 0 "
                  "and the loss is x − y·log(x + eps).",
            "zh": "True：input 是 log λ（任意实数），损失为 exp(x) − y·x。False：input 是速率 λ ≥ 0，"
                  "损失为 x − y·log(x + eps)。"}),
        Param("full", "bool", False, help={
            "en": "Add the Stirling approximation of log(y!), only where target > 1. Changes the value, not "
                  "the gradient.",
            "zh": "加上 log(y!) 的 Stirling 近似，只在 target > 1 处加。改变数值，不改变梯度。"}),
        Param("eps", "float", 1e-8, lo=0.0, hi=1.0, step=0.01, symbol=r"\varepsilon", symbol_text="ε", fmt="%.2e",
              curve=False, help={
                  "en": "Added inside the log, log(λ + eps); used only when log_input=False (then it moves the "
                        "curve near λ = 0). Not a clamp.",
                  "zh": "加在 log 里面：log(λ + eps)；只在 log_input=False 时使用（此时会改变 λ = 0 附近的曲线）。"
                        "它不是截断。"}),
    ),
    examples=(
        Example("optimum", {"en": "Predicting the rate exactly: the loss is not 0",
                            "zh": "速率预测得完全准确：损失也不是 0"},
                {"input": [round(math.log(10), 6)], "target": [10.0]}, expected=10 - 10 * math.log(10),
                note={"en": "input = log 10, target 10. Without full the optimum is y − y·log y ≈ −13.03.",
                      "zh": "input = log 10，target 10。不加 full 时最优值为 y − y·log y ≈ −13.03。"}),
        Example("optimum_full", {"en": "The same with full=True", "zh": "同样的数据，full=True"},
                {"input": [round(math.log(10), 6)], "target": [10.0]}, {"full": True},
                expected=10 - 10 * math.log(10) + 10 * math.log(10) - 10 + 0.5 * math.log(20 * math.pi)),
        Example("stirling", {"en": "full=True: the Stirling term only where target > 1",
                             "zh": "full=True：Stirling 项只加在 target > 1 处"},
                {"input": [-0.5, 0.0, 0.5, 1.5], "target": [0.0, 1.0, 2.0, 5.0]}, {"full": True, "reduction": "none"},
                note={"en": "Targets 0 and 1 get nothing added (log 0! = log 1! = 0); 2 and 5 do. See the "
                            "Stirling panel above for the exact term.",
                      "zh": "target 为 0 和 1 的元素不加任何东西（log 0! = log 1! = 0）；2 和 5 会加。"
                            "具体数值见上方的 Stirling 面板。"}),
        Example("rates", {"en": "log_input=False: the input is the rate λ", "zh": "log_input=False：input 就是速率 λ"},
                {"input": [0.5, 1.0, 2.0, 4.5], "target": [0.0, 1.0, 2.0, 5.0]}, {"log_input": False}),
    ),
    reference_fn=ref.poisson_nll, sample=_poisson_sample, validate=_poisson_validate,
    curve=Curve(
        {"en": "input x: log-rate log λ (log_input=True) or rate λ (log_input=False)",
         "zh": "input x：对数速率 log λ（log_input=True）或速率 λ（log_input=False）"},
        (-2.0, 3.2), (
            Series({"en": "target y = 0", "zh": "目标 y = 0"}, _poisson_series(0.0)),
            Series({"en": "target y = 1", "zh": "目标 y = 1"}, _poisson_series(1.0), dash="dash"),
            Series({"en": "target y = 2", "zh": "目标 y = 2"}, _poisson_series(2.0), dash="dot"),
            Series({"en": "target y = 3", "zh": "目标 y = 3"}, _poisson_series(3.0), dash="dashdot"),
        )),
    panels=("prob_poisson",),
    docs_url=DOCS.format("PoissonNLLLoss"))


# ==== GaussianNLLLoss ===============================================================================
def _var_shapes_en(shape: tuple) -> str:
    ok = [shape_str_tuple(shape)]
    if len(shape) >= 1:
        ok.append(shape_str_tuple(shape[:-1]))
        for i in range(len(shape)):
            if shape[i] != 1:
                ok.append(shape_str_tuple(shape[:i] + (1,) + shape[i + 1:]))
    return ", ".join(dict.fromkeys(ok))


def shape_str_tuple(s: tuple) -> str:
    return "(" + ", ".join(str(d) for d in s) + ("," if len(s) == 1 else "") + ")"


def _gaussian_validate(t: dict, p: dict) -> None:
    require_broadcastable(t, "input", "target")   # torch broadcasts silently: diagnosed
    x, y, var = _np(t["input"]), _np(t["target"]), _np(t["var"])
    if var.min() < 0:
        raise InputError(
            f"`var` is a variance σ², so it cannot be negative (found {var.min():g}); torch raises "
            "'var has negative entry/entries'. Make it positive, e.g. softplus(h) or exp(log_var).",
            f"`var` 是方差 σ²，不能为负（发现 {var.min():g}）；torch 会报错 'var has negative entry/entries'。"
            "请先让它为正，例如 softplus(h) 或 exp(log_var)。")
    if ref.gaussian_var_for(x.shape, var.shape) is None:
        allowed = _var_shapes_en(x.shape)
        raise InputError(
            f"`var` has shape {shape_str(t['var'])}, which torch cannot use with input {shape_str(t['input'])}: "
            f"give one variance per element or share it along one dimension: {allowed}.",
            f"`var` 的形状 {shape_str(t['var'])} 无法与形状为 {shape_str(t['input'])} 的 input 搭配："
            f"请每个元素一个方差，或沿某一维共用：{allowed}。")
    used = np.maximum(var, p["eps"])
    if used.min() == 0:
        raise InputError(
            "A variance of 0 with eps = 0 gives log(0) = −∞ and a division by 0. Raise `eps` (it clamps "
            "the variance from below) or the variance.",
            "方差为 0 且 eps = 0 时会出现 log(0) = −∞ 和除以 0。请调大 `eps`（它从下方截断方差）或方差。")
    how = ref.gaussian_var_for(x.shape, var.shape)
    used_b = np.broadcast_to(used[..., None] if how == "unsqueeze" else used, x.shape)
    if np.max((x - y) ** 2 / used_b) > 1e37:
        raise InputError(
            "The squared error divided by the (clamped) variance overflows float32: use a larger variance or eps.",
            "平方误差除以（截断后的）方差在 float32 下溢出：请使用更大的方差或 eps。")


def _gaussian_sample(rng: np.random.Generator) -> dict:
    n, d = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    shape = (n, d) if rng.random() < 0.8 else (n,)
    x = rng.normal(0, 2, shape)
    y = rng.normal(0, 2, shape)
    kind = rng.integers(0, 3)
    if kind == 1 and len(shape) == 2:
        vshape = (n,)
    elif kind == 2 and len(shape) == 2:
        vshape = (n, 1) if rng.random() < 0.5 else (1, d)
    else:
        vshape = shape
    var = rng.uniform(0.01, 3.0, vshape)
    if rng.random() < 0.4:  # variances below eps: torch clamps them
        var.flat[0] = 1e-8
    return {"input": x, "target": y, "var": var}


def _gaussian_series(d: float, added: bool = False):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        mu, y = torch.full_like(x, d), torch.zeros_like(x)
        if added:  # what people expect eps to do: var + eps, no clamp (eps=0 disables torch's clamp here)
            return F.gaussian_nll_loss(mu, y, x + p["eps"], full=p["full"], eps=0.0, reduction="none")
        return F.gaussian_nll_loss(mu, y, x, full=p["full"], eps=p["eps"], reduction="none")
    return fn


def _gaussian_markers(p):
    eps = p["eps"]
    if eps < 0.02:
        return []
    return [(eps, {"en": "ε: clamped below", "zh": "ε：以下被截断"})]


def _gaussian_divisor(t: dict, p: dict):
    if p["reduction"] != "mean":
        return None
    n = t["input"].numel()
    return float(n), {"en": f"every element of the loss {shape_str(t['input'])}, not the batch size",
                      "zh": f"损失 {shape_str(t['input'])} 的全部元素，不是 batch 大小"}


GAUSSIAN_NLL = LossSpec(
    slug="gaussian_nll", title="GaussianNLLLoss", family="classification", functional="gaussian_nll_loss",
    formula=(r"\begin{aligned}"
             r"\ell_i &= \frac12\left(\log\max(\sigma_i^2, \varepsilon) + "
             r"\frac{(x_i - y_i)^2}{\max(\sigma_i^2, \varepsilon)}\right),\qquad \sigma^2 = \texttt{var} \\"
             r"&\quad +\ \tfrac12\log(2\pi)\cdot[\texttt{full}]"
             r"\end{aligned}"),
    arg_names=("input", "target", "var"),
    params=(
        reduction_param(),
        Param("full", "bool", False, help={
            "en": "Add the constant ½·log(2π) ≈ 0.919 to every element: the exact −log N(y | μ, σ²). "
                  "Changes the value, not the gradient.",
            "zh": "每个元素加常数 ½·log(2π) ≈ 0.919，得到精确的 −log N(y | μ, σ²)。只改数值，不改梯度。"}),
        Param("eps", "float", 1e-6, lo=0.0, hi=1.0, step=0.01, symbol=r"\varepsilon", symbol_text="ε", fmt="%.2e",
              help={"en": "Lower clamp for var: torch uses max(var, eps), it does not add eps. Below eps the "
                          "loss is flat, yet the autograd gradient is that of eps (the clamp is done without "
                          "autograd).",
                    "zh": "var 的下限截断：torch 用 max(var, eps)，而不是加上 eps。低于 eps 时损失是平的，"
                          "但 autograd 梯度按 eps 处的值计算（截断不经过 autograd）。"}),
    ),
    examples=(
        Example("hetero", {"en": "One variance per prediction (heteroscedastic)", "zh": "每个预测一个方差（异方差）"},
                {"input": [2.5, 0.0, 2.0, 8.0], "target": [3.0, -0.5, 2.0, 7.0], "var": [0.25, 0.25, 1.0, 4.0]}),
        Example("clamp", {"en": "eps clamps: var = 1e-8 is used as 1e-6", "zh": "eps 是截断：var = 1e-8 按 1e-6 计算"},
                {"input": [0.5], "target": [0.0], "var": [1e-8]},
                expected=0.5 * (math.log(1e-6) + 0.25 / 1e-6),
                note={"en": "max(1e-8, 1e-6) = 1e-6, so the loss is ½(log 1e-6 + 0.25/1e-6) ≈ 124 993. "
                            "If eps were added, var + eps = 1.01e-6 would give about 123 756.",
                      "zh": "max(1e-8, 1e-6) = 1e-6，所以损失为 ½(log 1e-6 + 0.25/1e-6) ≈ 124 993。"
                            "若 eps 是加上去的，var + eps = 1.01e-6，结果约为 123 756。"}),
        Example("homo", {"en": "One variance per sample: var of shape (N,)", "zh": "每个样本一个方差：var 形状为 (N,)"},
                {"input": [[1.0, 2.0, 3.0], [0.0, 0.5, -0.5]], "target": [[1.5, 2.0, 2.0], [0.0, 0.0, 0.0]],
                 "var": [0.5, 2.0]},
                note={"en": "var (2,) is the input shape (2, 3) without its last dimension: each row shares one "
                            "variance. 'mean' still divides by all 6 elements.",
                      "zh": "var (2,) 是 input 形状 (2, 3) 去掉最后一维：每行共用一个方差。'mean' 仍除以全部 6 个元素。"}),
        Example("full", {"en": "full=True: the exact −log density of N(0, 1) at 0",
                         "zh": "full=True：N(0, 1) 在 0 处密度的精确负对数"},
                {"input": [0.0], "target": [0.0], "var": [1.0]}, {"full": True}, expected=0.5 * math.log(2 * math.pi),
                note={"en": "The density there is 1/√(2π) ≈ 0.3989; the loss is its −log: ½·log(2π) ≈ 0.9189.",
                      "zh": "该处的密度是 1/√(2π) ≈ 0.3989；损失是它的负对数：½·log(2π) ≈ 0.9189。"}),
    ),
    reference_fn=ref.gaussian_nll, sample=_gaussian_sample, validate=_gaussian_validate,
    mean_divisor=_gaussian_divisor,
    curve=Curve(
        {"en": "variance σ² = var (error input − target fixed at d)",
         "zh": "方差 σ² = var（误差 input − target 固定为 d）"},
        (0.0, 3.0), (
            Series({"en": "d = 0.5 (best σ² = 0.25)", "zh": "d = 0.5（最优 σ² = 0.25）"}, _gaussian_series(0.5)),
            Series({"en": "d = 1 (best σ² = 1)", "zh": "d = 1（最优 σ² = 1）"}, _gaussian_series(1.0), dash="dash"),
            Series({"en": "d = 1.5 (best σ² = 2.25)", "zh": "d = 1.5（最优 σ² = 2.25）"}, _gaussian_series(1.5),
                   dash="dot"),
            Series({"en": "d = 1 if eps were added, σ² + ε (not torch)", "zh": "d = 1，若 eps 是加上去的 σ² + ε（不是 torch）"},
                   _gaussian_series(1.0, added=True), dash="dashdot", visible=False),
        ), markers=_gaussian_markers),
    panels=("prob_gaussian",),
    docs_url=DOCS.format("GaussianNLLLoss"))


# ==== SoftMarginLoss ================================================================================
def _soft_validate(t: dict, p: dict) -> None:
    require_broadcastable(t, "input", "target")   # torch broadcasts and takes any label: diagnosed
    x, y = _np(t["input"]), _np(t["target"])
    if np.broadcast_shapes(x.shape, y.shape) != x.shape:   # torch computes in place on input's shape
        raise InputError.keyed("err_soft_margin_grow", sx=shape_str(t["input"]), sy=shape_str(t["target"]))
    worst = float(np.max(-y * x))
    if worst > EXP_MAX:
        raise InputError(
            f"A margin y·x of {-worst:g}: torch computes log(1 + exp(−y·x)) as written, exp overflows float32 "
            "above 88.7 and the loss is inf. `BCEWithLogitsLoss(x, (y + 1) / 2)` is the same loss without "
            "overflow.",
            f"间隔 y·x = {-worst:g}：torch 按原式计算 log(1 + exp(−y·x))，exp 在 float32 下超过 88.7 会溢出，"
            "损失变成 inf。`BCEWithLogitsLoss(x, (y + 1) / 2)` 是同一个损失，且不会溢出。")


def _soft_sample(rng: np.random.Generator) -> dict:
    shape = tuple(int(s) for s in rng.integers(1, 5, size=rng.integers(1, 3)))
    return {"input": rng.normal(0, 2.5, shape), "target": rng.choice([-1.0, 1.0], size=shape)}


def _soft_series(y: float):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        return F.soft_margin_loss(x, torch.full_like(x, y), reduction="none")
    return fn


def _bce_logits_pos(x, p):
    import torch
    import torch.nn.functional as F
    return F.binary_cross_entropy_with_logits(x, torch.ones_like(x), reduction="none")


SOFT_MARGIN = LossSpec(
    slug="soft_margin", title="SoftMarginLoss", family="classification", functional="soft_margin_loss",
    formula=r"\ell_i = \log\big(1 + e^{-y_i x_i}\big),\qquad y_i \in \{+1, -1\}",
    arg_names=ARGS,
    params=(reduction_param(),),
    examples=(
        Example("scores", {"en": "Four scores with ±1 labels", "zh": "四个得分，标签为 ±1"},
                {"input": [2.0, -1.0, 0.5, -3.0], "target": [1.0, -1.0, -1.0, 1.0]},
                note={"en": "Margins y·x = [2, 1, −0.5, −3]: the last one is a confident mistake and costs "
                            "about 3.05.",
                      "zh": "间隔 y·x = [2, 1, −0.5, −3]：最后一个是有把握的错误，代价约 3.05。"}),
        Example("zero", {"en": "Margin 0 costs log 2", "zh": "间隔为 0 时损失为 log 2"},
                {"input": [0.0], "target": [1.0]}, expected=math.log(2)),
        Example("batch", {"en": "A 2×3 batch of independent decisions", "zh": "2×3 的一批独立二分类判断"},
                {"input": [[1.5, -0.5, 3.0], [-2.0, 0.2, 0.0]], "target": [[1.0, 1.0, 1.0], [-1.0, -1.0, 1.0]]}),
    ),
    reference_fn=ref.soft_margin, sample=_soft_sample, validate=_soft_validate,
    curve=Curve(
        {"en": "input score x (a logit; margin = y·x)", "zh": "input 得分 x（logit；间隔 = y·x）"},
        (-4.0, 4.0), (
            Series({"en": "target y = +1", "zh": "目标 y = +1"}, _soft_series(1.0)),
            Series({"en": "target y = −1", "zh": "目标 y = −1"}, _soft_series(-1.0), dash="dash"),
            Series({"en": "y = 0 (0/1 labels by mistake): log 2, zero gradient",
                    "zh": "y = 0（误用 0/1 标签）：恒为 log 2，梯度为 0"}, _soft_series(0.0), dash="dot", visible=False),
            Series({"en": "BCEWithLogits(x, 1): identical to y = +1", "zh": "BCEWithLogits(x, 1)：与 y = +1 完全重合"},
                   _bce_logits_pos, dash="dashdot", visible=False),
        )),
    docs_url=DOCS.format("SoftMarginLoss"))


# ==== MultiLabelSoftMarginLoss ======================================================================
def _weight_array(p: dict):
    w = p.get("weight")
    if w is None:
        return None
    try:
        arr = np.asarray(w, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("`weight` must be numbers.", "`weight` 必须是数字。") from None
    return arr


def _multi_validate(t: dict, p: dict) -> None:
    x = t["input"]
    if x.dim() == 0:
        raise InputError("`input` needs a class dimension: shape (C,) or (N, C), not a single number.",
                         "`input` 需要有类别维：形状为 (C,) 或 (N, C)，不能是单个数。")
    require_broadcastable(t, "input", "target")   # torch broadcasts and takes any target: diagnosed
    w = _weight_array(p)
    if w is not None:
        c = x.shape[-1]
        if w.shape != (c,) and w.shape != tuple(x.shape):
            raise InputError(
                f"`weight` has shape {shape_str_tuple(w.shape)}; it needs one weight per class: ({c},).",
                f"`weight` 的形状为 {shape_str_tuple(w.shape)}；需要每个类别一个权重：({c},)。")
        if not np.all(np.isfinite(w)):
            raise InputError("`weight` contains NaN or infinity.", "`weight` 含有 NaN 或无穷大。")
        if w.min() < 0:
            raise InputError(
                f"`weight` cannot be negative (found {w.min():g}): a negative class weight turns the loss "
                "for that class into a reward.",
                f"`weight` 不能为负（发现 {w.min():g}）：负的类别权重会把该类的损失变成奖励。")


def _multi_sample(rng: np.random.Generator) -> dict:
    c = int(rng.integers(2, 6))
    shape = (c,) if rng.random() < 0.2 else (int(rng.integers(1, 5)), c)
    y = (rng.random(shape) < 0.4).astype(float)
    if rng.random() < 0.2:
        y = rng.uniform(0, 1, shape)  # soft labels are valid too
    return {"input": rng.normal(0, 2.5, shape), "target": y}


def _multi_sample_params(rng: np.random.Generator, inputs: dict) -> dict:
    c = np.asarray(inputs["input"]).shape[-1]
    return {"weight": rng.uniform(0.0, 2.0, c).round(3).tolist()}


def _multi_series(y: float):
    def fn(x, p):
        import torch
        import torch.nn.functional as F
        return F.multilabel_soft_margin_loss(x[:, None], torch.full_like(x, y)[:, None], reduction="none")
    return fn


def _multi_divisor(t: dict, p: dict):
    if p["reduction"] != "mean":
        return None
    n = 1 if t["input"].dim() == 1 else t["input"].numel() // t["input"].shape[-1]
    return float(n), {"en": f"the number of samples N = {n} (each already averaged over its C classes)",
                      "zh": f"样本数 N = {n}（每个样本已先对 C 个类别取平均）"}


MULTILABEL_SOFT_MARGIN = LossSpec(
    slug="multilabel_soft_margin", title="MultiLabelSoftMarginLoss", family="classification",
    functional="multilabel_soft_margin_loss",
    formula=(r"\begin{aligned}"
             r"\ell_n &= \frac{1}{C}\sum_{c=1}^{C} w_c\,\ell_{n,c},\qquad y_{n,c} \in \{0, 1\} \\"
             r"\ell_{n,c} &= -\big[y_{n,c}\log\sigma(x_{n,c}) + (1 - y_{n,c})\log\sigma(-x_{n,c})\big]"
             r"\end{aligned}"),
    arg_names=ARGS,
    params=(
        reduction_param(),
        Param("weight", "tensor", None, curve=False, help={
            "en": "One non-negative weight per class, shape (C,), e.g. [1, 2, 1, 1]. It scales both the "
                  "positive and the negative term of that class; the sum is still divided by C.",
            "zh": "每个类别一个非负权重，形状 (C,)，例如 [1, 2, 1, 1]。它同时缩放该类的正项和负项；总和仍除以 C。"}),
    ),
    examples=(
        Example("tags", {"en": "Two images, four tags (multi-hot targets)", "zh": "两张图片、四个标签（multi-hot 目标）"},
                {"input": [[2.0, -1.0, 0.5, -3.0], [-0.5, 1.5, -2.0, 0.0]],
                 "target": [[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0]]},
                note={"en": "Each row is averaged over its 4 classes, then 'mean' averages the 2 rows. Type a "
                            "weight such as [1, 2, 1, 1] above to weight the classes.",
                      "zh": "每行先对 4 个类别取平均，'mean' 再对 2 行取平均。在上方 `weight` 中输入如 [1, 2, 1, 1] "
                            "即可给类别加权。"}),
        Example("single", {"en": "One sample, input of shape (C,)", "zh": "单个样本，input 形状为 (C,)"},
                {"input": [3.0, -2.0, 0.0], "target": [1.0, 0.0, 1.0]}),
        Example("soft", {"en": "Soft labels between 0 and 1", "zh": "介于 0 与 1 之间的软标签"},
                {"input": [[0.0, 2.0, -2.0]], "target": [[0.5, 0.9, 0.1]]}),
    ),
    reference_fn=ref.multilabel_soft_margin, sample=_multi_sample, validate=_multi_validate,
    sample_params=_multi_sample_params, mean_divisor=_multi_divisor,
    curve=Curve(
        {"en": "logit x_c of one class (C = 1; with C classes each term is divided by C)",
         "zh": "某一类的 logit x_c（C = 1；有 C 个类别时每项再除以 C）"},
        (-5.0, 5.0), (
            Series({"en": "target y = 1 (class present)", "zh": "目标 y = 1（有该类）"}, _multi_series(1.0)),
            Series({"en": "target y = 0 (class absent)", "zh": "目标 y = 0（无该类）"}, _multi_series(0.0), dash="dash"),
            Series({"en": "y = −1 (old '-1 padding' docs): negative, no lower bound",
                    "zh": "y = −1（旧文档的 '-1 填充'）：为负且没有下界"}, _multi_series(-1.0), dash="dot"),
        )),
    docs_url=DOCS.format("MultiLabelSoftMarginLoss"))


SPECS = (KL_DIV, POISSON_NLL, GAUSSIAN_NLL, SOFT_MARGIN, MULTILABEL_SOFT_MARGIN)
