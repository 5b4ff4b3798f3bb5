"""Margin, ranking and embedding losses: MarginRanking, HingeEmbedding, MultiMargin, MultiLabelMargin,
CosineEmbedding, TripletMargin, TripletMarginWithDistance.

Every curve is a hinge drawn against the quantity the margin is compared with (a score difference, a
distance, a cosine, a gap between two class scores, d(a,p) − d(a,n)), for y = +1 and y = −1 where the
loss has a ±1 label. The series call torch's own functional on tensors built from the swept x, so the
gradients come from autograd (losses/curves.py).
"""
from __future__ import annotations

import dataclasses

import numpy as np

from .errors import InputError
from .reference import margin as ref
from .spec import Curve, Example, LossSpec, Param, Series, default_snippet, reduction_param
from .validation import require_broadcastable, shape_str

DOCS = "https://pytorch.org/docs/stable/generated/torch.nn.{}.html"
DISTANCES = ("pairwise_l2", "cosine", "l1")


# ---------------------------------------------------------------------------------------------
# validation helpers (each raises InputError before torch sees the tensors)
# ---------------------------------------------------------------------------------------------
def _pos(idx) -> str:
    idx = tuple(int(i) for i in np.atleast_1d(idx))
    return "(" + ", ".join(str(i) for i in idx) + ("," if len(idx) == 1 else "") + ")" if idx else "()"


def _first_bad(mask: np.ndarray):
    where = np.argwhere(mask)
    return tuple(where[0]) if where.size else ()


def _require_dims(tensors: dict, name: str, allowed: tuple[int, ...], what_en: str, what_zh: str) -> None:
    t = tensors[name]
    if t.dim() not in allowed:
        dims = " or ".join(str(d) for d in allowed)
        dims_zh = " 或 ".join(str(d) for d in allowed)
        raise InputError(
            f"`{name}` must have {dims} dimensions ({what_en}), got {t.dim()} (shape {shape_str(t)}).",
            f"`{name}` 必须是 {dims_zh} 维（{what_zh}），当前为 {t.dim()} 维（形状 {shape_str(t)}）。")


def _require_same_ndim(tensors: dict, names: tuple[str, ...]) -> None:
    """torch raises when the number of dimensions differs; sizes it broadcasts (diagnosed)."""
    first = tensors[names[0]]
    for other in names[1:]:
        if tensors[other].dim() != first.dim():
            raise InputError.keyed("err_same_ndim", a=names[0], b=other, sa=shape_str(first),
                                   sb=shape_str(tensors[other]))
        require_broadcastable(tensors, names[0], other)


def _validate_margin_ranking(t: dict, p: dict) -> None:
    _require_same_ndim(t, ("input1", "input2", "target"))
    require_broadcastable(t, "input2", "target")


def _validate_hinge_embedding(t: dict, p: dict) -> None:
    require_broadcastable(t, "input", "target")   # torch broadcasts and takes any label: diagnosed


def _validate_cosine_embedding(t: dict, p: dict) -> None:
    _require_dims(t, "input1", (1, 2), "one vector (D) or a batch (N, D)", "一个向量 (D) 或一批 (N, D)")
    _require_same_ndim(t, ("input1", "input2"))
    x, y = t["input1"], t["target"]
    if y.dim() != x.dim() - 1:
        need = "a single number (0-dimensional), e.g. 1" if x.dim() == 1 else f"shape ({x.shape[0]},), one label per pair"
        need_zh = "一个数（0 维），例如 1" if x.dim() == 1 else f"形状 ({x.shape[0]},)，每对一个标签"
        raise InputError(
            f"`target` has shape {shape_str(y)} but `input1` is {shape_str(x)}: the target must be {need} "
            "(torch raises for this number of dimensions).",
            f"`target` 的形状是 {shape_str(y)}，而 `input1` 是 {shape_str(x)}：target 必须是{need_zh}"
            "（维数不对时 torch 会报错）。")
    pairs = {"pairs": t["input1"].new_zeros(np.broadcast_shapes(tuple(x.shape), tuple(t["input2"].shape))[:-1]),
             "target": y}
    require_broadcastable(pairs, "pairs", "target")   # more labels than pairs broadcasts: diagnosed


def _validate_triplet(t: dict, p: dict) -> None:
    _require_dims(t, "anchor", (1, 2), "one embedding (D) or a batch (N, D)", "一个 embedding (D) 或一批 (N, D)")
    _require_same_ndim(t, ("anchor", "positive", "negative"))
    require_broadcastable(t, "positive", "negative")


def _class_count(t: dict) -> int:
    return int(t["input"].shape[-1])


