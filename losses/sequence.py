"""The sequence family: CTCLoss. No 1-D curve; the page's panel (ui/panels/ctc_trellis.py) draws the trellis."""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .reference import sequence as ref
from .spec import Example, LossSpec, Param, reduction_param
from .validation import shape_str

DOCS = "https://pytorch.org/docs/stable/generated/torch.nn.{}.html"
ARGS = ("log_probs", "targets", "input_lengths", "target_lengths")
BLANK_MAX = 7          # the blank slider's range: the explorer's alphabet has at most 8 classes and grows to fit
MAX_WORK = 1_000_000   # frames × extended-label rows × sequences: keeps every evaluation well under a second
MAX_FRAMES = 20_000    # T × N: the NumPy recursion takes one step per frame and sequence
MAX_NUMEL = 1_000_000  # numbers in log_probs


# ---- validation: everything torch would reject, or would silently get wrong, is an InputError ----------
def _err(en: str, zh: str) -> InputError:
    return InputError(en, zh)


def _validate(t: dict, p: dict) -> None:
    lp, targets = t["log_probs"], t["targets"]
    il, tl = t["input_lengths"], t["target_lengths"]
    if lp.dim() not in (2, 3):
        raise _err(f"`log_probs` must be (T, N, C) — time first — or (T, C) for one sequence; got shape {shape_str(lp)}.",
                   f"`log_probs` 必须是 (T, N, C)（时间维在前），或单条序列的 (T, C)；当前形状为 {shape_str(lp)}。")
    batched = lp.dim() == 3
    T, C = lp.shape[0], lp.shape[-1]
    N = lp.shape[1] if batched else 1
    if T * N > MAX_FRAMES or lp.numel() > MAX_NUMEL:
        raise _err(f"`log_probs` is too large for a live page: T × N = {T * N:,} frames (limit {MAX_FRAMES:,}), "
                   f"{lp.numel():,} numbers (limit {MAX_NUMEL:,}).",
                   f"`log_probs` 太大，无法实时计算：T × N = {T * N:,} 帧（上限 {MAX_FRAMES:,}），"
                   f"共 {lp.numel():,} 个数（上限 {MAX_NUMEL:,}）。")
    blank = int(p["blank"])
    if not 0 <= blank < C:
        raise _err(f"`blank` = {blank} is not a class: `log_probs` has C = {C} classes (0 … {C - 1}), and C counts the blank.",
                   f"`blank` = {blank} 不是合法类别：`log_probs` 只有 C = {C} 个类别（0 … {C - 1}），C 已包含 blank。")
    for name, tensor in (("input_lengths", il), ("target_lengths", tl)):
        if tensor.dim() > 1 or tensor.numel() != N:
            raise _err(f"`{name}` needs one length per sequence: N = {N} values, got shape {shape_str(tensor)}."
                       + (" Is `log_probs` batch-first? CTCLoss wants (T, N, C)." if batched else ""),
                       f"`{name}` 需要每条序列一个长度，共 N = {N} 个值；当前形状为 {shape_str(tensor)}。"
                       + ("`log_probs` 是否把 batch 放在了第一维？CTCLoss 要求 (T, N, C)。" if batched else ""))
    il_v = [int(v) for v in il.reshape(-1).tolist()]
    tl_v = [int(v) for v in tl.reshape(-1).tolist()]
    for n, v in enumerate(il_v):
        if not 0 <= v <= T:
            raise _err(f"`input_lengths[{n}]` = {v}, but it must lie in [0, T] with T = {T} frames.",
                       f"`input_lengths[{n}]` = {v}，但它必须在 [0, T] 之内，T = {T} 帧。")
    for n, v in enumerate(tl_v):
        if v < 0:
            raise _err(f"`target_lengths[{n}]` = {v} is negative.", f"`target_lengths[{n}]` = {v} 是负数。")
    if batched and targets.dim() == 2:
        if targets.shape[0] != N:
            raise _err(f"Padded `targets` must be (N, S) with N = {N} rows; got shape {shape_str(targets)}.",
                       f"填充形式的 `targets` 必须是 (N, S)，N = {N} 行；当前形状为 {shape_str(targets)}。")
    elif batched and targets.dim() == 1:
        if targets.shape[0] != sum(tl_v):
            raise _err(f"Concatenated 1-D `targets` must hold sum(target_lengths) = {sum(tl_v)} labels; got {targets.shape[0]}. "
                       "(For padded targets use shape (N, S).)",
                       f"一维拼接形式的 `targets` 必须恰好有 sum(target_lengths) = {sum(tl_v)} 个标签；当前为 {targets.shape[0]} 个。"
                       "（填充形式请用 (N, S)。）")
    elif not batched and (targets.dim() != 1 or targets.shape[0] != tl_v[0]):
        raise _err(f"With (T, C) `log_probs` (one sequence), `targets` must be 1-D with exactly target_lengths = "
                   f"{tl_v[0]} labels; got shape {shape_str(targets)}. (For an empty target use the batched form "
                   "(T, 1, C) with padded targets and target_lengths [0].)",
                   f"`log_probs` 为 (T, C)（单条序列）时，`targets` 必须是一维，且恰好有 target_lengths = {tl_v[0]} 个标签；"
                   f"当前形状为 {shape_str(targets)}。（空目标请用 batch 形式 (T, 1, C)，填充的 targets 配合 target_lengths [0]。）")
    elif batched:
        raise _err(f"`targets` must be (N, S) padded or 1-D concatenated; got shape {shape_str(targets)}.",
                   f"`targets` 必须是填充形式 (N, S) 或一维拼接形式；当前形状为 {shape_str(targets)}。")
    if targets.dim() == 2:
        width = targets.shape[-1]
        for n, v in enumerate(tl_v):
            if v > width:
                raise _err(f"`target_lengths[{n}]` = {v} is longer than the targets ({width} per row).",
                           f"`target_lengths[{n}]` = {v} 超过了 targets 每行的长度 {width}。")
    labels = ref.split_targets(targets.cpu().numpy(), np.asarray(tl_v))
    for n, lab in enumerate(labels):
        if lab.size and (lab.min() < 0 or lab.max() >= C):
            bad = int(lab[(lab < 0) | (lab >= C)][0])
            raise _err(f"Target label {bad} (sequence {n}) is not a class index in [0, {C - 1}]. "
                       "torch does not check this on the CPU and returns a meaningless number.",
                       f"目标标签 {bad}（第 {n} 条序列）不是 [0, {C - 1}] 内的类别下标。torch 在 CPU 上不检查这一点，会返回无意义的数值。")
        if lab.size and np.any(lab == blank):
            raise _err(f"The target of sequence {n} contains the blank index {blank}. The blank means \"no label\" and "
                       "cannot be a target label: shift your labels or choose another `blank` (torch would return a wrong, "
                       "possibly negative, number without an error).",
                       f"第 {n} 条序列的目标含有 blank 下标 {blank}。blank 表示“没有标签”，不能作为目标标签："
                       "请平移标签或换一个 `blank`（torch 不会报错，而是给出错误的、甚至为负的数值）。")
    work = T * (2 * max(tl_v, default=0) + 1) * N
    if work > MAX_WORK:
        raise _err(f"This input is too large for a live page (T × (2·S+1) × N = {work:,} trellis cells, limit {MAX_WORK:,}).",
                   f"输入太大，无法实时计算（T × (2·S+1) × N = {work:,} 个网格单元，上限 {MAX_WORK:,}）。")


