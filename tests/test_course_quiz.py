"""Predict, then reveal: questions from every registered loss's worked examples, grading against torch, and
the diagnoses of wrong guesses (each mistake's value computed by torch here, independently of ui/quiz.py)."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from losses import REGISTRY, InputError
from ui.quiz import ABS_TOL, REL_TOL, grade, questions


def _torch(spec, q, **override):
    return spec.evaluate(q.inputs, {**q.params, **override}).detach().double().numpy()


def _text(v):
    v = np.asarray(v)
    return repr(float(v)) if v.ndim == 0 else str(v.tolist())


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_every_question_is_graded_against_torch(slug):
    spec = REGISTRY[slug]
    qs = questions(spec)
    if spec.examples:
        assert qs, "a loss with worked examples gets a quiz"
    assert {q.example_index for q in qs} <= set(range(len(spec.examples)))
    for q in qs:
        answer = _torch(spec, q)
        assert grade(spec, q, _text(answer)).correct
        if answer.ndim == 0:
            assert grade(spec, q, f"{float(answer):.3f}").correct          # rounded: still right
            wrong = float(answer) * 1.5 + 1.0
            g = grade(spec, q, repr(wrong))
            assert not g.correct and g.error == pytest.approx(abs(wrong - float(answer)), rel=1e-6)


def test_questions_ask_for_another_reduction_first():
    spec = REGISTRY["huber"]
    qs = questions(spec)
    assert qs[0].params["reduction"] == "sum" and qs[0].example_index == 0   # the page shows ex. 0 with 'mean'
    assert {(q.example_index, q.params["reduction"]) for q in qs} == {(i, r) for i in range(len(spec.examples))
                                                                      for r in ("mean", "sum")}
    assert any(q.params["delta"] == 3.0 for q in qs)                          # an example's own hyperparameter


def test_tolerance():
    spec = REGISTRY["mse"]
    q = next(q for q in questions(spec) if q.params["reduction"] == "mean")
    v = float(_torch(spec, q))
    assert grade(spec, q, repr(v * (1 + REL_TOL * 0.9))).correct
    assert not grade(spec, q, repr(v * (1 + REL_TOL * 1.5) + ABS_TOL)).correct


def _question(slug, reduction, **params):
    for q in questions(REGISTRY[slug]):
        if q.params["reduction"] == reduction and all(q.params.get(k) == v for k, v in params.items()):
            return q
    raise LookupError


def _keys(g):
    return [d.key for d in g.diagnoses]


def test_diagnosis_reduction_mix_up_points_at_the_reduction_step():
    spec = REGISTRY["huber"]
    q = _question("huber", "sum")
    x, y = (torch.tensor(np.asarray(parse_list(q.inputs[n]))) for n in ("input", "target"))
    mean = float(F.huber_loss(x, y, delta=q.params["delta"]))
    g = grade(spec, q, repr(mean))
    assert not g.correct and "reduction" in _keys(g)
    assert g.diagnoses[0].reduction_step
    assert "mean" in g.diagnoses[0].en and "mean" in g.diagnoses[0].zh


def test_diagnosis_single_element():
    spec = REGISTRY["mse"]
    q = _question("mse", "mean")
    x, y = (torch.tensor(np.asarray(parse_list(q.inputs[n]))) for n in ("input", "target"))
    last = float(F.mse_loss(x, y, reduction="none").ravel()[-1])
    g = grade(spec, q, repr(last))
    assert not g.correct and "element" in _keys(g)


def test_diagnosis_default_hyperparameters():
    spec = REGISTRY["huber"]
    q = _question("huber", "mean", delta=3.0)
    x, y = (torch.tensor(np.asarray(parse_list(q.inputs[n]))) for n in ("input", "target"))
    with_default = float(F.huber_loss(x, y))          # delta = 1, torch's default
    g = grade(spec, q, repr(with_default))
    assert not g.correct and "defaults" in _keys(g)
    assert "delta" in next(d for d in g.diagnoses if d.key == "defaults").en


def test_diagnosis_sibling_loss_sign_and_log_base():
    spec = REGISTRY["mse"]
    q = _question("mse", "mean")
    x, y = (torch.tensor(np.asarray(parse_list(q.inputs[n]))) for n in ("input", "target"))
    g = grade(spec, q, repr(float(F.l1_loss(x, y))))
    assert "sibling:l1" in _keys(g) and "L1Loss" in g.diagnoses[0].en
    answer = float(F.mse_loss(x, y))
    assert "sign" in _keys(grade(spec, q, repr(-answer)))
    assert "log_base" in _keys(grade(spec, q, repr(answer / math.log(2))))


def test_unexplained_guess_has_no_diagnosis():
    spec = REGISTRY["huber"]
    q = _question("huber", "sum")
    g = grade(spec, q, "123.456")
    assert not g.correct and g.diagnoses == []


def test_bad_guesses_are_input_errors_in_both_languages():
    spec = REGISTRY["huber"]
    q = questions(spec)[0]
    for bad in ["", "abc", "1, 2", "[1, 2, 3]", "__import__('os')"]:
        with pytest.raises(InputError) as err:
            grade(spec, q, bad)
        assert err.value.en and any("\u4e00" <= c <= "\u9fff" for c in err.value.zh)


def test_guess_for_reduction_none_is_a_list():
    spec = REGISTRY["l1"]
    q = questions(spec)[0]
    q_none = type(q)(q.example_index, q.title, q.inputs, {**q.params, "reduction": "none"})
    answer = _torch(spec, q_none)
    assert grade(spec, q_none, str(answer.round(4).tolist())).correct
    assert not grade(spec, q_none, str((answer + 1).tolist())).correct


def parse_list(text):
    """Parse the question's tensor text with LossLab's safe parser (never eval)."""
    from losses.parse import parse_tensor_text
    return parse_tensor_text(text)