def _validate_multi_margin(t: dict, p: dict) -> None:
    _require_dims(t, "input", (1, 2), "scores (C) or a batch (N, C)", "得分 (C) 或一批 (N, C)")
    x, y = t["input"], t["target"]
    c = _class_count(t)
    if x.dim() == 2:
        ok = tuple(y.shape) == (x.shape[0],)
        need, need_zh = f"({x.shape[0]},), one class index per row of `input`", f"({x.shape[0]},)，`input` 每行一个类别下标"
    else:
        ok = tuple(y.shape) in ((), (1,))
        need, need_zh = "a single class index, e.g. 3", "单个类别下标，例如 3"
    if not ok:
        raise InputError(
            f"`target` has shape {shape_str(y)} but `input` is {shape_str(x)}: the target must be {need} "
            f"(class indices, not one-hot).",
            f"`target` 的形状是 {shape_str(y)}，而 `input` 是 {shape_str(x)}：target 必须是{need_zh}（类别下标，不是 one-hot）。")
    v = y.detach().cpu().numpy()
    bad = (v < 0) | (v >= c)
    if bad.any():
        at = _first_bad(bad) if v.ndim else ()
        value = int(v[at]) if v.ndim else int(v)
        raise InputError(
            f"`target` holds class indices 0 … {c - 1} (C = {c} classes); found {value} at position {_pos(at)}.",
            f"`target` 是 0 … {c - 1} 的类别下标（C = {c} 个类别）；在位置 {_pos(at)} 发现 {value}。")
    w = p.get("weight")
    if w is not None:
        arr = np.asarray(w, dtype=np.float64)
        if arr.ndim != 1 or arr.shape[0] != c:
            raise InputError(
                f"`weight` must be a list of C = {c} numbers (one per class), got shape {_shape_text(arr)}.",
                f"`weight` 必须是 C = {c} 个数的列表（每个类别一个），当前形状为 {_shape_text(arr)}。")
        if not np.all(np.isfinite(arr)):
            raise InputError("`weight` contains NaN or infinity.", "`weight` 含有 NaN 或无穷大。")


def _shape_text(arr: np.ndarray) -> str:
    s = arr.shape
    return "(" + ", ".join(str(d) for d in s) + ("," if len(s) == 1 else "") + ")"


def _validate_multilabel_margin(t: dict, p: dict) -> None:
    _require_dims(t, "input", (1, 2), "scores (C) or a batch (N, C)", "得分 (C) 或一批 (N, C)")
    x, y = t["input"], t["target"]
    if tuple(y.shape) != tuple(x.shape):
        raise InputError(
            f"`target` has shape {shape_str(y)} but `input` is {shape_str(x)}: MultiLabelMarginLoss needs the "
            f"same shape, each row a list of class indices padded with -1, e.g. [3, 0, -1, -1].",
            f"`target` 的形状是 {shape_str(y)}，而 `input` 是 {shape_str(x)}：MultiLabelMarginLoss 要求两者同形状，"
            f"每行是用 -1 补齐的类别下标列表，例如 [3, 0, -1, -1]。")
    c = _class_count(t)
    v = y.detach().cpu().numpy()
    bad = (v < -1) | (v >= c)
    if bad.any():
        at = _first_bad(bad)
        raise InputError(
            f"`target` entries must be class indices 0 … {c - 1} or -1 (end of the list); found {int(v[at])} at "
            f"position {_pos(at)}. torch checks every entry, even those after the first -1.",
            f"`target` 的元素必须是 0 … {c - 1} 的类别下标或 -1（列表结束）；在位置 {_pos(at)} 发现 {int(v[at])}。"
            f"torch 会检查每个元素，包括第一个 -1 之后的元素。")


# ---------------------------------------------------------------------------------------------
# random valid inputs (tests)
# ---------------------------------------------------------------------------------------------
def _pm1(rng, shape):
    return rng.choice([-1.0, 1.0], size=shape)


def _sample_margin_ranking(rng):
    shape = () if rng.random() < 0.15 else (int(rng.integers(1, 7)),)
    return {"input1": rng.normal(0, 1.5, shape), "input2": rng.normal(0, 1.5, shape), "target": _pm1(rng, shape)}


def _sample_hinge_embedding(rng):
    shape = tuple(int(s) for s in rng.integers(1, 5, size=rng.integers(1, 3)))
    x = np.abs(rng.normal(0, 1.5, shape))
    return {"input": x, "target": _pm1(rng, shape)}


def _sample_cosine_embedding(rng):
    d = int(rng.integers(1, 6))
    if rng.random() < 0.2:
        return {"input1": rng.normal(0, 1, d), "input2": rng.normal(0, 1, d), "target": np.float64(rng.choice([-1, 1]))}
    n = int(rng.integers(1, 6))
    return {"input1": rng.normal(0, 1, (n, d)), "input2": rng.normal(0, 1, (n, d)), "target": _pm1(rng, (n,))}


def _sample_triplet(rng):
    d = int(rng.integers(1, 6))
    shape = (d,) if rng.random() < 0.2 else (int(rng.integers(1, 6)), d)
    a = rng.normal(0, 1, shape)
    return {"anchor": a, "positive": a + rng.normal(0, 0.8, shape), "negative": a + rng.normal(0, 1.2, shape)}


def _sample_multi_margin(rng):
    c = int(rng.integers(2, 7))
    if rng.random() < 0.2:
        return {"input": rng.normal(0, 1, c), "target": np.int64(rng.integers(0, c))}
    n = int(rng.integers(1, 6))
    return {"input": rng.normal(0, 1, (n, c)), "target": rng.integers(0, c, size=n)}


def _sample_multi_margin_params(rng, inputs):
    c = np.asarray(inputs["input"]).shape[-1]
    return {"weight": rng.uniform(0.1, 3.0, c).round(3).tolist()}


