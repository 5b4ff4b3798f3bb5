"""NumPy derivation for CTCLoss: the forward (alpha) recursion in log space over the trellis of the
extended label, exactly the sum torch computes. Pure NumPy; the CTC page's panels reuse these pieces.

Notation (Graves et al. 2006): l is a target of length S, l' its extended label (a blank before, between
and after the labels, length L = 2S + 1), y[t, k] the probability of class k at frame t. A path may stay
on a row of the trellis, move down one row, or skip one blank row, but never the blank between two equal
labels. log_alpha[t, s] sums, in log space, every path prefix of length t + 1 that ends on row s.
"""
from __future__ import annotations

import numpy as np

from ..spec import Step
from .common import fmt

NEG_INF = -np.inf
LATEX_MAX_T = 12          # print the whole trellis as a LaTeX array up to this many frames …
LATEX_MAX_L = 13          # … and this many rows of the extended label
DETAILED_SEQUENCES = 3    # sequences of a batch whose trellis is printed step by step


# ---- the trellis -------------------------------------------------------------------------------
def split_targets(targets: np.ndarray, target_lengths: np.ndarray) -> list[np.ndarray]:
    """One label array per sequence, from the padded (N, S) or the concatenated 1-D form."""
    targets = np.asarray(targets, dtype=np.int64)
    lengths = [int(v) for v in np.ravel(target_lengths)]
    if targets.ndim == 2:
        return [targets[n, :lengths[n]] for n in range(len(lengths))]
    ends = np.cumsum(lengths)
    return [targets[e - k:e] for e, k in zip(ends, lengths)]


def extended_label(label, blank: int) -> np.ndarray:
    """l' = (b, l1, b, l2, …, lS, b): length 2S + 1."""
    label = np.asarray(label, dtype=np.int64)
    ext = np.full(2 * label.size + 1, blank, dtype=np.int64)
    ext[1::2] = label
    return ext


def skip_allowed(ext: np.ndarray, blank: int) -> np.ndarray:
    """skip[s]: may a path jump from row s-2 straight to row s? Only onto a label that differs from l'_{s-2}."""
    skip = np.zeros(ext.size, dtype=bool)
    if ext.size > 2:
        skip[2:] = (ext[2:] != blank) & (ext[2:] != ext[:-2])
    return skip


def repeats(label) -> int:
    """R: adjacent equal pairs in the target, each needing a blank frame between them."""
    label = np.asarray(label)
    return int(np.sum(label[1:] == label[:-1])) if label.size > 1 else 0


def min_frames(label) -> int:
    """The fewest frames that can emit the label: S + R."""
    return int(np.asarray(label).size) + repeats(label)


def log_alpha(lp: np.ndarray, ext: np.ndarray, blank: int) -> np.ndarray:
    """(T, L) forward variables in log space; lp is (T, C) log-probabilities of one sequence."""
    lp = np.asarray(lp, dtype=np.float64)
    T, L = lp.shape[0], ext.size
    out = np.full((T, L), NEG_INF)
    if T == 0:
        return out
    emit = lp[:, ext]                      # (T, L): log y^t_{l'_s}
    skip = skip_allowed(ext, blank)
    out[0, 0] = emit[0, 0]
    if L > 1:
        out[0, 1] = emit[0, 1]
    for t in range(1, T):
        prev = out[t - 1]
        acc = prev.copy()                                   # stay on row s
        acc[1:] = np.logaddexp(acc[1:], prev[:-1])          # move down from s-1
        acc[2:] = np.where(skip[2:], np.logaddexp(acc[2:], prev[:-2]), acc[2:])  # skip a blank from s-2
        out[t] = acc + emit[t]
    return out


def log_beta(lp: np.ndarray, ext: np.ndarray, blank: int) -> np.ndarray:
    """(T, L) backward variables in log space, WITHOUT the emission at t: log P(frames t+1..T finish the
    label | row s at frame t). Then alpha * beta / p is the share of p through cell (t, s)."""
    lp = np.asarray(lp, dtype=np.float64)
    T, L = lp.shape[0], ext.size
    out = np.full((T, L), NEG_INF)
    if T == 0:
        return out
    emit = lp[:, ext]
    skip = skip_allowed(ext, blank)
    out[T - 1, L - 1] = 0.0
    if L > 1:
        out[T - 1, L - 2] = 0.0
    for t in range(T - 2, -1, -1):
        nxt = out[t + 1] + emit[t + 1]
        acc = nxt.copy()
        acc[:-1] = np.logaddexp(acc[:-1], nxt[1:])
        acc[:-2] = np.where(skip[2:], np.logaddexp(acc[:-2], nxt[2:]), acc[:-2])
        out[t] = acc
    return out


