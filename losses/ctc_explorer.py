"""The CTC trellis explorer's model (its figures: ui/panels/trellis_figures.py). Pure: tests build it directly.

One sequence: per-frame logits z (T, C) -> log_probs = log_softmax(z) -> torch's ctc_loss. The trellis,
the alignment count and list come from the NumPy reference (losses/reference/sequence.py); the loss value
and the gradient come from torch and torch.autograd.
"""
from __future__ import annotations

import string
from dataclasses import dataclass

import numpy as np

from losses.errors import InputError
from losses.reference import sequence as ref

MAX_T = 16            # frames
MAX_C = 8             # classes, blank included
MAX_S = 8             # label length
LIST_LIMIT = 100      # list the alignments one by one up to this many
MAX_LOGIT = 30.0      # hand-set logits: |z| at most this
BLANK_GLYPH = "-"


# ---- the alphabet: letters for the real classes, '-' for the blank -------------------------------------
def symbols(C: int, blank: int) -> list[str]:
    """Display symbol of every class index: the blank is '-', the others a, b, c … in index order."""
    letters = iter(string.ascii_lowercase)
    return [BLANK_GLYPH if k == blank else next(letters) for k in range(C)]


def _code(text: str) -> str:
    return "`" + text.replace("`", "'")[:20] + "`"


def parse_label(text: str, C: int, blank: int) -> np.ndarray:
    """'aab' -> class indices. '-' is the blank (refused, as torch's targets must not contain it)."""
    if not 2 <= C <= MAX_C:
        raise InputError("trellis.alphabet.size", max_c=MAX_C)
    if not 0 <= blank < C:
        raise InputError("trellis.blank.out_of_range", blank=blank, C=C, last=C - 1)
    text = (text or "").strip().lower().replace(" ", "")
    if len(text) > MAX_S:
        raise InputError("trellis.label.too_long", max_s=MAX_S)
    sym = symbols(C, blank)
    out = []
    for ch in text:
        if ch in (BLANK_GLYPH, "_"):
            raise InputError("trellis.label.has_blank", ch=_code(ch))
        if ch not in sym:
            letters = "".join(s for s in sym if s != BLANK_GLYPH)
            raise InputError("trellis.label.unknown", ch=_code(ch), letters=_code(letters), C=C)
        out.append(sym.index(ch))
    return np.asarray(out, dtype=np.int64)


def random_logits(T: int, C: int, seed: int, scale: float) -> np.ndarray:
    return np.random.default_rng(int(seed)).normal(0.0, float(scale), (T, C))


def check_logits(z) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    if z.ndim != 2 or z.size == 0:
        raise InputError("trellis.logits.shape")
    if not np.all(np.isfinite(z)) or np.max(np.abs(z)) > MAX_LOGIT:
        raise InputError("trellis.logits.range", max=MAX_LOGIT)
    return z


def log_softmax(z: np.ndarray) -> np.ndarray:
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


# ---- the analysis of one sequence ------------------------------------------------------------------------
@dataclass
class Trellis:
    label: np.ndarray          # target class indices (S,)
    ext: np.ndarray            # extended label (L,)
    blank: int
    lp: np.ndarray             # (T, C) log-probabilities (float64)
    log_alpha: np.ndarray      # (T, L)
    log_beta: np.ndarray       # (T, L), without the emission at t
    log_p: float               # log p(l | x) from the NumPy recursion
    fwd: list                  # exact prefix counts (T × L)
    bwd: list                  # exact suffix counts (T × L)
    n_alignments: int
    alignments: list | None    # every path as trellis rows, when there are at most LIST_LIMIT
    best: list | None          # rows of the most probable single path (Viterbi)

    @property
    def T(self) -> int:
        return self.lp.shape[0]

    @property
    def C(self) -> int:
        return self.lp.shape[1]

    @property
    def S(self) -> int:
        return int(self.label.size)

    @property
    def R(self) -> int:
        return ref.repeats(self.label)

    @property
    def feasible(self) -> bool:
        return self.n_alignments > 0

    def posterior(self) -> np.ndarray:
        """(T, L) share of p through each cell: alpha * beta / p."""
        if not self.feasible:
            return np.full(self.log_alpha.shape, np.nan)
        return np.exp(self.log_alpha + self.log_beta - self.log_p)

    def gamma(self) -> np.ndarray:
        """(T, C) posterior probability that frame t emits class k, over valid paths."""
        return ref.posterior_by_class(self.lp, self.label, self.blank)

    def path_classes(self, rows: list[int]) -> list[int]:
        return [int(self.ext[s]) for s in rows]

    def path_log_prob(self, rows: list[int]) -> float:
        return float(sum(self.lp[t, self.ext[s]] for t, s in enumerate(rows)))


