"""Margin family: what torch accepts silently is computed as torch does and diagnosed (issue 19), and what
torch would not compute is refused with a clear message in both languages."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from losses import REGISTRY, InputError
from margin_cases import PM1_CASES, t32


def bilingual(info):
    assert info.value.en and info.value.zh and info.value.en != info.value.zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.zh)
    return info.value.en


def _agrees_with_torch(spec, inputs, torch_value):
    value = spec.evaluate(inputs)
    ref, _ = spec.reference(inputs)
    torch.testing.assert_close(value, torch_value.float(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ref, torch_value.double().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("slug", sorted(PM1_CASES))
@pytest.mark.parametrize("target", [[1, 0, 1], [0, 0, 1], [1, -1, 2], [1, -1, 0.5]])
def test_non_pm1_targets_are_computed_as_torch_does_and_warned(slug, target):
    """Issue 19: torch accepts these silently; LossLab shows torch's number and says why it is a mistake."""
    spec = REGISTRY[slug]
    inputs = {**PM1_CASES[slug], "target": target}
    tensors = spec.to_tensors(spec.to_arrays(inputs))
    torch_value = getattr(F, spec.functional)(*(tensors[a] for a in spec.arg_names))  # no error from torch
    _agrees_with_torch(spec, inputs, torch_value)
    (found,) = [d for d in spec.diagnose(inputs) if d.key.startswith("dg_pm1_")]
    assert found.key == f"dg_pm1_{slug}"
    assert (found.fix is not None) == (set(target) <= {0, 1})


@pytest.mark.parametrize("slug, inputs, key", [
    ("margin_ranking", {"input1": [1.0, 2.0, 3.0], "input2": [1.0], "target": [1.0, 1.0, 1.0]}, "dg_broadcast"),
    ("margin_ranking", {"input1": [1.0, 2.0, 3.0], "input2": [1.0, 0.0, 2.0], "target": [1.0]}, "dg_broadcast"),
    ("margin_ranking", {"input1": [[1.0, 2.0]], "input2": [[1.0, 0.0]], "target": [[1, 1]]}, "dg_mr_embeddings"),
    ("hinge_embedding", {"input": [[0.1, 0.2, 0.3, 0.4]] * 3, "target": [1, -1, 1, -1]}, "dg_broadcast"),
    ("cosine_embedding", {"input1": [[1.0, 0.0]], "input2": [[1.0, 1.0]], "target": [1, 1, 1]}, "dg_cos_target_shape"),
    ("triplet_margin", {"anchor": [[0.0, 0.0], [1.0, 1.0]], "positive": [[0.0, 1.0]], "negative": [[1.0, 0.0]] * 2},
     "dg_broadcast"),
    ("triplet_margin_with_distance",
     {"anchor": [[0.0, 0.0], [1.0, 1.0]], "positive": [[0.0, 1.0]] * 2, "negative": [[1.0, 0.0]]}, "dg_broadcast"),
])
def test_shape_mismatches_torch_broadcasts_are_computed_and_warned(slug, inputs, key):
    spec = REGISTRY[slug]
    tensors = spec.to_tensors(spec.to_arrays(inputs))
    fn = (lambda *a: F.triplet_margin_with_distance_loss(*a)) if spec.compute else getattr(F, spec.functional)
    torch_value = fn(*(tensors[a] for a in spec.arg_names))  # torch broadcasts without a word
    _agrees_with_torch(spec, inputs, torch_value)
    assert key in [d.key for d in spec.diagnose(inputs)]


@pytest.mark.parametrize("slug, inputs, words", [
    ("multi_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [4]}, "0 … 3"),
    ("multi_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [-1]}, "0 … 3"),
    ("multi_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[0, 0, 0, 1]]}, "one-hot"),
    ("multi_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [1.5]}, "whole numbers"),
    ("multi_margin", {"input": [[[0.1, 0.2]]], "target": [[1]]}, "dimensions"),
    ("multilabel_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, 0, -1, 4]]}, "after the first -1"),
    ("multilabel_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, -2, -1, 1]]}, "-1 (end of the list)"),
    ("multilabel_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, -1]]}, "same shape"),
    ("cosine_embedding", {"input1": [1.0, 0.0], "input2": [1.0, 1.0], "target": [1]}, "0-dimensional"),
    ("cosine_embedding", {"input1": [[[1.0, 0.0]]], "input2": [[[1.0, 1.0]]], "target": [[1]]}, "dimensions"),
    ("margin_ranking", {"input1": [[1.0, 2.0]], "input2": [1.0, 0.0], "target": [[1, 1]]}, "number of dimensions"),
])
def test_invalid_inputs_give_clear_bilingual_errors(slug, inputs, words):
    with pytest.raises(InputError) as info:
        REGISTRY[slug].evaluate(inputs)
    assert words in bilingual(info)


@pytest.mark.parametrize("p", [0, 3, 1.5, -1])
def test_multi_margin_p_must_be_1_or_2(p):
    x = {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [3]}
    with pytest.raises(ValueError, match="only p == 1 and p == 2"):
        F.multi_margin_loss(t32(x["input"]), t32(x["target"], torch.long), p=p)
    with pytest.raises(InputError) as info:
        REGISTRY["multi_margin"].evaluate(x, {"p": p})
    assert "1, 2" in bilingual(info)


def test_multi_margin_weight_length_and_triplet_margin_positive():
    with pytest.raises(InputError) as info:
        REGISTRY["multi_margin"].evaluate({"input": [[0.1, 0.2, 0.4, 0.8]], "target": [3]}, {"weight": "[1, 2, 3]"})
    assert "C = 4" in bilingual(info)
    for slug in ("triplet_margin", "triplet_margin_with_distance"):
        with pytest.raises(InputError):
            REGISTRY[slug].evaluate(REGISTRY[slug].examples[0].inputs, {"margin": 0.0})