def padded_targets(rng, c: int, n_targets: int | None = None) -> np.ndarray:
    """One target row: some class indices (duplicates possible), then -1, then anything valid (ignored)."""
    k = int(rng.integers(0, c + 1)) if n_targets is None else n_targets
    row = rng.integers(0, c, size=c)
    if rng.random() < 0.7:  # usually distinct classes
        row[:k] = rng.permutation(c)[:k]
    if k < c:
        row[k] = -1
        row[k + 1:] = rng.integers(-1, c, size=c - k - 1)
    return row


def _sample_multilabel_margin(rng):
    c = int(rng.integers(2, 7))
    if rng.random() < 0.2:
        return {"input": rng.normal(0, 1, c), "target": padded_targets(rng, c)}
    n = int(rng.integers(1, 5))
    return {"input": rng.normal(0, 1, (n, c)), "target": np.stack([padded_targets(rng, c) for _ in range(n)])}


# ---------------------------------------------------------------------------------------------
# curves: torch's own functional on tensors built from the swept x
# ---------------------------------------------------------------------------------------------
def _const(x, value):
    import torch
    return torch.full_like(x, float(value))


def _margin_ranking_y(y):
    def fn(x, p):
        import torch.nn.functional as F
        return F.margin_ranking_loss(x, _const(x, 0), _const(x, y), margin=p["margin"], reduction="none")
    return fn


def _hinge_embedding_y(y):
    def fn(x, p):
        import torch.nn.functional as F
        return F.hinge_embedding_loss(x, _const(x, y), margin=p["margin"], reduction="none")
    return fn


def _cosine_y(y):
    def fn(x, p):
        """x is the cosine: input1 = (1, 0), input2 = (x, √(1 − x²)) (+1e-12 keeps autograd finite at ±1)."""
        import torch
        import torch.nn.functional as F
        a = torch.stack([torch.ones_like(x), torch.zeros_like(x)], dim=-1)
        b = torch.stack([x, torch.sqrt(1 - x * x + 1e-12)], dim=-1)
        return F.cosine_embedding_loss(a, b, _const(x, y), margin=p["margin"], reduction="none")
    return fn


def _multi_margin_p(power):
    def fn(x, p):
        """C = 2: true class scores x, the wrong class 0; × C undoes the 1/C to show the bare hinge term."""
        import torch
        import torch.nn.functional as F
        scores = torch.stack([torch.zeros_like(x), x], dim=-1)
        target = torch.ones(x.shape, dtype=torch.long)
        return 2 * F.multi_margin_loss(scores, target, p=power, margin=p["margin"], reduction="none")
    return fn


def _multilabel_term(x, p):
    """C = 2: target class 0 scores x, class 1 (not a target) scores 0; × C undoes the 1/C."""
    import torch
    import torch.nn.functional as F
    scores = torch.stack([x, torch.zeros_like(x)], dim=-1)
    target = torch.tensor([0, -1]).expand(*x.shape, 2)
    return 2 * F.multilabel_margin_loss(scores, target, reduction="none")


TRIPLET_SHIFT = 5.0


def _triplet_fn(x, p):
    """1-D embeddings: anchor 0, positive x + 5, negative 5, so d(a,p) − d(a,n) = x exactly (eps cancels)."""
    import torch
    import torch.nn.functional as F
    a = torch.zeros_like(x).unsqueeze(-1)
    pos = (x + TRIPLET_SHIFT).unsqueeze(-1)
    neg = _const(x, TRIPLET_SHIFT).unsqueeze(-1)
    return F.triplet_margin_loss(a, pos, neg, margin=p["margin"], p=p["p"], eps=p["eps"], swap=False,
                                 reduction="none")


def _triplet_wd_fn(x, p):
    import torch
    import torch.nn.functional as F
    a = torch.zeros_like(x).unsqueeze(-1)
    pos = (x + TRIPLET_SHIFT).unsqueeze(-1)
    neg = _const(x, TRIPLET_SHIFT).unsqueeze(-1)
    return F.triplet_margin_with_distance_loss(a, pos, neg, distance_function=None, margin=p["margin"],
                                               swap=False, reduction="none")


def _marker(value_fn, en, zh):
    def markers(p):
        return [(value_fn(p), {"en": en, "zh": zh})]
    return markers


def _ranking_markers(p):
    m = p["margin"]
    if m == 0:  # both kinks at 0: one guide
        return [(0.0, {"en": "margin = 0", "zh": "margin = 0"})]
    return [(m, {"en": "margin (y=+1)", "zh": "margin（y=+1）"}), (-m, {"en": "−margin (y=−1)", "zh": "−margin（y=−1）"})]




# ---------------------------------------------------------------------------------------------
# triplet_margin_with_distance: the choice of distance becomes a callable here (and in the snippet)
# ---------------------------------------------------------------------------------------------
def distance_callable(name: str):
    """The callable handed to torch for each `distance_function` choice (None = torch's default)."""
    import torch.nn.functional as F
    if name == "pairwise_l2":
        return None  # torch's default: F.pairwise_distance(x, y), p = 2, eps = 1e-6
    if name == "l1":
        return lambda x, y: F.pairwise_distance(x, y, p=1.0)
    if name == "cosine":
        return lambda x, y: 1.0 - F.cosine_similarity(x, y, dim=-1)
    raise InputError(f"unknown distance {name!r}", f"未知的距离 {name!r}")


