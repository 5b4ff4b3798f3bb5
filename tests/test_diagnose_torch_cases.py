"""torch's own unbatched criterion cases (torch.testing._internal.common_nn: regression_criterion_no_batch,
the KLDivLoss cases and classification_criterion_no_batch, every reduction: 48) through LossLab: evaluate
and the NumPy reference equal torch's module, and each case gets the warnings it deserves (issue 19)."""
import re

import numpy as np
import pytest
import torch

from losses import REGISTRY

common_nn = pytest.importorskip("torch.testing._internal.common_nn", reason="needs the expecttest package")
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

CASES = [info for info in common_nn.criterion_tests if "_no_batch_dim_" in info.get("fullname", "")]
BY_TITLE = {spec.title: spec for spec in REGISTRY.values()}
# What torch's random inputs are: randn targets for Poisson, BCEWithLogits and MultiLabelSoftMargin (not counts,
# not probabilities), log(rand) for KLDivLoss (exp does not sum to 1) and rand targets (no distribution),
# randn "distances" for HingeEmbedding, and torch's MultiLabelMargin target [3, 0, -1, 1] (the 1 is ignored).
DESERVED = {
    "PoissonNLLLoss": {"dg_poisson_negative"},
    "KLDivLoss": {"dg_kl_input_not_log", "dg_kl_target_sum"},
    "BCEWithLogitsLoss": {"dg_bcel_target_range"},
    "MultiLabelSoftMarginLoss": {"dg_mlsm_target"},
    "HingeEmbeddingLoss": {"dg_hinge_negative_input"},
    "MultiLabelMarginLoss": {"dg_mlm_after_pad"},
}


def test_there_are_48_cases_over_16_losses():
    names = {re.match(r"(\w+?)_no_batch_dim_", c["fullname"]).group(1) for c in CASES}
    assert len(CASES) == 48 and len(names) == 16 and names <= set(BY_TITLE)


@pytest.mark.parametrize("info", CASES, ids=[c["fullname"] for c in CASES])
def test_torch_unbatched_case_agrees_and_is_diagnosed(info):
    name, reduction = re.match(r"(\w+?)_no_batch_dim_(\w+)$", info["fullname"]).groups()
    torch.manual_seed(sum(map(ord, info["fullname"])))
    case = common_nn.CriterionTest(**info)
    given, target = case._get_input(), case._get_target()
    args = (list(given) if isinstance(given, (list, tuple)) else [given]) + [target]
    # The cases' constructors close over the loop variable `reduction` (all end up 'sum'), so build the
    # module from the name in fullname: every reduction is then really tested.
    expected = getattr(torch.nn, name)(reduction=reduction)(*args).detach().double().numpy()
    spec = BY_TITLE[name]
    inputs = dict(zip(spec.arg_names, [a.detach().double().numpy() for a in args]))
    params = {"reduction": reduction}
    value = spec.evaluate(inputs, params).double().numpy()
    ref, steps = spec.reference(inputs, params)
    assert value.shape == expected.shape
    np.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-6)     # LossLab computes in float32
    np.testing.assert_allclose(np.asarray(ref, dtype=float), expected, rtol=1e-5, atol=1e-6)
    assert steps
    assert {d.key for d in spec.diagnose(inputs, params)} == DESERVED.get(name, set())
