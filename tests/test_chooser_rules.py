"""The chooser is data: each loss's rules (LossSpec.chooser, built with losses/chooser_rules.rule) decide, the
words come from the catalog in both languages, and a new loss needs no change in losses/chooser.py."""
import dataclasses
import itertools

import pytest

from losses import REGISTRY
from losses import chooser
from losses.spec import ChooserRule
from losses.text import M, catalog

COMBOS = [dict(zip((q.key for q in chooser.QUESTIONS), c)) for c in itertools.product(*(q.values for q in chooser.QUESTIONS))]


def _picked(answers):
    return next(r for _, r in chooser.rules() if all(answers.get(q) == v for q, v in r.when))


def test_torch_names_are_the_registry_titles():
    assert chooser.TORCH_NAMES == {slug: spec.title for slug, spec in REGISTRY.items()}


def test_every_rule_names_real_questions_answers_and_losses():
    for slug, rule in chooser.rules():
        assert slug in REGISTRY
        for question, answer in rule.when:
            assert answer in chooser.QUESTION_BY_KEY[question].values, (slug, question, answer)
        for alt, _ in rule.alternatives:
            assert alt in REGISTRY and alt != slug, (slug, alt)


def test_no_rule_is_shadowed_by_another():
    picked = {id(_picked(a)) for a in COMBOS}
    dead = [slug for slug, rule in chooser.rules() if id(rule) not in picked]
    assert not dead, dead


def _messages():
    for q in chooser.QUESTIONS:
        yield q.label
        yield from (m for _, m in q.options)
    for _, rule in chooser.rules():
        yield rule.reason
        yield from (m for _, m in rule.alternatives)
        yield from (m for _, _, m in rule.addenda)
    for row in chooser.NOTES_TABLE:
        yield from (m for m in (row.task, row.notes_reason, row.correction) if m is not None)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chooser_key_is_written_in_each_language(lang):
    missing = sorted({m.key for m in _messages()} - set(catalog(lang)))
    assert not missing, missing


def test_addenda_follow_the_reason_in_the_reader_language():
    for lang in ("en", "zh"):
        plain = chooser.recommend({"task": "multiclass"}).reason.text(lang)
        softmax = chooser.recommend({"task": "multiclass", "output": "probabilities"}).reason.text(lang)
        both = chooser.recommend({"task": "multiclass", "output": "probabilities", "imbalance": "yes"}).reason.text(lang)
        assert softmax.startswith(plain) and len(softmax) > len(plain)
        assert both.startswith(softmax) and len(both) > len(softmax)


def test_a_new_loss_with_a_rule_on_its_spec_is_recommended_without_code_change(monkeypatch):
    rule = ChooserRule((("task", "ranking"),), M("chooser.rule.margin_ranking.reason"), "nn.NewLoss()",
                       (("margin_ranking", M("chooser.rule.mse.alternative.huber")),), rank=1)
    new = dataclasses.replace(REGISTRY["margin_ranking"], slug="new_loss", title="NewLoss", chooser=(rule,))
    chooser.rules.cache_clear()
    monkeypatch.setitem(REGISTRY, "new_loss", new)
    try:
        rec = chooser.recommend({"task": "ranking"})
        assert (rec.slug, rec.torch_name, rec.settings) == ("new_loss", "NewLoss", "nn.NewLoss()")
        assert [a.slug for a in rec.alternatives] == ["margin_ranking"]
        assert chooser.recommend({"task": "counts"}).slug == "poisson_nll"   # the others keep their answers
    finally:
        chooser.rules.cache_clear()