# ---- random valid inputs for the contract tests -----------------------------------------------------
def _random_label(rng, labels: np.ndarray, frames: int) -> np.ndarray:
    """A label (repeats likely) that fits in `frames` frames: S + R <= frames."""
    lab = rng.choice(labels, size=int(rng.integers(0, min(frames, 5) + 1)))
    while lab.size and ref.min_frames(lab) > frames:
        lab = lab[:-1]
    return lab


def _sample(rng: np.random.Generator) -> dict:
    # Labels avoid 0 … BLANK_MAX so the inputs stay valid for every `blank` the tests try.
    C = int(rng.integers(BLANK_MAX + 2, BLANK_MAX + 6))
    labels = np.arange(BLANK_MAX + 1, C)
    T = int(rng.integers(1, 11))
    form = rng.integers(0, 3)            # 0: padded, 1: concatenated, 2: unbatched
    N = 1 if form == 2 else int(rng.integers(1, 5))
    z = rng.normal(0.0, 1.5, (T, N, C))
    lp = z - np.log(np.exp(z).sum(axis=2, keepdims=True))
    in_len = rng.integers(0, T + 1, size=N)
    labs = [_random_label(rng, labels, int(n)) for n in in_len]
    tl = np.array([lab.size for lab in labs], dtype=np.int64)
    if (form == 1 and tl.sum() == 0) or (form == 2 and tl[0] == 0):
        form = 0   # an empty target needs the padded form (torch's tensors cannot be empty here)
    if form == 1:
        targets = np.concatenate(labs)
    else:
        width = max(int(tl.max()), 1)
        targets = np.array([np.concatenate([lab, rng.integers(0, C, width - lab.size)]) for lab in labs])
    if form == 2:
        return {"log_probs": lp[:, 0, :], "targets": targets[0], "input_lengths": np.int64(in_len[0]),
                "target_lengths": np.int64(tl[0])}
    return {"log_probs": lp, "targets": targets, "input_lengths": in_len, "target_lengths": tl}


