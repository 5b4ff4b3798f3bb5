"""The quiz's sign diagnosis follows torch's answer: a negative answer is explained, never called impossible."""
import numpy as np
import pytest

from losses import REGISTRY
from ui.quiz import grade, questions
from words import opening

# What the sign diagnosis opens with: "your guess has the wrong sign: torch's answer is negative / positive".
SAYS_NEGATIVE, SAYS_POSITIVE = opening("quiz_sign_negative", "zh"), opening("quiz_sign_positive", "zh")


def _scalar_questions(negative: bool):
    for slug, spec in REGISTRY.items():
        for q in questions(spec):
            answer = spec.evaluate(q.inputs, q.params).detach().double().numpy()
            if answer.ndim == 0 and abs(float(answer)) > 0.05 and (float(answer) < 0) == negative:
                yield slug, spec, q, float(answer)


NEGATIVE = list(_scalar_questions(negative=True))


def _sign(spec, q, answer):
    g = grade(spec, q, repr(-answer))
    assert not g.correct
    return next((d for d in g.diagnoses if d.key == "sign"), None)


def test_torch_gives_negative_answers_in_the_quiz():
    # the NLL raw-score example and PoissonNLL without the log(y!) constant are negative in torch 2.13
    assert {"nll", "poisson_nll"} <= {slug for slug, *_ in NEGATIVE}


@pytest.mark.parametrize("slug,spec,q,answer", NEGATIVE, ids=[f"{s}-{q.example_index}-{q.params['reduction']}"
                                                              for s, _, q, _ in NEGATIVE])
def test_negative_answer_is_explained_not_contradicted(slug, spec, q, answer):
    d = _sign(spec, q, answer)
    assert d is not None
    assert "answer is negative" in d.en and SAYS_NEGATIVE in d.zh
    assert "is positive" not in d.en and SAYS_POSITIVE not in d.zh
    assert f"{answer:.6g}" in d.en                   # the true value is shown, with its minus sign


def test_negative_nll_names_the_raw_score():
    slug, spec, q, answer = next(item for item in NEGATIVE if item[0] == "nll")
    d = _sign(spec, q, answer)
    assert "−x[y]" in d.en and "−x[y]" in d.zh


def test_poisson_explanation_matches_torch():
    import torch
    value = float(torch.nn.functional.poisson_nll_loss(torch.tensor([10.0]), torch.tensor([10.0]), log_input=False))
    _, spec, q, answer = next(item for item in NEGATIVE if item[0] == "poisson_nll")
    assert f"{value:.2f}".replace("-", "−") in _sign(spec, q, answer).en


@pytest.mark.parametrize("slug", ["huber", "cross_entropy", "binary_cross_entropy", "mse"])
def test_positive_answer_says_positive(slug):
    spec = REGISTRY[slug]
    q = questions(spec)[0]
    answer = float(spec.evaluate(q.inputs, q.params))
    assert answer > 0
    d = _sign(spec, q, answer)
    assert d is not None and "answer is positive" in d.en and SAYS_POSITIVE in d.zh and "answer is negative" not in d.en
    assert np.isfinite(answer)
