"""The CTC trellis explorer's model and figures. Pure (no Streamlit): tests build these directly.

One sequence: per-frame logits z (T, C) -> log_probs = log_softmax(z) -> torch's ctc_loss. The trellis,
the alignment count and list come from the NumPy reference (losses/reference/sequence.py); the loss value
and the gradient come from torch and torch.autograd.
"""
from __future__ import annotations

import string
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from losses.errors import InputError
from losses.reference import sequence as ref

MAX_T = 16            # frames
MAX_C = 8             # classes, blank included
MAX_S = 8             # label length
LIST_LIMIT = 100      # list the alignments one by one up to this many
MAX_LOGIT = 30.0      # hand-set logits: |z| at most this
BLANK_GLYPH = "-"
FONT = "Inter, 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Sans Pro', sans-serif"
ORANGE, GREEN, RED, BLUE = "#E69F00", "#009E73", "#D55E00", "#0072B2"
LIGHT_BLUES = [[0.0, "#fbfdff"], [0.5, "#b9d7ee"], [1.0, "#5fa2d6"]]   # light enough for black numbers


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
        raise InputError(f"The alphabet size C must be between 2 and {MAX_C}.", f"字母表大小 C 必须在 2 到 {MAX_C} 之间。")
    if not 0 <= blank < C:
        raise InputError(
            f"`blank` = {blank}, but the alphabet has only C = {C} classes (0 … {C - 1}); torch says "
            "'blank must be in label range'. Lower `blank` or enlarge the alphabet.",
            f"`blank` = {blank}，但字母表只有 C = {C} 个类别（0 … {C - 1}）；torch 会报错 'blank must be in label range'。"
            "请减小 `blank` 或增大字母表。")
    text = (text or "").strip().lower().replace(" ", "")
    if len(text) > MAX_S:
        raise InputError(f"The label may have at most {MAX_S} symbols.", f"标签最多 {MAX_S} 个符号。")
    sym = symbols(C, blank)
    out = []
    for ch in text:
        if ch in (BLANK_GLYPH, "_"):
            raise InputError(
                f"The label contains the blank {_code(ch)}. The blank means \"no symbol\": it is inserted by CTC "
                "between labels and can never be a target label (torch would not complain, and return a wrong number).",
                f"标签中含有 blank {_code(ch)}。blank 表示“没有符号”，由 CTC 自动插入在标签之间，"
                "不能作为目标标签（torch 不会报错，只会返回错误的数值）。")
        if ch not in sym:
            letters = "".join(s for s in sym if s != BLANK_GLYPH)
            raise InputError(
                f"{_code(ch)} is not in the alphabet {_code(letters)} (C = {C} classes, one of them the blank). "
                "Use those letters or enlarge the alphabet.",
                f"{_code(ch)} 不在字母表 {_code(letters)} 中（C = {C} 个类别，其中一个是 blank）。请使用这些字母或增大字母表。")
        out.append(sym.index(ch))
    return np.asarray(out, dtype=np.int64)


def random_logits(T: int, C: int, seed: int, scale: float) -> np.ndarray:
    return np.random.default_rng(int(seed)).normal(0.0, float(scale), (T, C))


def check_logits(z) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    if z.ndim != 2 or z.size == 0:
        raise InputError("The logits table must be T × C numbers.", "logits 表必须是 T × C 个数。")
    if not np.all(np.isfinite(z)) or np.max(np.abs(z)) > MAX_LOGIT:
        raise InputError(f"Every logit must be a finite number between −{MAX_LOGIT:g} and {MAX_LOGIT:g}.",
                         f"每个 logit 都必须是 −{MAX_LOGIT:g} 到 {MAX_LOGIT:g} 之间的有限数。")
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


# ---- figures -------------------------------------------------------------------------------------------
def _layout(fig: go.Figure, height: int, title: str) -> None:
    fig.update_layout(title=dict(text=title, x=0, xanchor="left", font=dict(size=16)), height=height,
                      template="plotly_white", font=dict(family=FONT, size=13),
                      margin=dict(l=70, r=20, t=80, b=50), uirevision="keep")


def _row_ticks(ext: np.ndarray, sym: list[str]) -> tuple[list[int], list[str]]:
    return list(range(1, ext.size + 1)), [f"{s + 1}  {sym[k]}" for s, k in enumerate(ext)]