# ---- the reduction inspector: 'mean' is not one sum ÷ one divisor here ----------------------------------
def _mean_how(t: dict, p: dict, none: np.ndarray) -> dict:
    losses = np.atleast_1d(np.asarray(none, dtype=np.float64))
    lengths = np.atleast_1d(t["target_lengths"].detach().cpu().numpy()).astype(np.float64)
    div = np.maximum(lengths, 1.0)
    parts = " + ".join(f"{v:.4g}/{d:g}" for v, d in zip(losses, div))
    value = float(np.mean(losses / div))
    return {"en": f"each ÷ its target length (≥ 1), then averaged: ({parts}) / {losses.size} = {value:.6g}",
            "zh": f"先各自除以目标长度（至少 1），再求平均：({parts}) / {losses.size} = {value:.6g}"}


# ---- worked examples ------------------------------------------------------------------------------
def _log_softmax_rounded(seed: int, T: int, N: int, C: int, scale: float = 1.5) -> list:
    z = np.random.default_rng(seed).normal(0.0, scale, (T, N, C))
    lp = z - np.log(np.exp(z).sum(axis=2, keepdims=True))
    return np.round(lp, 4).tolist()


UNIFORM3 = [[[-1.098612] * 3] for _ in range(3)]

EXAMPLES = (
    Example("uniform_ab", {"en": "Target \"ab\", 3 frames, a uniform model", "zh": "目标 “ab”，3 帧，模型均匀输出"},
            {"log_probs": UNIFORM3, "targets": [[1, 2]], "input_lengths": [3], "target_lengths": [2]},
            expected=0.843200,
            note={"en": "Classes: 0 = blank, 1 = a, 2 = b. Five paths collapse to \"ab\" (-ab, a-b, ab-, aab, abb), "
                        "each with probability (1/3)³: ℓ = −log(5/27) ≈ 1.686, and 'mean' divides by the target "
                        "length 2 → 0.843. Switch reduction to 'sum' to see 1.686.",
                  "zh": "类别：0 = blank，1 = a，2 = b。共有 5 条路径折叠成 “ab”（-ab、a-b、ab-、aab、abb），每条概率 (1/3)³："
                        "ℓ = −log(5/27) ≈ 1.686；'mean' 再除以目标长度 2 → 0.843。把 reduction 改成 'sum' 可看到 1.686。"}),
    Example("repeat_tight", {"en": "Target \"aab\" with exactly S + R = 4 frames", "zh": "目标 “aab”，恰好 S + R = 4 帧"},
            {"log_probs": _log_softmax_rounded(5, 4, 1, 3), "targets": [[1, 1, 2]], "input_lengths": [4],
             "target_lengths": [3]},
            note={"en": "The repeated a needs a blank between its two copies, so only one alignment fits in 4 frames: "
                        "a - a b. The trellis in the steps has a single finite path to the end.",
                  "zh": "重复的 a 之间必须隔一个 blank，所以 4 帧里只放得下一种对齐：a - a b。步骤中的网格只有一条能到终点的有限路径。"}),
    Example("too_short", {"en": "Too few frames: target \"aa\" in 2 frames (inf)", "zh": "帧数不够：2 帧里放 “aa”（inf）"},
            {"log_probs": _log_softmax_rounded(2, 2, 1, 3), "targets": [[1, 1]], "input_lengths": [2],
             "target_lengths": [2]},
            note={"en": "\"aa\" needs S + R = 3 frames (a, blank, a). No path exists, p = 0, the loss is inf and the "
                        "gradient is NaN. Turn on zero_infinity above: the loss and its gradient become 0.",
                  "zh": "“aa” 需要 S + R = 3 帧（a、blank、a）。没有任何路径，p = 0，损失为 inf，梯度为 NaN。"
                        "打开上方的 zero_infinity：损失与梯度都变为 0。"}),
    Example("batch_mean", {"en": "A batch of 2, padded targets: what 'mean' divides by",
                           "zh": "2 条序列、填充形式的目标：'mean' 除以什么"},
            {"log_probs": _log_softmax_rounded(11, 5, 2, 4), "targets": [[1, 2, 2], [3, 0, 0]],
             "input_lengths": [5, 4], "target_lengths": [3, 1]},
            note={"en": "Row 2 is padded with 0 (= the blank); that is harmless because entries past target_lengths "
                        "are ignored. 'mean' divides each loss by its own target length (3 and 1), then averages. "
                        "The second sequence uses only its first 4 frames.",
                  "zh": "第 2 行用 0（即 blank）填充；这无妨，因为 target_lengths 之后的元素会被忽略。"
                        "'mean' 把每个损失除以各自的目标长度（3 和 1），再求平均。第二条序列只用前 4 帧。"}),
    Example("empty_target", {"en": "Concatenated targets, one of them empty", "zh": "拼接形式的目标，其中一条为空"},
            {"log_probs": _log_softmax_rounded(3, 3, 2, 4), "targets": [2, 3], "input_lengths": [3, 3],
             "target_lengths": [2, 0]},
            note={"en": "1-D targets are the unpadded labels back to back, cut by target_lengths. The empty target "
                        "has exactly one alignment, all blanks: its loss is −Σ_t log y_t(blank); 'mean' divides it by 1.",
                  "zh": "一维 targets 是各条未填充标签首尾相接，按 target_lengths 切分。空目标恰好只有一种对齐——全是 blank："
                        "其损失为 −Σ_t log y_t(blank)；'mean' 按 1 来除。"}),
    Example("blank_last", {"en": "blank = C − 1 (labels 0 and 1 are real)", "zh": "blank = C − 1（0 和 1 是真实标签）"},
            {"log_probs": _log_softmax_rounded(8, 4, 1, 3), "targets": [[0, 1]], "input_lengths": [4],
             "target_lengths": [2]},
            params={"blank": 2},
            note={"en": "With blank = 2, label 0 is a real class. Set blank back to 0 and the target [0, 1] contains the "
                        "blank: LossLab refuses it (torch would silently return a wrong number).",
                  "zh": "blank = 2 时，0 是真实类别。把 blank 改回 0，目标 [0, 1] 就含有 blank：LossLab 会拒绝"
                        "（torch 不报错，而是悄悄返回错误的数值）。"}),
)