def _triplet_wd_compute(tensors: dict, kwargs: dict):
    import torch.nn.functional as F
    kw = dict(kwargs)
    kw["distance_function"] = distance_callable(kw["distance_function"])
    return F.triplet_margin_with_distance_loss(tensors["anchor"], tensors["positive"], tensors["negative"], **kw)


_DISTANCE_CODE = {"pairwise_l2": "nn.PairwiseDistance(p=2)", "l1": "nn.PairwiseDistance(p=1)",
                  "cosine": "cosine_distance"}


def _triplet_wd_snippet(inputs: dict, params: dict) -> str:
    """The default snippet, with the distance choice written as the callable torch receives."""
    plain = dataclasses.replace(TRIPLET_WD, snippet=None,
                                params=tuple(p for p in TRIPLET_WD.params if p.name != "distance_function"))
    lines = default_snippet(plain, inputs, {k: v for k, v in params.items() if k != "distance_function"}).split("\n")
    head = "loss_fn = nn.TripletMarginWithDistanceLoss("
    i = next(k for k, line in enumerate(lines) if line.startswith(head))
    kwargs = lines[i][len(head):-1]
    name = params["distance_function"]
    lines[i] = head + f"distance_function={_DISTANCE_CODE[name]}" + (f", {kwargs}" if kwargs else "") + ")"
    if name == "cosine":
        lines[i:i] = ["def cosine_distance(x, y):", "    return 1.0 - F.cosine_similarity(x, y, dim=-1)", ""]
        lines.insert(2, "import torch.nn.functional as F")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# the specs
# ---------------------------------------------------------------------------------------------
def _margin_param(default, lo, hi, en, zh, step=0.05, curve=True):
    return Param("margin", "float", default, lo=lo, hi=hi, step=step, help={"en": en, "zh": zh}, curve=curve)


MARGIN_RANKING = LossSpec(
    slug="margin_ranking", title="MarginRankingLoss", family="margin", functional="margin_ranking_loss",
    formula=(r"\begin{gathered} \ell_n = \max\bigl(0,\; -y_n\,(x_{1,n} - x_{2,n}) + \mathrm{margin}\bigr) \\"
             r" y_n \in \{1, -1\} \end{gathered}"),
    arg_names=("input1", "input2", "target"),
    params=(reduction_param(), _margin_param(
        0.0, -2.0, 2.0,
        "The lead the score that should rank higher must have over the other. 0 (the default) only asks for "
        "the right order; a negative margin tolerates wrong orders up to |margin|.",
        "应当排在前面的得分至少要领先的幅度。默认 0 只要求顺序正确；负的 margin 允许顺序排错但错得不超过 |margin|。")),
    examples=(
        Example("three_pairs", {"en": "Three pairs, margin = 0.5", "zh": "三对得分，margin = 0.5"},
                {"input1": [0.8, 0.3, 0.5], "input2": [0.2, 0.6, 0.5], "target": [1, 1, -1]}, {"margin": 0.5},
                note={"en": "Pair 0 is ranked right with room to spare (loss 0); pair 1 is in the wrong order; "
                            "pair 2 is a tie where x2 should win, so it lacks the whole margin.",
                      "zh": "第 0 对顺序正确且余量充足（损失 0）；第 1 对顺序反了；第 2 对打平，但应当 x2 胜出，"
                            "所以整个 margin 都没达到。"}),
        Example("order_only", {"en": "Default margin = 0: only the order counts", "zh": "默认 margin = 0：只看顺序"},
                {"input1": [2.0, 0.1, -1.0, 0.0], "input2": [1.0, 0.0, 1.0, 0.5], "target": [1, 1, 1, -1]}),
    ),
    reference_fn=ref.margin_ranking, sample=_sample_margin_ranking, validate=_validate_margin_ranking,
    curve=Curve({"en": "score difference x₁ − x₂", "zh": "得分差 x₁ − x₂"}, (-3.0, 3.0), (
        Series({"en": "y = +1 (x₁ should rank higher)", "zh": "y = +1（x₁ 应排在前面）"}, _margin_ranking_y(1.0)),
        Series({"en": "y = −1 (x₂ should rank higher)", "zh": "y = −1（x₂ 应排在前面）"}, _margin_ranking_y(-1.0),
               dash="dash"),
    ), markers=_ranking_markers),
    panels=("margin_target_format",),
    docs_url=DOCS.format("MarginRankingLoss"))

