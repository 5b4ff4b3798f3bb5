"""CTCLoss: the spec and its NumPy trellis against torch.nn.functional.ctc_loss, the alignment counts
against brute-force enumeration, the gradient identity, and every invalid input as a bilingual InputError."""
import itertools
import time

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from losses import REGISTRY, InputError
from losses.reference import sequence as ref

SPEC = REGISTRY["ctc"]
REDUCTIONS = ("none", "mean", "sum")


def torch_ctc(inputs: dict, **kw) -> torch.Tensor:
    """torch's own value, written without the spec: float32 log_probs, long targets and lengths."""
    return F.ctc_loss(torch.as_tensor(np.asarray(inputs["log_probs"]), dtype=torch.float32),
                      torch.as_tensor(np.asarray(inputs["targets"]), dtype=torch.long),
                      torch.as_tensor(np.asarray(inputs["input_lengths"]), dtype=torch.long),
                      torch.as_tensor(np.asarray(inputs["target_lengths"]), dtype=torch.long), **kw)


def random_case(rng, blank: int, C: int, form: str, feasible: bool | None = None) -> dict:
    """A batch whose labels avoid `blank` and repeat often; feasible=None mixes in too-short sequences."""
    T, N = int(rng.integers(1, 9)), (1 if form == "unbatched" else int(rng.integers(1, 5)))
    classes = np.array([k for k in range(C) if k != blank])
    z = rng.normal(0, 2.0, (T, N, C))
    lp = torch.log_softmax(torch.tensor(z), -1).numpy()
    in_len = rng.integers(0, T + 1, N)
    labs = []
    for n in range(N):
        lab = rng.choice(classes[: max(1, min(classes.size, 2))] if rng.random() < 0.5 else classes,
                         size=int(rng.integers(0 if form != "unbatched" else 1, 5)))
        ok = ref.min_frames(lab) <= in_len[n]
        if feasible is True and not ok:
            in_len[n] = min(T, ref.min_frames(lab))
            lab = lab[: max(0, in_len[n] - ref.repeats(lab))]
            while ref.min_frames(lab) > in_len[n]:
                lab = lab[:-1]
        labs.append(lab)
    tl = np.array([lab.size for lab in labs])
    if form == "concatenated" and tl.sum() > 0:
        targets = np.concatenate(labs)
    else:
        width = max(int(tl.max()), 1)
        # Padding past target_lengths may hold anything, even the blank or out-of-range numbers.
        targets = np.array([np.concatenate([lab, rng.integers(-3, C + 3, width - lab.size)]) for lab in labs])
    if form == "unbatched":
        return {"log_probs": lp[:, 0], "targets": targets[0][: tl[0]], "input_lengths": np.int64(in_len[0]),
                "target_lengths": np.int64(tl[0])}
    return {"log_probs": lp, "targets": targets, "input_lengths": in_len, "target_lengths": tl}


@pytest.mark.parametrize("C", [2, 3, 5])
@pytest.mark.parametrize("form", ["padded", "concatenated", "unbatched"])
def test_equals_torch_for_every_blank_reduction_and_zero_infinity(C, form):
    rng = np.random.default_rng(100 * C + len(form))
    infinite = finite = 0
    for blank in range(C):                       # every blank position
        for _ in range(6):
            inputs = random_case(rng, blank, C, form)
            for reduction in REDUCTIONS:
                for zi in (False, True):
                    params = {"blank": blank, "reduction": reduction, "zero_infinity": zi}
                    expected = torch_ctc(inputs, blank=blank, reduction=reduction, zero_infinity=zi)
                    value = SPEC.evaluate(inputs, params)
                    assert value.shape == expected.shape
                    torch.testing.assert_close(value, expected, rtol=1e-5, atol=1e-6, equal_nan=True)
                    ref_value, steps = SPEC.reference(inputs, params)
                    np.testing.assert_allclose(np.asarray(ref_value, dtype=np.float64), expected.double().numpy(),
                                               rtol=1e-5, atol=1e-5, err_msg=f"{params} {inputs}")
                    assert steps
                    if reduction == "none":
                        bad = ~torch.isfinite(expected)
                        infinite += int(bad.sum())
                        finite += int((~bad).sum())
    assert finite > 0 and (infinite > 0 or C == 2 and form == "unbatched")


