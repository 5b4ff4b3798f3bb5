"""The CTC trellis in NumPy: the forward (alpha) and backward recursions in log space over the extended
label, exactly the sum torch computes, and alignment counting. The derivation (sequence.py) and the CTC
page's panels use these pieces.

Notation (Graves et al. 2006): l is a target of length S, l' its extended label (a blank before, between
and after the labels, length L = 2S + 1), y[t, k] the probability of class k at frame t. A path may stay
on a row of the trellis, move down one row, or skip one blank row, but never the blank between two equal
labels. log_alpha[t, s] sums, in log space, every path prefix of length t + 1 that ends on row s.
"""
from __future__ import annotations

import numpy as np

NEG_INF = -np.inf


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