HINGE_EMBEDDING = LossSpec(
    slug="hinge_embedding", title="HingeEmbeddingLoss", family="margin", functional="hinge_embedding_loss",
    formula=(r"\begin{gathered} \ell_n = \begin{cases} x_n, & y_n = 1 \\ \max(0,\ \mathrm{margin} - x_n), & y_n = -1"
             r" \end{cases} \\ x_n = d(e_{1,n},\, e_{2,n}) \end{gathered}"),
    arg_names=("input", "target"),
    params=(reduction_param(), _margin_param(
        1.0, -1.0, 4.0,
        "How far apart a dissimilar pair (y = −1) must be before it stops costing anything. Put it on the scale "
        "of your distances; at or below 0 the y = −1 branch never fires for non-negative distances.",
        "不相似对（y = −1）至少要隔多远才不再产生损失。应与距离的量级相当；不大于 0 时，对非负距离 y = −1 分支永远不生效。")),
    examples=(
        Example("three_distances", {"en": "Three distances, margin = 1", "zh": "三个距离，margin = 1"},
                {"input": [0.2, 0.4, 1.5], "target": [1, -1, -1]},
                note={"en": "x is a distance. The similar pair costs its distance 0.2; the dissimilar pair at 0.4 "
                            "lacks 0.6 of the margin; the one at 1.5 is already far enough.",
                      "zh": "x 是距离。相似对的损失就是它的距离 0.2；距离 0.4 的不相似对离 margin 还差 0.6；"
                            "距离 1.5 的不相似对已经足够远。"}),
        Example("batch", {"en": "A 2×3 batch of L1 distances", "zh": "2×3 的一批 L1 距离"},
                {"input": [[0.0, 0.7, 2.5], [1.2, 0.1, 0.9]], "target": [[1, -1, -1], [1, 1, -1]]}),
    ),
    reference_fn=ref.hinge_embedding, sample=_sample_hinge_embedding, validate=_validate_hinge_embedding,
    curve=Curve({"en": "input x: the distance between the two embeddings", "zh": "输入 x：两个 embedding 之间的距离"},
                (-1.0, 3.5), (
        Series({"en": "y = −1 (dissimilar): max(0, margin − x)", "zh": "y = −1（不相似）：max(0, margin − x)"},
               _hinge_embedding_y(-1.0)),
        Series({"en": "y = +1 (similar): ℓ = x", "zh": "y = +1（相似）：ℓ = x"}, _hinge_embedding_y(1.0), dash="dash"),
    ), markers=_marker(lambda p: p["margin"], "margin", "margin")),
    panels=("margin_target_format",),
    docs_url=DOCS.format("HingeEmbeddingLoss"))

MULTI_MARGIN = LossSpec(
    slug="multi_margin", title="MultiMarginLoss", family="margin", functional="multi_margin_loss",
    formula=(r"\begin{gathered} \ell(x, y) = \frac{1}{C} \sum_{i \ne y} w_y \, \max\bigl(0,\ \mathrm{margin} - x_y + x_i\bigr)^p"
             r" \\ p \in \{1, 2\} \end{gathered}"),
    arg_names=("input", "target"), arg_dtypes={"target": "long"},
    params=(
        reduction_param(),
        Param("p", "choice", 1, choices=(1, 2), curve=False, help={
            "en": "Exponent of each hinge term: 1 (linear) or 2 (squared); the plot shows both. torch supports only these two.",
            "zh": "每个合页项的指数：1（线性）或 2（平方）；图中两条曲线都画出。torch 只支持这两个值。"}),
        _margin_param(1.0, -1.0, 3.0,
                      "The lead the true class must have over every other class. Only its size relative to the "
                      "scores matters.",
                      "正确类别相对每个其他类别需要的领先量。只有相对于得分的尺度才有意义。"),
        Param("weight", "tensor", None, curve=False, help={
            "en": "Optional: C numbers, one per class, e.g. [1, 1, 2, 1]. Sample n's loss is multiplied by "
                  "weight[y_n], the weight of its TRUE class; 'mean' still divides by N.",
            "zh": "可选：C 个数，每个类别一个，例如 [1, 1, 2, 1]。样本 n 的损失乘以 weight[y_n]，即其正确类别的权重；"
                  "'mean' 仍除以 N。"}),
    ),
    examples=(
        Example("docs", {"en": "torch docs: x = [0.1, 0.2, 0.4, 0.8], y = 3", "zh": "torch 文档：x = [0.1, 0.2, 0.4, 0.8]，y = 3"},
                {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [3]}, expected=0.325,
                note={"en": "The true class 3 leads every other class, but by less than the margin 1, so all three "
                            "wrong classes contribute; the sum 1.3 is divided by C = 4.",
                      "zh": "正确类别 3 领先其他所有类别，但领先量都不到 margin 1，所以三个错误类别都贡献损失；"
                            "总和 1.3 除以 C = 4。"}),
        Example("squared", {"en": "Same scores, y = 0, p = 2", "zh": "同样的得分，y = 0，p = 2"},
                {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [0]}, {"p": 2}),
        Example("batch", {"en": "Three samples, C = 3", "zh": "三个样本，C = 3"},
                {"input": [[2.0, 0.5, -1.0], [0.2, 0.3, 0.1], [-0.5, 1.5, 1.4]], "target": [0, 2, 1]}),
    ),
    reference_fn=ref.multi_margin, sample=_sample_multi_margin, sample_params=_sample_multi_margin_params,
    validate=_validate_multi_margin,
    curve=Curve({"en": "gap x[y] − x[i]: true-class score minus one wrong class's score",
                 "zh": "差距 x[y] − x[i]：正确类别得分减去某个错误类别的得分"}, (-3.0, 3.5), (
        Series({"en": "p = 1: max(0, margin − gap)", "zh": "p = 1：max(0, margin − 差距)"}, _multi_margin_p(1)),
        Series({"en": "p = 2: max(0, margin − gap)²", "zh": "p = 2：max(0, margin − 差距)²"}, _multi_margin_p(2),
               dash="dash"),
    ), markers=_marker(lambda p: p["margin"], "margin", "margin")),
    panels=("margin_multi_bars",),
    docs_url=DOCS.format("MultiMarginLoss"))