def test_infinite_case_and_zero_infinity():
    """'aa' needs 3 frames (a, blank, a): with 2 the loss is inf, NaN gradient; zero_infinity makes both 0."""
    z = torch.randn(2, 1, 3, generator=torch.Generator().manual_seed(0))
    inputs = {"log_probs": torch.log_softmax(z, -1), "targets": [[1, 1]], "input_lengths": [2], "target_lengths": [2]}
    for reduction in REDUCTIONS:
        value = SPEC.evaluate(inputs, {"reduction": reduction})
        assert torch.isinf(value).all()
        assert np.isinf(SPEC.reference(inputs, {"reduction": reduction})[0]).all()
        assert float(SPEC.evaluate(inputs, {"reduction": reduction, "zero_infinity": True}).sum()) == 0.0
    from losses.spec import gradient
    _, g = gradient(SPEC, inputs, {})
    assert torch.isnan(g).all()
    _, g = gradient(SPEC, inputs, {"zero_infinity": True})
    assert (g == 0).all()
    # One more frame makes exactly one alignment possible.
    z3 = torch.randn(3, 1, 3, generator=torch.Generator().manual_seed(1))
    lp = torch.log_softmax(z3, -1)
    ok = SPEC.evaluate({**inputs, "log_probs": lp, "input_lengths": [3]}, {"reduction": "sum"})
    only_path = -(lp[0, 0, 1] + lp[1, 0, 0] + lp[2, 0, 1])
    torch.testing.assert_close(ok, only_path)


def test_mean_divides_each_loss_by_its_clamped_target_length():
    rng = np.random.default_rng(4)
    inputs = random_case(rng, 0, 4, "padded", feasible=True)
    inputs["target_lengths"][0] = 0          # an empty target counts as length 1
    inputs["targets"] = np.asarray(inputs["targets"])
    none = torch_ctc(inputs, reduction="none")
    lengths = torch.as_tensor(inputs["target_lengths"]).clamp(min=1)
    torch.testing.assert_close(SPEC.evaluate(inputs, {"reduction": "mean"}), (none / lengths).mean())
    words = SPEC.mean_how(SPEC.to_tensors(SPEC.to_arrays(inputs)), SPEC.resolve_params({}), none.numpy())
    shown = f"{float(torch_ctc(inputs, reduction='mean')):.6g}"
    assert words.text("en").endswith(shown) and words.text("zh").endswith(shown)


def test_empty_target_is_all_blanks():
    lp = torch.log_softmax(torch.randn(4, 2, 3, generator=torch.Generator().manual_seed(2)), -1)
    inputs = {"log_probs": lp, "targets": [2, 1], "input_lengths": [4, 3], "target_lengths": [0, 2]}
    value = SPEC.evaluate(inputs, {"reduction": "none"})
    torch.testing.assert_close(value[0], -lp[:, 0, 0].sum())
    ref_value, _ = SPEC.reference(inputs, {"reduction": "none"})
    np.testing.assert_allclose(ref_value, value.double().numpy(), rtol=1e-5)


def _brute_force(lp: np.ndarray, label, blank: int):
    """Every one of the C^T paths: how many collapse to the label, and their total probability."""
    T, C = lp.shape
    count, total = 0, 0.0
    for path in itertools.product(range(C), repeat=T):
        if ref.collapse(list(path), blank) == list(label):
            count += 1
            total += float(np.exp(sum(lp[t, k] for t, k in enumerate(path))))
    return count, total


@pytest.mark.parametrize("label,blank,C,T", [([1, 1, 2], 0, 3, 5), ([1, 2], 0, 3, 3), ([0, 0], 2, 3, 5),
                                            ([1, 0, 1], 2, 3, 6), ([], 1, 3, 4), ([2, 2, 2], 0, 3, 6),
                                            ([0, 3, 0], 1, 4, 5)])
