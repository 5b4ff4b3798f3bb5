"""The sequence family: CTCLoss. No 1-D curve; the page's panel (ui/panels/ctc_trellis.py) draws the trellis."""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .reference import sequence as ref
from .spec import Example, LossSpec, M, Param, reduction_param, Refusal
from .chooser_rules import rule
from .validation import shape_str

DOCS = "https://pytorch.org/docs/stable/generated/torch.nn.{}.html"
ARGS = ("log_probs", "targets", "input_lengths", "target_lengths")
BLANK_MAX = 7          # the blank slider's range: the explorer's alphabet has at most 8 classes and grows to fit
MAX_WORK = 1_000_000   # frames × extended-label rows × sequences: keeps every evaluation well under a second
MAX_FRAMES = 20_000    # T × N: the NumPy recursion takes one step per frame and sequence
MAX_NUMEL = 1_000_000  # numbers in log_probs


# ---- validation: everything torch would reject, or would silently get wrong, is an InputError ----------
def _validate(t: dict, p: dict) -> None:
    lp, targets = t["log_probs"], t["targets"]
    if lp.dim() not in (2, 3):
        raise InputError("ctc.error.dims", shape=shape_str(lp))
    batched = lp.dim() == 3
    T, C = lp.shape[0], lp.shape[-1]
    N = lp.shape[1] if batched else 1
    if T * N > MAX_FRAMES or lp.numel() > MAX_NUMEL:
        raise InputError("ctc.error.too_large", frames=T * N, max_frames=MAX_FRAMES, numel=lp.numel(),
                         max_numel=MAX_NUMEL)
    blank = int(p["blank"])
    if not 0 <= blank < C:
        raise InputError("ctc.error.blank_out_of_range", blank=blank, C=C, last=C - 1)
    tl_v = _check_lengths(t, T, N, batched)
    _check_targets(targets, tl_v, N, batched)
    _check_labels(targets, tl_v, C, blank)
    work = T * (2 * max(tl_v, default=0) + 1) * N
    if work > MAX_WORK:
        raise InputError("ctc.error.too_much_work", work=work, max_work=MAX_WORK)


def _check_lengths(t: dict, T: int, N: int, batched: bool) -> list[int]:
    """One input and one target length per sequence, in range; returns the target lengths."""
    il, tl = t["input_lengths"], t["target_lengths"]
    for name, tensor in (("input_lengths", il), ("target_lengths", tl)):
        if tensor.dim() > 1 or tensor.numel() != N:
            raise InputError("ctc.error.lengths", name=name, N=N, shape=shape_str(tensor),
                             hint=M("ctc.error.batch_first") if batched else "")
    for n, v in enumerate(int(v) for v in il.reshape(-1).tolist()):
        if not 0 <= v <= T:
            raise InputError("ctc.error.input_length", n=n, v=v, T=T)
    tl_v = [int(v) for v in tl.reshape(-1).tolist()]
    for n, v in enumerate(tl_v):
        if v < 0:
            raise InputError("ctc.error.negative_length", n=n, v=v)
    return tl_v


def _check_targets(targets, tl_v: list[int], N: int, batched: bool) -> None:
    """The layout of `targets`: padded (N, S), concatenated 1-D, or one unbatched (S,)."""
    if batched and targets.dim() == 2:
        if targets.shape[0] != N:
            raise InputError("ctc.error.padded_rows", N=N, shape=shape_str(targets))
    elif batched and targets.dim() == 1:
        if targets.shape[0] != sum(tl_v):
            raise InputError("ctc.error.concat_count", total=sum(tl_v), got=targets.shape[0])
    elif not batched and (targets.dim() != 1 or targets.shape[0] != tl_v[0]):
        raise InputError("ctc.error.unbatched", k=tl_v[0], shape=shape_str(targets))
    elif batched:
        raise InputError("ctc.error.targets_form", shape=shape_str(targets))
    if targets.dim() == 2:
        width = targets.shape[-1]
        for n, v in enumerate(tl_v):
            if v > width:
                raise InputError("ctc.error.length_over_width", n=n, v=v, width=width)


