"""Issue 19: what torch accepts silently is computed (evaluate and the NumPy reference equal torch) and
diagnosed; every warning has a case here that triggers it, and every one-click fix removes its warning."""
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from diagnosed import assert_computed_and_warned
from losses import REGISTRY, InputError
from losses.fixes import apply_fix
from losses.parse import format_tensor_text

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")   # torch's own broadcast / KL 'mean' warnings
CONTENT = Path(__file__).resolve().parent.parent / "content"
# {key: {lang: words}}, the shape the tests below read (content/<lang>/ui/diagnose.toml)
MESSAGES = {}
for _lang in ("en", "zh"):
    for _k, _v in tomllib.loads((CONTENT / _lang / "ui" / "diagnose.toml").read_text(encoding="utf-8")).items():
        MESSAGES.setdefault(_k, {})[_lang] = _v
LP = np.log([[0.2, 0.3, 0.5]]).tolist()

# (slug, inputs, params, the warning it must give)
CASES = [
    ("mse", {"input": [[1.0], [2.0], [3.0]], "target": [1.0, 2.0, 3.0]}, {}, "dg_broadcast"),
    ("l1", {"input": [1.0, 2.0], "target": [0.5]}, {}, "dg_broadcast"),
    ("huber", {"input": [[1.0, 2.0]], "target": [[0.0], [1.0]]}, {}, "dg_broadcast"),
    ("smooth_l1", {"input": [1.0, 2.0, 3.0], "target": [[1.0, 2.0, 3.0]]}, {}, "dg_broadcast"),
    ("binary_cross_entropy", {"input": [[0.2, 0.7, 0.1], [0.5, 0.5, 0.5], [0.9, 0.1, 0.4]],
                              "target": [[0, 1, 0], [1, 1, 0], [1, 0, 0]]}, {"weight": [1.0, 2.0, 3.0]},
     "dg_weight_columns"),
    ("binary_cross_entropy", {"input": [0.0, 0.7], "target": [1.0, 1.0]}, {}, "dg_bce_saturated"),
    ("binary_cross_entropy_with_logits", {"input": [0.3, -1.2], "target": [1.7, 0.0]}, {}, "dg_bcel_target_range"),
    ("binary_cross_entropy_with_logits", {"input": [0.3, -1.2], "target": [1.0, -1.0]}, {}, "dg_bcel_target_range"),
    ("binary_cross_entropy_with_logits", {"input": [[2.0, -1.0], [0.5, 3.0]], "target": [[1.0, 0.0], [0.0, 1.0]]},
     {"weight": [1.0, 4.0]}, "dg_weight_columns"),
    ("binary_cross_entropy_with_logits", {"input": np.zeros((1, 2, 3, 2)).tolist(), "target": np.ones((1, 2, 3, 2)).tolist()},
     {"pos_weight": [1.0, 3.0]}, "dg_pos_weight_width"),
    ("binary_cross_entropy_with_logits", {"input": [0.73, 0.12, 0.95], "target": [1.0, 0.0, 1.0]}, {}, "dg_sigmoid_input"),
    ("cross_entropy", {"input": [[0.7, 0.2, 0.1]], "target": [0]}, {}, "dg_ce_softmax_input"),
    ("cross_entropy", {"input": [[1.0, 2.0, 3.0]], "target": [[0.5, 0.7, -0.2]]}, {}, "dg_ce_target_negative"),
    ("cross_entropy", {"input": [[1.0, 2.0, 3.0]], "target": [[1.0, 1.0, 0.0]]}, {}, "dg_ce_target_sum"),
    ("nll", {"input": [[-1.233, 2.657, 0.534]], "target": [2]}, {}, "dg_nll_not_log"),
    ("nll", {"input": [[0.1, 0.6, 0.3]], "target": [1]}, {}, "dg_nll_probs"),
    ("kl_div", {"input": [[0.2, 0.3, 0.5]], "target": [[0.1, 0.1, 0.8]]}, {"reduction": "batchmean"},
     "dg_kl_input_probs"),
    ("kl_div", {"input": [[1.0, 0.5, -0.3]], "target": [[0.1, 0.1, 0.8]]}, {"reduction": "batchmean"},
     "dg_kl_input_not_log"),
    ("kl_div", {"input": LP, "target": [[0.1, 0.1, 0.5]]}, {}, "dg_kl_target_sum"),
    ("kl_div", {"input": LP, "target": [[0.1, 0.2, 0.3]]}, {"log_target": True}, "dg_kl_log_target_positive"),
    ("kl_div", {"input": LP[0], "target": [0.1, 0.1, 0.8]}, {"reduction": "batchmean"}, "dg_kl_batchmean_1d"),
    ("kl_div", {"input": LP * 2, "target": [0.1, 0.1, 0.8]}, {"reduction": "batchmean"}, "dg_broadcast"),
    ("poisson_nll", {"input": [0.5, 1.0], "target": [-2.0, 3.0]}, {}, "dg_poisson_negative"),
    ("gaussian_nll", {"input": [[1.0], [2.0]], "target": [1.0, 2.0], "var": [[1.0], [1.0]]}, {}, "dg_broadcast"),
    ("soft_margin", {"input": [2.0, -1.0, 0.5], "target": [1.0, 0.0, 0.0]}, {}, "dg_pm1_soft_margin"),
    ("multilabel_soft_margin", {"input": [[2.1, -0.2, 1.3, 0.4]], "target": [[3.0, 0.0, -1.0, -1.0]]}, {},
     "dg_mlsm_target"),
    ("multilabel_soft_margin", {"input": np.ones((1, 3, 2)).tolist(), "target": np.ones((1, 3, 2)).tolist()}, {},
     "dg_mlsm_class_last"),
    ("margin_ranking", {"input1": [0.5, 0.1], "input2": [0.2, 0.4], "target": [1.0, 0.0]}, {"margin": 0.2},
     "dg_pm1_margin_ranking"),
    ("margin_ranking", {"input1": [[0.5, 0.1], [0.3, 0.2]], "input2": [[0.2, 0.4], [0.1, 0.9]],
                        "target": [[1.0, -1.0], [1.0, 1.0]]}, {}, "dg_mr_embeddings"),
    ("hinge_embedding", {"input": [0.3, 1.2], "target": [1.0, 0.0]}, {}, "dg_pm1_hinge_embedding"),
    ("hinge_embedding", {"input": [-0.3, 1.2], "target": [1.0, -1.0]}, {}, "dg_hinge_negative_input"),
    ("cosine_embedding", {"input1": [[1.0, 0.0], [0.0, 1.0]], "input2": [[1.0, 1.0], [1.0, 1.0]], "target": [1.0, 0.0]},
     {}, "dg_pm1_cosine_embedding"),
    ("cosine_embedding", {"input1": [[1.0, 0.0]], "input2": [[1.0, 1.0]], "target": [1.0, -1.0, 1.0]}, {},
     "dg_cos_target_shape"),
    ("triplet_margin", {"anchor": [[0.5, 0.5]], "positive": [[0.5, 0.5]], "negative": [[0.5, 0.5]]}, {},
     "dg_triplet_collapsed"),
    ("multi_margin", {"input": [[0.1, 0.2, 0.7]], "target": [2]}, {}, "dg_softmax_scores"),
    ("multilabel_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[0, 0, 0, 1]]}, {}, "dg_mlm_multi_hot"),
    ("multilabel_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, -1, 0, 1]]}, {}, "dg_mlm_after_pad"),
    ("multilabel_margin", {"input": [[0.1, 0.2, 0.4, 0.8]], "target": [[3, 3, -1, -1]]}, {}, "dg_mlm_duplicate"),
    ("ctc", {"log_probs": [[0.2, 0.5, 0.3], [0.6, 0.2, 0.2], [0.3, 0.3, 0.4]], "targets": [1, 2],
             "input_lengths": 3, "target_lengths": 2}, {}, "dg_ctc_probs"),
    ("ctc", {"log_probs": [[1.2, -0.5, 0.3], [0.6, 2.2, 0.2], [0.3, 0.1, -0.4]], "targets": [1, 2],
             "input_lengths": 3, "target_lengths": 2}, {}, "dg_ctc_not_log"),
]
CASE_IDS = [f"{slug}-{key}-{i}" for i, (slug, _, _, key) in enumerate(CASES)]


@pytest.mark.parametrize("slug, inputs, params, key", CASES, ids=CASE_IDS)
def test_each_silent_mistake_is_computed_as_torch_does_and_warned(slug, inputs, params, key):
    found = assert_computed_and_warned(slug, inputs, params, key)
    for d in found:
        for lang in ("en", "zh"):
            MESSAGES[d.key][lang].format(**d.args)       # every placeholder is supplied (no KeyError)


@pytest.mark.parametrize("slug, inputs, params, key", CASES, ids=CASE_IDS)
def test_each_fix_removes_its_warning(slug, inputs, params, key):
    spec = REGISTRY[slug]
    (d,) = [d for d in spec.diagnose(inputs, params) if d.key == key]
    if d.fix is None:
        pytest.skip("no one-click fix for this warning")
    texts = {n: format_tensor_text(np.asarray(v).tolist()) for n, v in inputs.items()}
    params = dict(params)
    if d.fix.arg in spec.arg_names:
        texts[d.fix.arg] = apply_fix(slug, texts[d.fix.arg], d.fix)
    else:   # a tensor parameter (weight, pos_weight): its text field
        params[d.fix.arg] = apply_fix(slug, format_tensor_text(np.asarray(params[d.fix.arg]).tolist()), d.fix)
    after = spec.diagnose(texts, params)
    assert key not in [x.key for x in after], after
    spec.evaluate(texts, params)


def test_every_warning_key_has_a_case_and_both_languages():
    keys = {k for k in MESSAGES if k.startswith("dg_") and not k.startswith("dg_fix_") and k not in
            ("dg_title", "dg_fix_stale")}
    assert keys == {key for *_, key in CASES}
    for key, entry in MESSAGES.items():
        assert set(entry) == {"en", "zh"}, key
        assert sorted(re.findall(r"(?<!{){(\w+)}", entry["en"])) == sorted(re.findall(r"(?<!{){(\w+)}", entry["zh"])), key
        assert not re.search(r"[\u4e00-\u9fff]", entry["en"]), key
        assert re.search(r"[\u4e00-\u9fff]", entry["zh"]), key


def test_no_chinese_in_the_new_python():
    root = Path(__file__).resolve().parent.parent
    for path in ("losses/diagnosis.py", "losses/diagnose_rules.py", "losses/diagnose_margin.py", "losses/fixes.py",
                 "ui/diagnoses.py"):
        assert not re.search(r"[\u4e00-\u9fff]", (root / path).read_text(encoding="utf-8")), path


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_clean_sample_inputs_give_no_warning(slug):
    """Valid random inputs (the ones the contract tests use) raise nothing: a warning means something."""
    spec = REGISTRY[slug]
    rng = np.random.default_rng(19)
    for _ in range(10):
        inputs = spec.sample(rng)
        keys = {d.key for d in spec.diagnose(inputs, {})}
        if slug == "multilabel_margin":   # its samples put random classes after the -1 on purpose (ignored)
            keys -= {"dg_mlm_after_pad", "dg_mlm_duplicate"}
        assert not keys, (slug, keys, inputs)


# What torch rejects or leaves undefined stays refused: LossSpec.refusals, checked by tests/test_refusals.py.