def _segments(pairs) -> tuple[list, list]:
    xs, ys = [], []
    for (x0, y0), (x1, y1) in pairs:
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return xs, ys


def trellis_figure(tr: Trellis, sym: list[str], labels: dict, view: str = "log_alpha") -> go.Figure:
    """The alpha lattice as a heat map over time × extended label, with the allowed transitions drawn.

    labels: already-translated strings {title_log_alpha, title_posterior, x, y, cbar_log_alpha, cbar_posterior,
    live, skip, dead, forbidden, best, start, end, unreachable}."""
    T, L = tr.log_alpha.shape
    skip = ref.skip_allowed(tr.ext, tr.blank)
    post = tr.posterior()
    if view == "posterior":
        reach = np.isfinite(tr.log_alpha + tr.log_beta)           # on some complete path
        z = np.where(reach & np.isfinite(post), post, np.nan)
        cbar, colorscale, zmin, zmax = labels["cbar_posterior"], LIGHT_BLUES, 0.0, 1.0
        text = [[("" if not np.isfinite(v) else f"{v:.2f}") for v in row] for row in z.T]
    else:
        z = np.where(np.isfinite(tr.log_alpha), tr.log_alpha, np.nan)
        cbar, colorscale = labels["cbar_log_alpha"], LIGHT_BLUES
        finite = z[np.isfinite(z)]
        zmin, zmax = (float(finite.min()), float(finite.max())) if finite.size else (None, None)
        text = [[("" if not np.isfinite(v) else f"{v:.1f}") for v in row] for row in z.T]
    custom = [[[sym[tr.ext[s]], _fmt_log(tr.log_alpha[t, s]), _fmt_share(post[t, s]), tr.fwd[t][s] * tr.bwd[t][s]]
               for t in range(T)] for s in range(L)]
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        x=list(range(1, T + 1)), y=list(range(1, L + 1)), z=z.T, zmin=zmin, zmax=zmax, colorscale=colorscale,
        text=text, texttemplate="%{text}" if T * L <= 240 else None, textfont=dict(size=11, color="#111"),
        customdata=custom, xgap=3, ygap=3, showscale=True,
        colorbar=dict(title=dict(text=cbar, side="right"), thickness=14, len=0.9),
        hovertemplate=("t=%{x}, s=%{y}  l'_s = %{customdata[0]}<br>log α = %{customdata[1]}<br>"
                       + labels["share"] + " = %{customdata[2]}<br>" + labels["through"]
                       + " = %{customdata[3]}<extra></extra>"), name="", showlegend=False))
    # Allowed transitions, drawn in the gaps between cells so the numbers stay readable.
    live, live_skip, dead, forbidden = [], [], [], []
    for t in range(T - 1):
        for s in range(L):
            if tr.fwd[t][s] == 0:
                continue                          # no valid prefix reaches this cell: nothing leaves it
            for nxt in (s, s + 1, s + 2):
                if nxt >= L:
                    continue
                seg = _between(t, s, nxt)
                if nxt == s + 2 and not skip[nxt]:
                    if tr.ext[nxt] != tr.blank:
                        forbidden.append(seg)     # the repeat rule: no skipping the blank between equal labels
                    continue
                on_path = tr.bwd[t + 1][nxt] > 0
                (live_skip if on_path and nxt == s + 2 else live if on_path else dead).append(seg)
    best = [] if tr.best is None else [_between(t, tr.best[t], tr.best[t + 1]) for t in range(T - 1)]
    for pairs, name, style in (
            (dead, labels["dead"], dict(color="#b8b8b8", width=1.2, dash="dot")),
            (forbidden, labels["forbidden"], dict(color=RED, width=2, dash="dash")),
            (live, labels["live"], dict(color="#333333", width=1.6)),
            (live_skip, labels["skip"], dict(color=GREEN, width=2.6)),
            (best, labels["best"], dict(color=ORANGE, width=5))):
        if not pairs:
            continue                              # a legend entry only for what is drawn
        xs, ys = _segments(pairs)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=style, name=name, hoverinfo="skip", legendgroup=name))
    if tr.best is not None:
        fig.add_trace(go.Scatter(x=list(range(1, T + 1)), y=[s + 1 for s in tr.best], mode="markers",
                                 marker=dict(symbol="circle-open", size=30, color=ORANGE, line=dict(width=3)),
                                 name=labels["best"], legendgroup=labels["best"], showlegend=False, hoverinfo="skip"))
    starts = [s for s in (0, 1) if s < L]
    ends = sorted({L - 1, max(L - 2, 0)})
    fig.add_trace(go.Scatter(x=[0.45] * len(starts), y=[s + 1 for s in starts], mode="markers", name=labels["start"],
                             marker=dict(symbol="triangle-right", size=14, color=BLUE), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[T] * len(ends), y=[s + 1 for s in ends], mode="markers", name=labels["end"],
                             marker=dict(symbol="square-open", size=34, color=BLUE, line=dict(width=3)),
                             hoverinfo="skip"))
    ticks, ticktext = _row_ticks(tr.ext, sym)
    fig.update_yaxes(title_text=labels["y"], tickvals=ticks, ticktext=ticktext, range=[L + 0.5, 0.5],
                     showgrid=False, zeroline=False, tickfont=dict(family="monospace", size=14))
    fig.update_xaxes(title_text=labels["x"], tickvals=list(range(1, T + 1)), showgrid=False, zeroline=False,
                     range=[0.3, T + 0.55])
    _layout(fig, 230 + 40 * max(L, 4), labels["title_posterior" if view == "posterior" else "title_log_alpha"])
    fig.update_layout(plot_bgcolor="#e4e4e4", margin=dict(l=70, r=20, t=50, b=110),
                      legend=dict(orientation="h", yanchor="top", y=-58 / (40 * max(L, 4) + 70), x=0, font=dict(size=12)))
    return fig