def log_likelihood(la: np.ndarray, label_size: int) -> float:
    """log p(l|x) = logsumexp(alpha_T(L), alpha_T(L-1)); with no frames only the empty label has p = 1."""
    if la.shape[0] == 0:
        return 0.0 if label_size == 0 else NEG_INF
    last = la[-1]
    return float(last[-1]) if last.size == 1 else float(np.logaddexp(last[-1], last[-2]))


def sequence_nll(lp: np.ndarray, label, blank: int) -> tuple[float, np.ndarray, np.ndarray]:
    """(−log p, log_alpha, extended label) for one sequence."""
    ext = extended_label(label, blank)
    la = log_alpha(lp, ext, blank)
    return -log_likelihood(la, np.asarray(label).size), la, ext


def posterior_by_class(lp: np.ndarray, label, blank: int) -> np.ndarray:
    """gamma[t, k]: probability, over valid paths weighted by p, that frame t emits class k.
    With log_probs = log_softmax(z), d(−log p)/dz[t, k] = y[t, k] − gamma[t, k]."""
    lp = np.asarray(lp, dtype=np.float64)
    ext = extended_label(label, blank)
    la, lb = log_alpha(lp, ext, blank), log_beta(lp, ext, blank)
    ll = log_likelihood(la, ext.size // 2)
    gamma = np.zeros_like(lp)
    if not np.isfinite(ll):
        return gamma
    occ = np.exp(la + lb - ll)             # (T, L)
    for s, k in enumerate(ext):
        gamma[:, k] += occ[:, s]
    return gamma


def viterbi_path(lp: np.ndarray, ext: np.ndarray, blank: int) -> list[int] | None:
    """Rows s_1..s_T of the single most probable valid path (max instead of sum), or None if there is none."""
    lp = np.asarray(lp, dtype=np.float64)
    T, L = lp.shape[0], ext.size
    if T == 0:
        return None
    emit = lp[:, ext]
    skip = skip_allowed(ext, blank)
    score = np.full((T, L), NEG_INF)
    back = np.zeros((T, L), dtype=np.int64)
    score[0, 0] = emit[0, 0]
    if L > 1:
        score[0, 1] = emit[0, 1]
    for t in range(1, T):
        for s in range(L):
            cands = [(score[t - 1, s], s)]
            if s >= 1:
                cands.append((score[t - 1, s - 1], s - 1))
            if s >= 2 and skip[s]:
                cands.append((score[t - 1, s - 2], s - 2))
            best, arg = max(cands)
            score[t, s] = best + emit[t, s]
            back[t, s] = arg
    ends = [L - 1] + ([L - 2] if L > 1 else [])
    end = max(ends, key=lambda s: score[T - 1, s])
    if not np.isfinite(score[T - 1, end]):
        return None
    rows = [end]
    for t in range(T - 1, 0, -1):
        rows.append(int(back[t, rows[-1]]))
    return rows[::-1]


# ---- counting and listing alignments (structure only: every probability treated as 1) ----------------
def alignment_counts(T: int, ext: np.ndarray, blank: int) -> tuple[list[list[int]], list[list[int]]]:
    """Exact integer counts: fwd[t][s] = valid prefixes ending on (t, s); bwd[t][s] = ways to finish from
    (t, s). fwd[t][s] * bwd[t][s] = alignments through the cell; the total is fwd[T-1][L-1] + fwd[T-1][L-2]."""
    L = ext.size
    skip = skip_allowed(ext, blank)
    fwd = [[0] * L for _ in range(T)]
    bwd = [[0] * L for _ in range(T)]
    if T == 0:
        return fwd, bwd
    fwd[0][0] = 1
    if L > 1:
        fwd[0][1] = 1
    for t in range(1, T):
        for s in range(L):
            v = fwd[t - 1][s] + (fwd[t - 1][s - 1] if s >= 1 else 0)
            if s >= 2 and skip[s]:
                v += fwd[t - 1][s - 2]
            fwd[t][s] = v
    bwd[T - 1][L - 1] = 1
    if L > 1:
        bwd[T - 1][L - 2] = 1
    for t in range(T - 2, -1, -1):
        for s in range(L):
            v = bwd[t + 1][s] + (bwd[t + 1][s + 1] if s + 1 < L else 0)
            if s + 2 < L and skip[s + 2]:
                v += bwd[t + 1][s + 2]
            bwd[t][s] = v
    return fwd, bwd


def count_alignments(T: int, ext: np.ndarray, blank: int) -> int:
    if T == 0:
        return 1 if ext.size == 1 else 0
    fwd, _ = alignment_counts(T, ext, blank)
    L = ext.size
    return fwd[T - 1][L - 1] + (fwd[T - 1][L - 2] if L > 1 else 0)


def enumerate_alignments(T: int, ext: np.ndarray, blank: int, limit: int) -> list[list[int]] | None:
    """Every valid path as its list of trellis rows, or None when there are more than `limit`.
    Walks only cells from which the end is reachable, so the work is proportional to the output."""
    if T == 0 or count_alignments(T, ext, blank) > limit:
        return None
    _, bwd = alignment_counts(T, ext, blank)
    skip = skip_allowed(ext, blank)
    L = ext.size
    out: list[list[int]] = []
    stack = [[s] for s in ((1, 0) if L > 1 else (0,)) if bwd[0][s] > 0]
    while stack:
        rows = stack.pop()
        t, s = len(rows) - 1, rows[-1]
        if t == T - 1:
            out.append(rows)
            continue
        for nxt in (s + 2, s + 1, s):
            if nxt < L and bwd[t + 1][nxt] > 0 and (nxt - s < 2 or skip[nxt]):
                stack.append(rows + [nxt])
    out.sort()
    return out


def collapse(path, blank: int) -> list[int]:
    """The CTC map B: merge runs of equal symbols, then drop blanks."""
    merged = [k for i, k in enumerate(path) if i == 0 or k != path[i - 1]]
    return [k for k in merged if k != blank]


# ---- the derivation the page prints -------------------------------------------------------------
def _sym(k: int, blank: int) -> str:
    return r"\varnothing" if k == blank else str(int(k))


def _cell(v: float) -> str:
    return r"-\infty" if not np.isfinite(v) else f"{v:.3f}"


def trellis_latex(la: np.ndarray, ext: np.ndarray, blank: int) -> str:
    """The log-alpha lattice as a KaTeX array: one row per extended-label position, one column per frame."""
    T, L = la.shape
    head = " & ".join(f"t{{=}}{t + 1}" for t in range(T))
    rows = [rf"s & l'_s & {head} \\ \hline"]
    for s in range(L):
        cells = " & ".join(_cell(la[t, s]) for t in range(T))
        rows.append(rf"{s + 1} & {_sym(ext[s], blank)} & {cells} \\")
    return r"\begin{array}{cc|" + "r" * T + "}" + "\n".join(rows) + r"\end{array}"


def _sequence_steps(n: int, batched: bool, lp_n: np.ndarray, label: np.ndarray, blank: int, T_max: int,
                    steps: list, detailed: bool) -> float:
    loss, la, ext = sequence_nll(lp_n, label, blank)
    T_n, S, R = lp_n.shape[0], label.size, repeats(label)
    who_en = f"Sequence n={n}" if batched else "The sequence"
    who_zh = f"第 n={n} 条序列" if batched else "这条序列"
    ext_txt = fmt(ext)
    if not detailed:
        steps.append(Step(
            f"{who_en}: target {fmt(label)}, extended label {ext_txt}, {T_n} frames → "
            f"log p = {fmt(-loss)}, loss ℓ = {fmt(loss)}.",
            f"{who_zh}：目标 {fmt(label)}，扩展标签 {ext_txt}，{T_n} 帧 → log p = {fmt(-loss)}，损失 ℓ = {fmt(loss)}。"))
        return loss
    frames_en = f"input_lengths gives {T_n} of the {T_max} frames" if T_n != T_max else f"all {T_n} frames"
    frames_zh = f"input_lengths 只取 {T_max} 帧中的前 {T_n} 帧" if T_n != T_max else f"全部 {T_n} 帧"
    steps.append(Step(
        f"{who_en}: target l = {fmt(label)} (S = {S}, R = {R} adjacent repeats). Put the blank {blank} before, "
        f"between and after the labels: extended label l' = {ext_txt} (length 2S+1 = {ext.size}). "
        f"A valid path needs at least S + R = {S + R} frames; it has {frames_en}.",
        f"{who_zh}：目标 l = {fmt(label)}（S = {S}，相邻重复 R = {R} 对）。在标签前后及每两个标签之间插入 blank {blank}，"
        f"得到扩展标签 l' = {ext_txt}（长度 2S+1 = {ext.size}）。合法路径至少需要 S + R = {S + R} 帧；这里用{frames_zh}。",
        r"l' = (\varnothing, l_1, \varnothing, l_2, \dots, l_S, \varnothing)"))
    if T_n == 0:
        steps.append(Step(
            "No frames: only the empty target has a path (the empty one), so p = 1 if S = 0, else p = 0.",
            "没有帧：只有空目标存在（空的）路径，所以 S = 0 时 p = 1，否则 p = 0。"))
        return loss
    if n == 0 or not batched:
        steps.append(Step(
            "Forward recursion in log space (torch's algorithm): start on row 1 (blank) or row 2 (first label); "
            "each frame a path stays, moves down one row, or skips a blank row unless the two labels are equal.",
            "log 空间中的前向递推（torch 的算法）：从第 1 行（blank）或第 2 行（第一个标签）出发；"
            "每一帧，路径停在原行、下移一行，或跳过一个 blank 行（两侧标签相同时不许跳）。",
            r"\begin{aligned} \log\alpha_t(s) = \log y^t_{l'_s} + \operatorname{logsumexp}\big(&\log\alpha_{t-1}(s), "
            r"\ \log\alpha_{t-1}(s-1), \\ &\log\alpha_{t-1}(s-2) \text{ if } l'_s \notin \{\varnothing, l'_{s-2}\}\big)"
            r"\end{aligned}"))
    if T_n <= LATEX_MAX_T and ext.size <= LATEX_MAX_L:
        steps.append(Step(
            f"The trellis log α_t(s){f' of sequence n={n}' if batched else ''} (rows: l', columns: frames; "
            "−∞ means no valid prefix reaches that cell):",
            f"{who_zh}的网格 log α_t(s)（行：l'，列：帧；−∞ 表示没有合法前缀能到达该格）：",
            trellis_latex(la, ext, blank)))
    else:
        steps.append(Step(
            f"The trellis has {T_n} × {ext.size} cells (too large to print); its last column log α_T = {fmt(la[-1], 4)}.",
            f"网格共 {T_n} × {ext.size} 格（太大，不逐格打印）；最后一列 log α_T = {fmt(la[-1], 4)}。"))
    end_en = "the last two rows (final label or final blank)" if ext.size > 1 else "the only row"
    end_zh = "最后两行（最后一个标签或最后的 blank）" if ext.size > 1 else "唯一的一行"
    steps.append(Step(
        f"A valid path ends on {end_en}: log p = {fmt(-loss)}, so ℓ = −log p = {fmt(loss)}"
        + (" (no path fits: infinite loss)." if not np.isfinite(loss) else "."),
        f"合法路径结束于{end_zh}：log p = {fmt(-loss)}，所以 ℓ = −log p = {fmt(loss)}"
        + ("（没有任何路径放得下：损失为无穷大）。" if not np.isfinite(loss) else "。"),
        r"\ell = -\log\big(\alpha_T(2S{+}1) + \alpha_T(2S)\big)" if ext.size > 1 else r"\ell = -\log \alpha_T(1)"))
    return loss


def ctc(a: dict, p: dict):
    """CTCLoss step by step: one trellis per sequence, then zero_infinity, then the reduction."""
    steps: list[Step] = []
    lp = np.asarray(a["log_probs"], dtype=np.float64)
    blank = int(p["blank"])
    batched = lp.ndim == 3
    if not batched:
        lp = lp[:, None, :]
        targets = np.asarray(a["targets"], dtype=np.int64).ravel()     # exactly target_lengths labels
        in_len = np.asarray(a["input_lengths"], dtype=np.int64).reshape(1)
        tg_len = np.asarray(a["target_lengths"], dtype=np.int64).reshape(1)
    else:
        targets = np.asarray(a["targets"], dtype=np.int64)
        in_len = np.asarray(a["input_lengths"], dtype=np.int64).ravel()
        tg_len = np.asarray(a["target_lengths"], dtype=np.int64).ravel()
    T, N, C = lp.shape
    labels = split_targets(targets, tg_len)
    form_en = ("padded (N, S): entries past target_lengths[n] are ignored" if targets.ndim == 2 and batched else
               "concatenated 1-D: cut into pieces of target_lengths" if batched else "one unbatched target (S,)")
    form_zh = ("填充形式 (N, S)：target_lengths[n] 之后的元素被忽略" if targets.ndim == 2 and batched else
               "一维拼接形式：按 target_lengths 切分" if batched else "无 batch 的单个目标 (S,)")
    steps.append(Step(
        f"log_probs has T = {T} frames, N = {N} sequence(s), C = {C} classes; blank = {blank}. Targets are {form_en}.",
        f"log_probs 有 T = {T} 帧、N = {N} 条序列、C = {C} 个类别；blank = {blank}。targets 为{form_zh}。",
        r"\text{log\_probs}[t, n, k] = \log y^t_k"))
    row_sums = np.exp(lp).sum(axis=2)
    if np.max(np.abs(row_sums - 1.0)) > 1e-3:
        steps.append(Step(
            f"Note: exp(log_probs) sums to {fmt(row_sums.min(), 4)} … {fmt(row_sums.max(), 4)} per frame, not 1. "
            "torch does not check; apply log_softmax over the class dimension first.",
            f"注意：exp(log_probs) 每帧之和为 {fmt(row_sums.min(), 4)} … {fmt(row_sums.max(), 4)}，而不是 1。"
            "torch 不做检查；应先在类别维上做 log_softmax。"))
    losses = np.zeros(N)
    for n in range(N):
        losses[n] = _sequence_steps(n, batched, lp[:int(in_len[n]), n, :], labels[n], blank, T, steps,
                                    detailed=n < DETAILED_SEQUENCES)
    if N > DETAILED_SEQUENCES:
        steps.append(Step(f"Per-sequence losses ℓ = {fmt(losses)}.", f"各序列损失 ℓ = {fmt(losses)}。"))
    if p["zero_infinity"]:
        inf = ~np.isfinite(losses)
        if inf.any():
            steps.append(Step(
                f"zero_infinity=True: {int(inf.sum())} infinite loss(es) replaced by 0 (their gradients too).",
                f"zero_infinity=True：把 {int(inf.sum())} 个无穷大损失置为 0（梯度也置 0）。"))
        losses = np.where(inf, 0.0, losses)
    reduction = p["reduction"]
    if reduction == "none":
        steps.append(Step("reduction='none': one loss per sequence is the result.",
                          "reduction='none'：每条序列一个损失，就是结果。"))
        return (losses if batched else np.float64(losses[0])), steps
    if reduction == "sum":
        total = float(losses.sum())
        steps.append(Step(f"reduction='sum': add the {N} sequence losses (no division by length) = {fmt(total)}.",
                          f"reduction='sum'：把 {N} 条序列的损失相加（不除以长度）= {fmt(total)}。",
                          r"\sum_n \ell_n"))
        return np.float64(total), steps
    divisors = np.maximum(tg_len, 1).astype(np.float64)
    per_token = losses / divisors
    value = float(per_token.mean())
    steps.append(Step(
        f"reduction='mean': divide each loss by its target length clamped to ≥ 1, {fmt(losses)} / {fmt(divisors.astype(int))} "
        f"= {fmt(per_token)}, then average over the N = {N} sequences = {fmt(value)}.",
        f"reduction='mean'：先把每个损失除以其目标长度（至少按 1 算），{fmt(losses)} / {fmt(divisors.astype(int))} = {fmt(per_token)}，"
        f"再对 N = {N} 条序列求平均 = {fmt(value)}。",
        r"\frac{1}{N}\sum_n \frac{\ell_n}{\max(S_n, 1)}"))
    return np.float64(value), steps
