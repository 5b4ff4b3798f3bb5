"""NumPy derivation for CTCLoss: one trellis per sequence (losses/reference/ctc_trellis.py), then
zero_infinity, then the reduction, each step in words from content/<lang>/messages/ctc.toml."""
from __future__ import annotations

import numpy as np

from ..spec import Step
from ..text import M
from .common import fmt, keyed_step
from .ctc_trellis import (  # noqa: F401  (re-exported: the CTC panels and tests read them from here)
    NEG_INF, alignment_counts, collapse, count_alignments, enumerate_alignments, extended_label, log_alpha,
    log_beta, log_likelihood, min_frames, posterior_by_class, repeats, sequence_nll, skip_allowed, split_targets,
    viterbi_path)

LATEX_MAX_T = 12          # print the whole trellis as a LaTeX array up to this many frames …
LATEX_MAX_L = 13          # … and this many rows of the extended label
DETAILED_SEQUENCES = 3    # sequences of a batch whose trellis is printed step by step


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


_RECURSION = (r"\begin{aligned} \log\alpha_t(s) = \log y^t_{l'_s} + \operatorname{logsumexp}\big(&\log\alpha_{t-1}(s), "
              r"\ \log\alpha_{t-1}(s-1), \\ &\log\alpha_{t-1}(s-2) \text{ if } l'_s \notin \{\varnothing, l'_{s-2}\}\big)"
              r"\end{aligned}")


def _sequence_steps(n: int, batched: bool, lp_n: np.ndarray, label: np.ndarray, blank: int, T_max: int,
                    steps: list, detailed: bool) -> float:
    loss, la, ext = sequence_nll(lp_n, label, blank)
    T_n, S, R = lp_n.shape[0], label.size, repeats(label)
    who = M("ctc.step.who_n", n=n) if batched else M("ctc.step.who_one")
    if not detailed:
        steps.append(keyed_step("ctc.step.short", who=who, label=fmt(label), ext=fmt(ext), T=T_n, logp=fmt(-loss),
                                loss=fmt(loss)))
        return loss
    frames = M("ctc.step.frames_some", n=T_n, T=T_max) if T_n != T_max else M("ctc.step.frames_all", n=T_n)
    steps.append(keyed_step("ctc.step.extended", r"l' = (\varnothing, l_1, \varnothing, l_2, \dots, l_S, \varnothing)",
                            who=who, label=fmt(label), S=S, R=R, blank=blank, ext=fmt(ext), L=ext.size, SR=S + R,
                            frames=frames))
    if T_n == 0:
        steps.append(keyed_step("ctc.step.no_frames"))
        return loss
    if n == 0 or not batched:
        steps.append(keyed_step("ctc.step.recursion", _RECURSION))
    if T_n <= LATEX_MAX_T and ext.size <= LATEX_MAX_L:
        steps.append(keyed_step("ctc.step.trellis", trellis_latex(la, ext, blank), who=who,
                                of=M("ctc.step.of_sequence", n=n) if batched else ""))
    else:
        steps.append(keyed_step("ctc.step.trellis_big", T=T_n, L=ext.size, last=fmt(la[-1], 4)))
    steps.append(keyed_step(
        "ctc.step.end",
        r"\ell = -\log\big(\alpha_T(2S{+}1) + \alpha_T(2S)\big)" if ext.size > 1 else r"\ell = -\log \alpha_T(1)",
        end=M("ctc.step.end_two" if ext.size > 1 else "ctc.step.end_one"), logp=fmt(-loss), loss=fmt(loss),
        tail=M("ctc.step.period" if np.isfinite(loss) else "ctc.step.no_path")))
    return loss


def _inputs(a: dict):
    """(log_probs as (T, N, C), targets, input lengths, target lengths, batched?)."""
    lp = np.asarray(a["log_probs"], dtype=np.float64)
    batched = lp.ndim == 3
    if not batched:
        targets = np.asarray(a["targets"], dtype=np.int64).ravel()     # exactly target_lengths labels
        return (lp[:, None, :], targets, np.asarray(a["input_lengths"], dtype=np.int64).reshape(1),
                np.asarray(a["target_lengths"], dtype=np.int64).reshape(1), False)
    return (lp, np.asarray(a["targets"], dtype=np.int64), np.asarray(a["input_lengths"], dtype=np.int64).ravel(),
            np.asarray(a["target_lengths"], dtype=np.int64).ravel(), True)


def ctc(a: dict, p: dict):
    """CTCLoss step by step: one trellis per sequence, then zero_infinity, then the reduction."""
    steps: list[Step] = []
    lp, targets, in_len, tg_len, batched = _inputs(a)
    blank = int(p["blank"])
    T, N, C = lp.shape
    labels = split_targets(targets, tg_len)
    form = ("ctc.step.form_padded" if targets.ndim == 2 and batched else
            "ctc.step.form_concat" if batched else "ctc.step.form_single")
    steps.append(keyed_step("ctc.step.setup", r"\text{log\_probs}[t, n, k] = \log y^t_k", T=T, N=N, C=C, blank=blank,
                            form=M(form)))
    row_sums = np.exp(lp).sum(axis=2)
    if np.max(np.abs(row_sums - 1.0)) > 1e-3:
        steps.append(keyed_step("ctc.step.not_normalised", lo=fmt(row_sums.min(), 4), hi=fmt(row_sums.max(), 4)))
    losses = np.zeros(N)
    for n in range(N):
        losses[n] = _sequence_steps(n, batched, lp[:int(in_len[n]), n, :], labels[n], blank, T, steps,
                                    detailed=n < DETAILED_SEQUENCES)
    if N > DETAILED_SEQUENCES:
        steps.append(keyed_step("ctc.step.per_sequence", losses=fmt(losses)))
    if p["zero_infinity"]:
        inf = ~np.isfinite(losses)
        if inf.any():
            steps.append(keyed_step("ctc.step.zero_infinity", k=int(inf.sum())))
        losses = np.where(inf, 0.0, losses)
    return _reduce(losses, tg_len, p["reduction"], batched, steps), steps


def _reduce(losses: np.ndarray, tg_len: np.ndarray, reduction: str, batched: bool, steps: list):
    """CTCLoss's reductions: 'mean' divides each loss by its own target length before averaging."""
    N = losses.size
    if reduction == "none":
        steps.append(keyed_step("ctc.step.none"))
        return losses if batched else np.float64(losses[0])
    if reduction == "sum":
        total = float(losses.sum())
        steps.append(keyed_step("ctc.step.sum", r"\sum_n \ell_n", N=N, total=fmt(total)))
        return np.float64(total)
    divisors = np.maximum(tg_len, 1).astype(np.float64)
    per_token = losses / divisors
    value = float(per_token.mean())
    steps.append(keyed_step("ctc.step.mean", r"\frac{1}{N}\sum_n \frac{\ell_n}{\max(S_n, 1)}", losses=fmt(losses),
                            div=fmt(divisors.astype(int)), per=fmt(per_token), N=N, value=fmt(value)))
    return np.float64(value)