CTC = LossSpec(
    slug="ctc", title="CTCLoss", family="sequence", functional="ctc_loss",
    formula=(r"\begin{gathered} \ell_n = -\log \sum_{\pi \in \mathcal{B}^{-1}(\mathbf{l}_n)} \prod_{t=1}^{T_n} "
             r"y^{t}_{n,\pi_t} \\ \text{mean} = \frac{1}{N} \sum_{n=1}^{N} \frac{\ell_n}{\max(S_n, 1)} \end{gathered}"),
    arg_names=ARGS,
    arg_dtypes={"targets": "long", "input_lengths": "long", "target_lengths": "long"},
    params=(
        Param("blank", "int", 0, lo=0, hi=BLANK_MAX, step=1, curve=False, help={
            "en": "Index of the blank class in the last dimension of log_probs (0 ≤ blank < C). No target label "
                  "may use it. The explorer below enlarges its alphabet to C = blank + 1 when needed; a worked "
                  "example whose log_probs have C ≤ blank classes shows an error instead.",
            "zh": "blank 类别在 log_probs 最后一维中的下标（0 ≤ blank < C）。任何目标标签都不能用它。"
                  "需要时，下方的探索器会把字母表扩大到 C = blank + 1；而 log_probs 只有 C ≤ blank 个类别的算例会显示错误。"}),
        reduction_param(),
        Param("zero_infinity", "bool", False, curve=False, help={
            "en": "Replace infinite losses (targets that cannot fit in the frames) and their gradients by 0.",
            "zh": "把无穷大的损失（帧数放不下的目标）及其梯度置为 0。"}),
    ),
    examples=EXAMPLES,
    reference_fn=ref.ctc, sample=_sample, validate=_validate,
    no_curve_reason={
        "en": "CTC scores a whole sequence against a label sequence through every alignment, so no single input "
              "can be swept on a 1-D axis. The trellis explorer below shows the computation instead.",
        "zh": "CTC 通过所有对齐方式为整条序列和标签序列打分，没有单个可以沿一维坐标扫动的输入。"
              "下面的网格探索器展示整个计算过程。"},
    nonfinite={
        "en": "CTCLoss is inf when a target cannot fit in its frames (T < S + R) and zero_infinity=False.",
        "zh": "当目标放不进帧数（T < S + R）且 zero_infinity=False 时，CTCLoss 为 inf。"},
    mean_how=_mean_how,
    panels=("ctc_trellis",),
    docs_url=DOCS.format("CTCLoss"),
)

SPECS = (CTC,)