MULTILABEL_MARGIN = LossSpec(
    slug="multilabel_margin", title="MultiLabelMarginLoss", family="margin", functional="multilabel_margin_loss",
    formula=(r"\begin{gathered} \ell(x, y) = \frac{1}{C} \sum_{j \in J} \sum_{i \notin J} \max\bigl(0,\ 1 - (x_j - x_i)\bigr)"
             r" \\ J = \{\, y_0, \dots, y_{k-1} \,\},\quad k = \min\{\, m : y_m = -1 \,\} \end{gathered}"),
    arg_names=("input", "target"), arg_dtypes={"target": "long"},
    params=(reduction_param(),),
    examples=(
        Example("docs", {"en": "torch docs: y = [3, 0, -1, 1]", "zh": "torch 文档：y = [3, 0, -1, 1]"},
                {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, 0, -1, 1]]}, expected=0.85,
                note={"en": "The targets are classes 3 and 0; the -1 ends the list, so the 1 after it is ignored "
                            "and classes 1 and 2 are the non-targets. Four (j, i) pairs, sum 3.4, ÷ C = 4.",
                      "zh": "目标是类别 3 和 0；-1 结束列表，其后的 1 被忽略，类别 1、2 为非目标。"
                            "共 4 个 (j, i) 对，总和 3.4，÷ C = 4。"}),
        Example("one_hot", {"en": "Mistake: a one-hot row [0, 0, 0, 1]", "zh": "错误示范：one-hot 行 [0, 0, 0, 1]"},
                {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[0, 0, 0, 1]]},
                note={"en": "Meant: 'class 3 only'. torch reads the row as the class indices 0, 0, 0, 1 (no -1, so "
                            "every entry counts): class 0 three times, class 1 once, and class 3 becomes a non-target. "
                            "The right target is [3, -1, -1, -1].",
                      "zh": "本意是“只有类别 3”。torch 把这一行读成类别下标 0、0、0、1（没有 -1，所以每个元素都算）："
                            "类别 0 计三次、类别 1 计一次，类别 3 反而成了非目标。正确的 target 是 [3, -1, -1, -1]。"}),
        Example("ignored", {"en": "Labels after the first -1 are ignored", "zh": "第一个 -1 之后的标签被忽略"},
                {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, -1, 0, 1]]}),
        Example("batch", {"en": "Two samples, different numbers of labels", "zh": "两个样本，标签个数不同"},
                {"input": [[1.5, -0.5, 0.9], [0.0, 2.0, 1.2]], "target": [[0, 2, -1], [1, -1, -1]]}),
    ),
    reference_fn=ref.multilabel_margin, sample=_sample_multilabel_margin, validate=_validate_multilabel_margin,
    curve=Curve({"en": "gap x[j] − x[i]: a target class's score minus a non-target's",
                 "zh": "差距 x[j] − x[i]：目标类别得分减去非目标类别得分"}, (-3.0, 3.0), (
        Series({"en": "hinge term of one (j, i) pair: max(0, 1 − gap)", "zh": "单个 (j, i) 对的合页项：max(0, 1 − 差距)"},
               _multilabel_term),
    ), markers=_marker(lambda p: 1.0, "margin = 1", "margin = 1")),
    panels=("margin_multilabel_pairs", "margin_target_format"),
    docs_url=DOCS.format("MultiLabelMarginLoss"))

