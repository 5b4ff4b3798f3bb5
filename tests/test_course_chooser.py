"""'Which loss should I use?': every row of the seed notes' table, every answer combination, and the claims
the recommendations make, checked with torch."""
import itertools

import pytest
import torch
import torch.nn.functional as F

from losses.chooser import NOTES_TABLE, QUESTION_BY_KEY, QUESTIONS, TORCH_NAMES, recommend, visible_questions
from ui.i18n import tr
from words import data

# The seed notes' (001) table, copied by hand (tests/data/zh_notes_table.toml): task -> the loss they recommend,
# and LossLab's answer for each (written independently of losses/chooser.py; the first slug is the main answer).
NOTES = {row["task"]: (row["notes_loss"], set(row["slugs"])) for row in data("zh_notes_table")["row"]}
ALL_SLUGS = set(TORCH_NAMES)


def test_the_table_has_every_row_of_the_notes():
    assert {tr(row.task, "zh"): row.notes_loss for row in NOTES_TABLE} == {k: v[0] for k, v in NOTES.items()}
    for row in NOTES_TABLE:    # the reason column is shown in the reader's language
        assert not any("\u4e00" <= c <= "\u9fff" for c in tr(row.notes_reason, "en") + tr(row.task, "en") + tr(row.correction, "en"))


@pytest.mark.parametrize("row", NOTES_TABLE, ids=lambda r: tr(r.task, "en"))
def test_chooser_answers_every_row_of_the_notes_table(row):
    for key, value in row.answers.items():
        assert value in QUESTION_BY_KEY[key].values, (key, value)
    # The answers that describe the row are the questions the page would show for them.
    shown = {q.key for q in visible_questions(row.answers)}
    assert set(row.answers) <= shown
    rec = recommend(row.answers)
    assert rec.slug in NOTES[tr(row.task, "zh")][1]
    assert rec.slug == row.expected[0]
    assert tr(rec.reason, "en").strip() and tr(rec.reason, "zh").strip()
    if row.correction:
        assert tr(row.correction, "en").strip() and any("\u4e00" <= c <= "\u9fff" for c in tr(row.correction, "zh"))


@pytest.mark.parametrize("answers, slug", [
    ({"task": "regression"}, "mse"),
    ({"task": "regression", "outliers": "yes"}, "huber"),
    ({"task": "regression", "outliers": "yes", "uncertainty": "yes"}, "gaussian_nll"),
    ({"task": "binary"}, "binary_cross_entropy_with_logits"),
    ({"task": "binary", "output": "probabilities"}, "binary_cross_entropy"),
    ({"task": "binary", "imbalance": "yes"}, "focal"),
    ({"task": "binary", "labels": "pm1"}, "soft_margin"),
    ({"task": "multiclass", "output": "log_probabilities"}, "nll"),
    ({"task": "multiclass", "output": "probabilities"}, "cross_entropy"),
    ({"task": "multiclass", "imbalance": "yes"}, "cross_entropy"),
    ({"task": "multilabel", "imbalance": "yes"}, "binary_cross_entropy_with_logits"),
    ({"task": "distribution"}, "kl_div"),
    ({"task": "counts"}, "poisson_nll"),
    ({"task": "embedding", "pairs": "triplets", "distance": "custom"}, "triplet_margin_with_distance"),
    ({"task": "embedding", "pairs": "pairs", "distance": "cosine"}, "cosine_embedding"),
    ({"task": "embedding", "pairs": "pairs", "distance": "euclidean"}, "hinge_embedding"),
    ({"task": "ranking"}, "margin_ranking"),
    ({"task": "sequence", "aligned": "yes"}, "cross_entropy"),
    ({"task": "sequence", "aligned": "no"}, "ctc"),
])
def test_specific_answers(answers, slug):
    assert recommend(answers).slug == slug


