"""How a spec says when the chooser (losses/chooser.py) recommends it: `chooser=(rule(...), ...)` on the
LossSpec. Words by key in content/<lang>/messages/chooser.toml: rule.<id>.reason and
rule.<id>.alternative.<slug>. Ties between two rules that both hold (as many conditions) go to the higher rank."""
from __future__ import annotations

from .spec import ChooserRule
from .text import M


def rule(rid: str, when: dict, settings: str, alternatives: tuple = (), *, rank: int = 0, addenda: tuple = (),
         reason: str = "") -> ChooserRule:
    """A rule whose words are under rule.<rid> (its reason may be another rule's: `reason`)."""
    return ChooserRule(tuple(when.items()), M(f"chooser.rule.{reason or rid}.reason"), settings,
                       tuple((slug, M(f"chooser.rule.{rid}.alternative.{slug}")) for slug in alternatives),
                       addenda, rank)


def addendum(question: str, answer: str, name: str) -> tuple:
    return (question, answer, M(f"chooser.addendum.{name}"))


NO_SOFTMAX = addendum("output", "probabilities", "remove_softmax")