COSINE_EMBEDDING = LossSpec(
    slug="cosine_embedding", title="CosineEmbeddingLoss", family="margin", functional="cosine_embedding_loss",
    formula=(r"\ell_n = \begin{cases} 1 - \cos(x_{1,n}, x_{2,n}), & y_n = 1 \\ \max\bigl(0,\ \cos(x_{1,n}, x_{2,n}) - "
             r"\mathrm{margin}\bigr), & y_n = -1 \end{cases}"),
    arg_names=("input1", "input2", "target"),
    params=(reduction_param(), _margin_param(
        0.0, -1.0, 1.0,
        "A dissimilar pair (y = −1) costs nothing once its cosine is at or below this value. Keep it in [−1, 1]; "
        "0 to 0.5 is typical. It has no effect on y = +1 pairs.",
        "不相似对（y = −1）的余弦不超过该值即不再受罚。应在 [−1, 1] 内，常用 0 到 0.5。对 y = +1 的样本对没有影响。")),
    examples=(
        Example("two_pairs", {"en": "The same two vectors labelled similar and dissimilar",
                              "zh": "同一对向量，分别标为相似与不相似"},
                {"input1": [[1.0, 1.0], [1.0, 1.0]], "input2": [[1.0, 0.0], [1.0, 0.0]], "target": [1, -1]},
                note={"en": "cos = 0.7071 (45°). As a similar pair it lacks 1 − 0.7071; as a dissimilar pair it is "
                            "0.7071 above the margin 0. Try margin = 0.5.",
                      "zh": "cos = 0.7071（45°）。作为相似对，还差 1 − 0.7071；作为不相似对，比 margin 0 高出 0.7071。"
                            "试试 margin = 0.5。"}),
        Example("lenient", {"en": "margin = 0.5 forgives the dissimilar pair partly", "zh": "margin = 0.5 部分放过不相似对"},
                {"input1": [[1.0, 1.0], [1.0, 1.0]], "input2": [[1.0, 0.0], [1.0, 0.0]], "target": [1, -1]},
                {"margin": 0.5}),
        Example("lengths", {"en": "Lengths do not matter", "zh": "长度不影响结果"},
                {"input1": [[1.0, 1.0], [10.0, 10.0]], "input2": [[1.0, 0.0], [0.1, 0.0]], "target": [1, 1]},
                note={"en": "The second pair is the first one with x1 ten times longer and x2 ten times shorter: "
                            "the same 45° angle, the same loss 1 − cos 45° ≈ 0.2929.",
                      "zh": "第二对是把第一对的 x1 放大 10 倍、x2 缩小 10 倍：夹角同为 45°，损失同为 1 − cos 45° ≈ 0.2929。"}),
    ),
    reference_fn=ref.cosine_embedding, sample=_sample_cosine_embedding, validate=_validate_cosine_embedding,
    curve=Curve({"en": "cosine similarity cos(x₁, x₂)", "zh": "余弦相似度 cos(x₁, x₂)"}, (-1.0, 1.0), (
        Series({"en": "y = −1 (dissimilar): max(0, cos − margin)", "zh": "y = −1（不相似）：max(0, cos − margin)"},
               _cosine_y(-1.0)),
        Series({"en": "y = +1 (similar): 1 − cos", "zh": "y = +1（相似）：1 − cos"}, _cosine_y(1.0), dash="dash"),
    ), markers=_marker(lambda p: p["margin"], "margin", "margin")),
    panels=("margin_cosine_view", "margin_target_format"),
    docs_url=DOCS.format("CosineEmbeddingLoss"))

_TRIPLET_MARGIN_HELP = {
    "en": "Required gap between the negative's and the positive's distance. torch requires margin > 0.",
    "zh": "negative 距离与 positive 距离之间要求的差距。torch 要求 margin > 0。"}
_SWAP = Param("swap", "bool", False, curve=False, help={
    "en": "Distance swap (Balntas et al. 2016): use min(d(a, n), d(p, n)) as the negative distance, the harder "
          "of the two.",
    "zh": "距离交换（Balntas 等，2016）：用 min(d(a, n), d(p, n)) 作为 negative 距离，取两者中更难的那个。"})
TRIPLET_X = {"en": "d(a, p) − d(a, n): positive distance minus negative distance",
             "zh": "d(a, p) − d(a, n)：positive 距离减去 negative 距离"}

TRIPLET = LossSpec(
    slug="triplet_margin", title="TripletMarginLoss", family="margin", functional="triplet_margin_loss",
    formula=(r"\begin{gathered} \ell_i = \max\bigl(d(a_i, p_i) - d(a_i, n_i) + \mathrm{margin},\ 0\bigr) \\"
             r" d(x, y) = \lVert x - y + \epsilon \rVert_p \end{gathered}"),
    arg_names=("anchor", "positive", "negative"),
    params=(
        reduction_param(),
        Param("margin", "float", 1.0, lo=0.05, hi=3.0, step=0.05, help=_TRIPLET_MARGIN_HELP),
        Param("p", "float", 2.0, lo=1.0, hi=4.0, step=0.5, curve=False, help={
            "en": "Norm degree of the pairwise distance: 2 is Euclidean, 1 is Manhattan (L1).",
            "zh": "成对距离（pairwise_distance）的范数阶：2 为欧氏距离，1 为曼哈顿（L1）距离。"}),
        Param("eps", "float", 1e-6, lo=0.0, hi=0.1, step=1e-6, fmt="%.1e", curve=False, help={
            "en": "Added to every coordinate of the difference x − y before the norm (not to the distance).",
            "zh": "求范数之前加到差向量 x − y 的每个分量上（不是加到距离上）。"}),
        _SWAP,
    ),
    examples=(
        Example("norms", {"en": "Two triplets, Euclidean distance", "zh": "两个三元组，欧氏距离"},
                {"anchor": [[0.0, 0.0], [0.0, 0.0]], "positive": [[0.0, 1.0], [1.0, 1.0]],
                 "negative": [[1.5, 0.0], [1.5, 0.0]]},
                note={"en": "Triplet 0: 1 − 1.5 + 1 = 0.5. Triplet 1: √2 − 1.5 + 1 ≈ 0.914; with p = 1 it becomes "
                            "2 − 1.5 + 1 = 1.5.",
                      "zh": "三元组 0：1 − 1.5 + 1 = 0.5。三元组 1：√2 − 1.5 + 1 ≈ 0.914；p = 1 时变成 2 − 1.5 + 1 = 1.5。"}),
        Example("manhattan", {"en": "Same triplets, p = 1", "zh": "同样的三元组，p = 1"},
                {"anchor": [[0.0, 0.0], [0.0, 0.0]], "positive": [[0.0, 1.0], [1.0, 1.0]],
                 "negative": [[1.5, 0.0], [1.5, 0.0]]}, {"p": 1.0}),
        Example("swap", {"en": "swap = True sees the negative next to the positive",
                         "zh": "swap = True：注意到 negative 紧挨着 positive"},
                {"anchor": [[0.0, 0.0]], "positive": [[1.0, 0.0]], "negative": [[2.0, 0.0]]}, {"swap": True},
                note={"en": "d(a, n) = 2 satisfies the margin (loss 0 without swap), but d(p, n) = 1 does not: with "
                            "swap the loss is 1 − 1 + 1 = 1.",
                      "zh": "d(a, n) = 2 满足 margin（不开 swap 时损失为 0），但 d(p, n) = 1 不满足：开启 swap 后损失为 "
                            "1 − 1 + 1 = 1。"}),
    ),
    reference_fn=ref.triplet_margin, sample=_sample_triplet, validate=_validate_triplet,
    curve=Curve(TRIPLET_X, (-3.5, 2.5), (
        Series({"en": "max(d(a,p) − d(a,n) + margin, 0)", "zh": "max(d(a,p) − d(a,n) + margin, 0)"}, _triplet_fn),
    ), markers=_marker(lambda p: -p["margin"], "−margin", "−margin")),
    panels=("margin_triplet_view",),
    docs_url=DOCS.format("TripletMarginLoss"))