def test_every_combination_of_answers_gets_a_known_loss_in_both_languages():
    keys = [q.key for q in QUESTIONS]
    seen = set()
    for combo in itertools.product(*(q.values for q in QUESTIONS)):
        rec = recommend(dict(zip(keys, combo)))
        assert rec.slug in ALL_SLUGS
        assert tr(rec.reason, "en") and tr(rec.reason, "zh")
        for alt in rec.alternatives:
            assert alt.slug in ALL_SLUGS and alt.slug != rec.slug and tr(alt.why, "en") and tr(alt.why, "zh")
        seen.add(rec.slug)
        seen.update(a.slug for a in rec.alternatives)
    assert seen == ALL_SLUGS, ALL_SLUGS - seen  # every loss is reachable as an answer or an alternative


def test_invalid_answers_fall_back_to_the_first_option():
    assert recommend({"task": "astrology", "outliers": 3}).slug == recommend({}).slug == "mse"


# ---- the claims the recommendations make, checked with torch ------------------------------------------------
def test_multilabel_soft_margin_equals_bce_with_logits_mean():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(5, 4, generator=g)
    y = (torch.rand(5, 4, generator=g) > 0.5).float()
    assert torch.allclose(F.multilabel_soft_margin_loss(x, y), F.binary_cross_entropy_with_logits(x, y))


def test_soft_margin_equals_bce_with_logits_on_mapped_labels():
    g = torch.Generator().manual_seed(1)
    x = torch.randn(8, generator=g)
    y = torch.where(torch.rand(8, generator=g) > 0.5, 1.0, -1.0)
    assert torch.allclose(F.soft_margin_loss(x, y), F.binary_cross_entropy_with_logits(x, (y + 1) / 2))


def test_log_softmax_plus_nll_is_cross_entropy_and_softmax_first_is_not():
    g = torch.Generator().manual_seed(2)
    x = torch.randn(6, 5, generator=g) * 3
    y = torch.randint(0, 5, (6,), generator=g)
    assert torch.allclose(F.nll_loss(F.log_softmax(x, 1), y), F.cross_entropy(x, y))
    assert not torch.allclose(F.cross_entropy(F.softmax(x, 1), y), F.cross_entropy(x, y))


def test_mse_gradient_grows_with_the_error_and_huber_caps_it():
    r = torch.tensor([1.0, 10.0], requires_grad=True)
    (g_mse,) = torch.autograd.grad(F.mse_loss(r, torch.zeros(2), reduction="sum"), r)
    (g_hub,) = torch.autograd.grad(F.huber_loss(r, torch.zeros(2), reduction="sum", delta=1.0), r)
    assert torch.allclose(g_mse[1] / g_mse[0], torch.tensor(10.0))   # pulls 10 times harder ...
    assert torch.allclose(g_hub, torch.tensor([1.0, 1.0]))          # ... Huber: capped at delta


def test_kl_div_computes_kl_of_target_from_input_and_batchmean_is_the_math():
    p = torch.tensor([[0.7, 0.2, 0.1], [0.3, 0.3, 0.4]])
    q = torch.tensor([[0.5, 0.25, 0.25], [0.2, 0.5, 0.3]])
    math_kl = (p * (p / q).log()).sum(1).mean()
    assert torch.allclose(F.kl_div(q.log(), p, reduction="batchmean"), math_kl)
    assert not torch.allclose(F.kl_div(q.log(), p, reduction="mean"), math_kl)


def test_huber_note_states_what_an_outlier_adds():
    reason = recommend({"task": "regression", "outliers": "yes"}).reason
    assert "δ(|r| − δ/2)" in tr(reason, "en") and "δ(|r| − δ/2)" in tr(reason, "zh")
    for delta, r in ((1.0, 10.0), (1.5, -7.0), (0.3, 2.0)):
        value = float(F.huber_loss(torch.tensor([r]), torch.tensor([0.0]), delta=delta))
        assert value == pytest.approx(delta * (abs(r) - delta / 2), rel=1e-6)


def test_sequence_labelling_row_does_not_answer_ctc():
    row = next(r for r in NOTES_TABLE if tr(r.task, "en") == "Sequence labelling")
    assert recommend(row.answers).slug == "cross_entropy" and "CTCLoss" in tr(row.correction, "en")