def _check_labels(targets, tl_v: list[int], C: int, blank: int) -> None:
    """Every label a class other than the blank (torch checks neither on the CPU)."""
    labels = ref.split_targets(targets.cpu().numpy(), np.asarray(tl_v))
    for n, lab in enumerate(labels):
        if lab.size and (lab.min() < 0 or lab.max() >= C):
            bad = int(lab[(lab < 0) | (lab >= C)][0])
            raise InputError("ctc.error.label_range", bad=bad, n=n, last=C - 1)
        if lab.size and np.any(lab == blank):
            raise InputError("ctc.error.blank_in_target", n=n, blank=blank)


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
def _mean_how(t: dict, p: dict, none: np.ndarray):
    losses = np.atleast_1d(np.asarray(none, dtype=np.float64))
    lengths = np.atleast_1d(t["target_lengths"].detach().cpu().numpy()).astype(np.float64)
    div = np.maximum(lengths, 1.0)
    parts = " + ".join(f"{v:.4g}/{d:g}" for v, d in zip(losses, div))
    return M("ctc.mean_how", parts=parts, n=losses.size, value=float(np.mean(losses / div)))


# ---- worked examples ------------------------------------------------------------------------------
def _log_softmax_rounded(seed: int, T: int, N: int, C: int, scale: float = 1.5) -> list:
    z = np.random.default_rng(seed).normal(0.0, scale, (T, N, C))
    lp = z - np.log(np.exp(z).sum(axis=2, keepdims=True))
    return np.round(lp, 4).tolist()


UNIFORM3 = [[[-1.098612] * 3] for _ in range(3)]



def _example(key: str, inputs: dict, **kw) -> Example:
    return Example(key, M(f"ctc.example.{key}.title"), inputs, note=M(f"ctc.example.{key}.note"), **kw)


EXAMPLES = (
    _example("uniform_ab", {"log_probs": UNIFORM3, "targets": [[1, 2]], "input_lengths": [3], "target_lengths": [2]},
             expected=0.843200),
    _example("repeat_tight", {"log_probs": _log_softmax_rounded(5, 4, 1, 3), "targets": [[1, 1, 2]],
                              "input_lengths": [4], "target_lengths": [3]}),
    _example("too_short", {"log_probs": _log_softmax_rounded(2, 2, 1, 3), "targets": [[1, 1]], "input_lengths": [2],
                           "target_lengths": [2]}),
    _example("batch_mean", {"log_probs": _log_softmax_rounded(11, 5, 2, 4), "targets": [[1, 2, 2], [3, 0, 0]],
                            "input_lengths": [5, 4], "target_lengths": [3, 1]}),
    _example("empty_target", {"log_probs": _log_softmax_rounded(3, 3, 2, 4), "targets": [2, 3],
                              "input_lengths": [3, 3], "target_lengths": [2, 0]}),
    _example("blank_last", {"log_probs": _log_softmax_rounded(8, 4, 1, 3), "targets": [[0, 1]], "input_lengths": [4],
                            "target_lengths": [2]}, params={"blank": 2}),
)

CTC = LossSpec(
    slug="ctc", title="CTCLoss", family="sequence", functional="ctc_loss",
    chooser=(rule("ctc", {"task": "sequence"},
                 "nn.CTCLoss(blank=0, zero_infinity=True)(log_probs_TNC, targets, input_lengths, target_lengths)",
                 ("cross_entropy",)),),
    refusals=(
        Refusal({'log_probs': [[-1.098612, -1.098612, -1.098612], [-1.098612, -1.098612, -1.098612], [-1.098612, -1.098612, -1.098612]], 'targets': [0, 2], 'input_lengths': 3, 'target_lengths': 2}, {}, 'ctc.error.blank_in_target'),
        Refusal({'log_probs': [[-1.098612, -1.098612, -1.098612], [-1.098612, -1.098612, -1.098612], [-1.098612, -1.098612, -1.098612]], 'targets': [1, 5], 'input_lengths': 3, 'target_lengths': 2}, {}, 'ctc.error.label_range'),
    ),
    formula=(r"\begin{gathered} \ell_n = -\log \sum_{\pi \in \mathcal{B}^{-1}(\mathbf{l}_n)} \prod_{t=1}^{T_n} "
             r"y^{t}_{n,\pi_t} \\ \text{mean} = \frac{1}{N} \sum_{n=1}^{N} \frac{\ell_n}{\max(S_n, 1)} \end{gathered}"),
    arg_names=ARGS,
    arg_dtypes={"targets": "long", "input_lengths": "long", "target_lengths": "long"},
    params=(
        Param("blank", "int", 0, lo=0, hi=BLANK_MAX, step=1, curve=False, help=M("ctc.param.blank")),
        reduction_param(),
        Param("zero_infinity", "bool", False, curve=False, help=M("ctc.param.zero_infinity")),
    ),
    examples=EXAMPLES,
    reference_fn=ref.ctc, sample=_sample, validate=_validate,
    no_curve_reason=M("ctc.no_curve"),
    nonfinite=M("ctc.nonfinite"),
    mean_how=_mean_how,
    docs_url=DOCS.format("CTCLoss"),
)

SPECS = (CTC,)