TRIPLET_WD = LossSpec(
    slug="triplet_margin_with_distance", title="TripletMarginWithDistanceLoss", family="margin",
    functional="triplet_margin_with_distance_loss",
    formula=(r"\begin{gathered} \ell_i = \max\bigl(d(a_i, p_i) - d(a_i, n_i) + \mathrm{margin},\ 0\bigr) \\"
             r" d = \texttt{distance\_function} \end{gathered}"),
    arg_names=("anchor", "positive", "negative"),
    params=(
        reduction_param(),
        Param("distance_function", "choice", "pairwise_l2", choices=DISTANCES, curve=False, help={
            "en": "Any callable (x, y) -> one distance per row. Here: 'pairwise_l2' = torch.pairwise_distance "
                  "(torch's default, Euclidean), 'cosine' = 1 − cosine_similarity, 'l1' = pairwise_distance(p=1).",
            "zh": "任何可调用对象 (x, y) -> 每行一个距离。这里可选：'pairwise_l2' = torch.pairwise_distance"
                  "（torch 默认，欧氏距离），'cosine' = 1 − cosine_similarity，'l1' = pairwise_distance(p=1)。"}),
        Param("margin", "float", 1.0, lo=0.05, hi=3.0, step=0.05, help={
            "en": _TRIPLET_MARGIN_HELP["en"] + " Scale it to the distance: a cosine distance lies in [0, 2].",
            "zh": _TRIPLET_MARGIN_HELP["zh"] + " 要与距离的尺度匹配：余弦距离的取值在 [0, 2] 内。"}),
        _SWAP,
    ),
    examples=(
        Example("cosine", {"en": "Cosine distance ignores lengths", "zh": "余弦距离不看长度"},
                {"anchor": [[1.0, 0.0], [1.0, 0.0]], "positive": [[4.0, 1.0], [0.2, 0.2]],
                 "negative": [[0.5, 0.2], [0.3, -0.3]]}, {"distance_function": "cosine", "margin": 0.3},
                note={"en": "Switch distance_function to 'pairwise_l2': the long positive [4, 1] now looks far from "
                            "the anchor although it points almost the same way.",
                      "zh": "把 distance_function 换成 'pairwise_l2'：很长的 positive [4, 1] 离 anchor 显得很远，"
                            "尽管它们方向几乎一致。"}),
        Example("default", {"en": "Default distance (= TripletMarginLoss)", "zh": "默认距离（= TripletMarginLoss）"},
                {"anchor": [[0.0, 0.0], [0.0, 0.0]], "positive": [[0.0, 1.0], [1.0, 1.0]],
                 "negative": [[1.5, 0.0], [1.5, 0.0]]}),
    ),
    reference_fn=ref.triplet_margin_with_distance, sample=_sample_triplet, validate=_validate_triplet,
    compute=_triplet_wd_compute, snippet=_triplet_wd_snippet,
    curve=Curve(TRIPLET_X, (-3.5, 2.5), (
        Series({"en": "max(d(a,p) − d(a,n) + margin, 0)", "zh": "max(d(a,p) − d(a,n) + margin, 0)"}, _triplet_wd_fn),
    ), markers=_marker(lambda p: -p["margin"], "−margin", "−margin")),
    panels=("margin_triplet_view",),
    docs_url=DOCS.format("TripletMarginWithDistanceLoss"))

SPECS = (MARGIN_RANKING, HINGE_EMBEDDING, MULTI_MARGIN, MULTILABEL_MARGIN, COSINE_EMBEDDING, TRIPLET, TRIPLET_WD)