def test_counts_lists_and_likelihood_match_brute_force(label, blank, C, T):
    rng = np.random.default_rng(len(label) * 10 + T)
    lp = torch.log_softmax(torch.tensor(rng.normal(0, 1.5, (T, C))), -1).numpy()
    count, total = _brute_force(lp, label, blank)
    ext = ref.extended_label(label, blank)
    assert ref.count_alignments(T, ext, blank) == count
    paths = ref.enumerate_alignments(T, ext, blank, limit=10_000)
    assert len(paths) == count == len({tuple(p) for p in paths})
    for rows in paths:
        assert ref.collapse([int(ext[s]) for s in rows], blank) == list(label)
    loss, _, _ = ref.sequence_nll(lp, np.array(label, dtype=np.int64), blank)
    assert np.exp(-loss) == pytest.approx(total, rel=1e-9)
    if label:
        expected = F.ctc_loss(torch.tensor(lp)[:, None], torch.tensor([label]), torch.tensor([T]),
                              torch.tensor([len(label)]), blank=blank, reduction="sum")
        assert float(expected) == pytest.approx(loss, rel=1e-6)
    assert ref.enumerate_alignments(T, ext, blank, limit=count - 1) is None if count else True


def test_uniform_ab_has_five_paths():
    """The worked example's numbers: 5 paths of probability (1/3)^3, by brute force and by torch."""
    lp = np.full((3, 3), np.log(1 / 3))
    count, total = _brute_force(lp, [1, 2], 0)
    assert count == 5 and total == pytest.approx(5 / 27)
    ex = next(e for e in SPEC.examples if e.key == "uniform_ab")
    assert float(SPEC.evaluate(ex.inputs, {"reduction": "sum"})) == pytest.approx(-np.log(total), rel=1e-5)


def test_min_frames_is_s_plus_r():
    for label, need in (([1, 1, 2], 4), ([1, 2, 3], 3), ([1, 1, 1], 5), ([], 0), ([2, 1, 2], 3)):
        ext = ref.extended_label(label, 0)
        assert ref.min_frames(label) == need
        assert ref.count_alignments(need, ext, 0) >= 1
        if need:
            assert ref.count_alignments(need - 1, ext, 0) == 0


def test_gradient_on_logits_is_softmax_minus_posterior():
    rng = np.random.default_rng(9)
    for label, blank in (([1, 1, 2], 0), ([0, 2], 1), ([1], 3)):
        z = torch.tensor(rng.normal(0, 1, (6, 4)), requires_grad=True)
        lp = torch.log_softmax(z, -1)
        loss = F.ctc_loss(lp[:, None], torch.tensor([label]), torch.tensor([6]), torch.tensor([len(label)]),
                          blank=blank, reduction="sum")
        (g,) = torch.autograd.grad(loss, z)
        gamma = ref.posterior_by_class(lp.detach().numpy(), np.array(label), blank)
        np.testing.assert_allclose(g.numpy(), torch.softmax(z, -1).detach().numpy() - gamma, atol=1e-6)
        np.testing.assert_allclose(gamma.sum(axis=1), 1.0, atol=1e-9)


def test_steps_print_the_trellis():
    ex = next(e for e in SPEC.examples if e.key == "repeat_tight")
    _, steps = SPEC.reference(ex.inputs, ex.params)
    arrays = [s for s in steps if s.latex.startswith(r"\begin{array}")]
    assert len(arrays) == 1
    # 7 rows of the extended label, 4 frames, exactly one finite cell in the last column's end rows.
    assert arrays[0].latex.count(r"\\") == 8 and arrays[0].latex.count("t{=}") == 4
    assert any("S + R = 4" in s.en and "S + R = 4" in s.zh for s in steps)