def analyse(lp: np.ndarray, label: np.ndarray, blank: int, limit: int = LIST_LIMIT) -> Trellis:
    lp = np.asarray(lp, dtype=np.float64)
    ext = ref.extended_label(label, blank)
    la, lb = ref.log_alpha(lp, ext, blank), ref.log_beta(lp, ext, blank)
    T = lp.shape[0]
    fwd, bwd = ref.alignment_counts(T, ext, blank)
    return Trellis(label=np.asarray(label, dtype=np.int64), ext=ext, blank=blank, lp=lp, log_alpha=la,
                   log_beta=lb, log_p=ref.log_likelihood(la, len(label)), fwd=fwd, bwd=bwd,
                   n_alignments=ref.count_alignments(T, ext, blank),
                   alignments=ref.enumerate_alignments(T, ext, blank, limit),
                   best=ref.viterbi_path(lp, ext, blank))


def torch_loss_and_grad(z: np.ndarray, label: np.ndarray, params: dict, device: str = "cpu"):
    """torch's value for this one sequence (as the params reduce it), its per-sequence 'none' value and
    d(loss)/d(logits) from torch.autograd, with log_probs = log_softmax(z)."""
    import torch
    import torch.nn.functional as F
    zt = torch.tensor(np.asarray(z, dtype=np.float32), device=device, requires_grad=True)
    log_probs = torch.log_softmax(zt, dim=-1).unsqueeze(1)                       # (T, 1, C)
    targets = torch.tensor(np.asarray(label, dtype=np.int64).reshape(1, -1), device=device)
    lengths = (torch.tensor([zt.shape[0]], device=device), torch.tensor([len(label)], device=device))
    kw = dict(blank=int(params["blank"]), zero_infinity=bool(params["zero_infinity"]))
    loss = F.ctc_loss(log_probs, targets, *lengths, reduction=params["reduction"], **kw)
    (grad,) = torch.autograd.grad(loss.sum(), zt)
    with torch.no_grad():
        per_seq = F.ctc_loss(log_probs, targets, *lengths, reduction="none", **kw)
    return float(loss.detach().sum()), float(per_seq[0]), grad.detach().cpu().double().numpy()


def alignment_rows(tr: Trellis, sym: list[str]) -> list[dict]:
    """[{path, merged, prob, share}] for the listed alignments, most probable first."""
    if tr.alignments is None:
        return []
    p = float(np.exp(tr.log_p)) if tr.feasible else 0.0
    rows = []
    for rows_s in tr.alignments:
        classes = tr.path_classes(rows_s)
        merged = [k for i, k in enumerate(classes) if i == 0 or k != classes[i - 1]]
        prob = float(np.exp(tr.path_log_prob(rows_s)))
        rows.append({"path": "".join(sym[k] for k in classes), "merged": "".join(sym[k] for k in merged),
                     "collapsed": "".join(sym[k] for k in ref.collapse(classes, tr.blank)),
                     "prob": prob, "share": prob / p if p > 0 else 0.0})
    rows.sort(key=lambda r: -r["prob"])
    return rows