def _between(t: int, s: int, nxt: int) -> tuple:
    """A transition from cell (t, s) to (t+1, nxt) as a segment in the gap between the two columns
    (0-based t, s; the axes are 1-based)."""
    return (t + 1 + 0.3, s + 1 + 0.22 * (nxt - s)), (t + 2 - 0.3, nxt + 1 - 0.22 * (nxt - s))


def _fmt_log(v: float) -> str:
    return "−∞" if not np.isfinite(v) else f"{v:.4f}"


def _fmt_share(v: float) -> str:
    return "0" if not np.isfinite(v) else f"{v:.4f}"


def class_heatmap(values: np.ndarray, sym: list[str], blank: int, labels: dict, title: str, cbar: str,
                  diverging: bool = False) -> go.Figure:
    """A (T, C) array as a heat map: frames across, classes down (the distribution, or the gradient)."""
    T, C = values.shape
    z = np.where(np.isfinite(values), values, np.nan).T
    ticktext = [f"{k}  {sym[k]}" + (f" ({labels['blank']})" if k == blank else "") for k in range(C)]
    text = [[("NaN" if not np.isfinite(v) else f"{v:.2f}") for v in row] for row in z]
    if not np.isfinite(z).any():                  # torch's NaN gradient: grey cells that say NaN
        z = np.zeros_like(z)
        scale = dict(colorscale=[[0, "#cccccc"], [1, "#cccccc"]], showscale=False)
    elif diverging:
        finite = np.abs(z[np.isfinite(z)])
        m = float(finite.max()) if finite.max() > 0 else 1.0
        scale = dict(colorscale="RdBu", reversescale=True, zmid=0.0, zmin=-m, zmax=m)
    else:
        scale = dict(colorscale="Blues", zmin=0.0, zmax=1.0)
    fig = go.Figure(go.Heatmap(
        x=list(range(1, T + 1)), y=list(range(C)), z=z, text=text, texttemplate="%{text}" if T * C <= 160 else None,
        textfont=dict(size=10), xgap=2, ygap=2, colorbar=dict(title=dict(text=cbar, side="right"), thickness=14),
        hovertemplate="t=%{x}, k=%{y}: %{text}<extra></extra>", **scale))
    fig.update_yaxes(title_text=labels["class"], tickvals=list(range(C)), ticktext=ticktext, range=[C - 0.5, -0.5],
                     tickfont=dict(family="monospace", size=13))
    fig.update_xaxes(title_text=labels["x"], tickvals=list(range(1, T + 1)))
    _layout(fig, 150 + 32 * C, title)
    fig.update_layout(margin=dict(l=90, r=20, t=60, b=50), plot_bgcolor="#eeeeee")
    return fig