# ---- invalid input: a bilingual message, never a torch error or a silent wrong number ---------------------
LP = np.log(np.full((4, 2, 3), 1 / 3))
GOOD = {"log_probs": LP, "targets": [[1, 2], [2, 2]], "input_lengths": [4, 4], "target_lengths": [2, 2]}
BAD = [
    ({"targets": [[1, 0], [2, 2]]}, {}, "blank"),                              # the blank inside a target
    ({"targets": [[1, 2], [2, 2]]}, {"blank": 2}, "blank"),
    ({"targets": [[1, 3], [2, 2]]}, {}, "[0, 2]"),                              # out of range
    ({"targets": [[1, -1], [2, 2]]}, {}, "[0, 2]"),
    ({}, {"blank": 3}, "C = 3"),                                                # blank not a class
    ({"input_lengths": [5, 4]}, {}, "input_lengths[0]"),                        # longer than T
    ({"input_lengths": [-1, 4]}, {}, "input_lengths[0]"),
    ({"input_lengths": [4, 4, 4]}, {}, "N = 2"),                                # one per sequence
    ({"target_lengths": [3, 2]}, {}, "target_lengths[0]"),                      # longer than the padded width
    ({"target_lengths": [-1, 2]}, {}, "negative"),
    ({"targets": [1, 2, 2]}, {}, "sum(target_lengths) = 4"),                    # concatenated, wrong total
    ({"targets": [[1, 2]]}, {}, "N = 2"),                                       # padded, wrong rows
    ({"log_probs": LP[None]}, {}, "(T, N, C)"),                                 # 4-D
    ({"log_probs": LP[:, 0], "input_lengths": 4, "target_lengths": 2, "targets": [1]}, {}, "target_lengths = 2"),
    ({"log_probs": np.transpose(LP, (1, 0, 2))}, {}, "batch"),                  # batch-first (N, T, C)
]


@pytest.mark.parametrize("change,params,needle", BAD)
def test_invalid_inputs_are_bilingual_input_errors(change, params, needle):
    inputs = {**GOOD, **change}
    with pytest.raises(InputError) as info:
        SPEC.evaluate(inputs, params)
    assert needle in info.value.en, info.value.en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.zh)
    with pytest.raises(InputError):
        SPEC.reference(inputs, params)


def test_torch_itself_accepts_a_target_containing_the_blank():
    """Why LossLab refuses it: torch silently returns a number (here even a negative 'loss' is possible)."""
    value = torch_ctc({**GOOD, "targets": [[1, 0], [2, 2]]}, reduction="none")
    assert torch.isfinite(value).all()


def test_padding_past_target_lengths_is_ignored():
    a = SPEC.evaluate({**GOOD, "targets": [[1, 2, 0], [2, 2, 7]]}, {"reduction": "none"})
    b = SPEC.evaluate(GOOD, {"reduction": "none"})
    torch.testing.assert_close(a, b)


def test_huge_inputs_are_refused_quickly():
    start = time.perf_counter()
    with pytest.raises(InputError):   # too many frames
        SPEC.evaluate({"log_probs": np.zeros((30_000, 1, 2)), "input_lengths": [30_000], "targets": [[1]],
                       "target_lengths": [1]})
    with pytest.raises(InputError):   # too many numbers typed into the page's field
        SPEC.evaluate({**GOOD, "log_probs": "[" + ", ".join(["[[0, 0, 0], [0, 0, 0]]"] * 2000) + "]",
                       "input_lengths": [2000, 2000]})
    with pytest.raises(InputError):   # too many trellis cells
        SPEC.evaluate({"log_probs": np.zeros((1000, 1, 2)), "targets": [[1] * 600], "input_lengths": [1000],
                       "target_lengths": [600]})
    assert time.perf_counter() - start < 2.0
    # The largest accepted trellis still computes fast, torch and NumPy alike.
    inputs = {"log_probs": np.log(np.full((1000, 1, 2), 0.5)), "targets": [[1] * 400], "input_lengths": [1000],
              "target_lengths": [400]}
    start = time.perf_counter()
    value = SPEC.evaluate(inputs)
    ref_value, _ = SPEC.reference(inputs)
    assert time.perf_counter() - start < 3.0
    assert float(value) == pytest.approx(float(ref_value), rel=1e-5)
