"""Which loss should I use? Pure logic: answers -> a recommended loss, the reason, and alternatives.

Each loss says when it is the answer (ChooserRule: the answers that select it, its reason, the torch call,
alternatives), on its spec (LossSpec.chooser, built with losses/chooser_rules.py);
a new loss needs no change here. Tutorials often end with a task -> loss -> why table; NOTES_TABLE keeps each row
of a typical one, what it says, the answers that describe that task here, and what LossLab recommends instead
where the table is wrong or imprecise. Every word is in content/<lang>/messages/chooser.toml, by key (Msg).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import REGISTRY
from .spec import ChooserRule
from .text import M, Msg

# torch's name of every registered loss (its spec's title).
TORCH_NAMES = {slug: spec.title for slug, spec in REGISTRY.items()}


@dataclass(frozen=True)
class Question:
    key: str
    label: Msg
    options: tuple[tuple[str, Msg], ...]
    tasks: tuple[str, ...] = ()          # shown only for these task answers (empty: always)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.options)

    def applies(self, answers: dict) -> bool:
        return not self.tasks or answers.get("task") in self.tasks


def _question(key: str, values: tuple[str, ...], *tasks: str) -> Question:
    """Words: question.<key>.label and question.<key>.answer.<value>."""
    return Question(key, M(f"chooser.question.{key}.label"),
                    tuple((v, M(f"chooser.question.{key}.answer.{v}")) for v in values), tasks)


QUESTIONS: tuple[Question, ...] = (
    _question("task", ("regression", "binary", "multiclass", "multilabel", "distribution", "counts", "embedding",
                       "ranking", "sequence")),
    _question("outliers", ("no", "yes"), "regression"),
    _question("uncertainty", ("no", "yes"), "regression"),
    _question("output", ("logits", "probabilities", "log_probabilities"), "binary", "multiclass"),
    _question("labels", ("01", "pm1"), "binary"),
    _question("imbalance", ("no", "yes"), "binary", "multiclass", "multilabel"),
    _question("pairs", ("triplets", "pairs"), "embedding"),
    _question("distance", ("euclidean", "cosine", "custom"), "embedding"),
    _question("aligned", ("no", "yes"), "sequence"),
)

QUESTION_BY_KEY = {q.key: q for q in QUESTIONS}


@dataclass(frozen=True)
class Alternative:
    slug: str
    why: Msg


@dataclass(frozen=True)
class Recommendation:
    slug: str
    reason: Msg
    settings: str = ""                  # torch code for the recommended call, language-neutral
    alternatives: tuple[Alternative, ...] = ()

    @property
    def torch_name(self) -> str:
        return REGISTRY[self.slug].title


def defaults() -> dict:
    """The first option of every question."""
    return {q.key: q.values[0] for q in QUESTIONS}


def visible_questions(answers: dict) -> list[Question]:
    return [q for q in QUESTIONS if q.applies(answers)]


def normalise(answers: dict) -> dict:
    """Fill missing or invalid answers with the first option (the UI may pass partial dicts)."""
    out = defaults()
    for key, value in (answers or {}).items():
        if key in QUESTION_BY_KEY and value in QUESTION_BY_KEY[key].values:
            out[key] = value
    return out


@lru_cache(maxsize=1)
def rules() -> tuple[tuple[str, ChooserRule], ...]:
    """(slug, rule) of every registered loss, most specific first: most conditions, then the higher rank, then
    the registry's order."""
    found = [(slug, r) for slug, spec in REGISTRY.items() for r in spec.chooser]
    return tuple(sorted(found, key=lambda sr: (-len(sr[1].when), -sr[1].rank)))


def _reason(rule: ChooserRule, answers: dict) -> Msg:
    reason = rule.reason
    for question, answer, words in rule.addenda:
        if answers.get(question) == answer:
            reason = M(words.key, before=reason, **dict(words.args))
    return reason


def recommend(answers: dict) -> Recommendation:
    a = normalise(answers)
    for slug, rule in rules():
        if all(a.get(question) == answer for question, answer in rule.when):
            return Recommendation(slug, _reason(rule, a), rule.settings,
                                  tuple(Alternative(s, why) for s, why in rule.alternatives))
    raise ValueError(a["task"])


@dataclass(frozen=True)
class NotesRow:
    """One row of a typical task -> loss table: what it says, and the answers that describe the task."""
    task: Msg
    notes_loss: str
    notes_reason: Msg                   # the reason the table gives
    answers: dict
    expected: tuple[str, ...]           # slugs the chooser may answer for this row (first = main answer)
    correction: Msg | None = None       # None when the table's row is right


def _row(rid: str, notes_loss: str, answers: dict, expected: tuple[str, ...], corrected: bool = True) -> NotesRow:
    """Words: notes.<rid>.task, .says and .correction."""
    return NotesRow(M(f"chooser.notes.{rid}.task"), notes_loss, M(f"chooser.notes.{rid}.says"), answers, expected,
                    M(f"chooser.notes.{rid}.correction") if corrected else None)


NOTES_TABLE: tuple[NotesRow, ...] = (
    _row("robust", "SmoothL1Loss/HuberLoss", {"task": "regression", "outliers": "yes", "uncertainty": "no"},
         ("huber", "smooth_l1")),
    _row("precision", "MSELoss", {"task": "regression", "outliers": "no", "uncertainty": "no"}, ("mse",)),
    _row("binary", "BCEWithLogitsLoss", {"task": "binary", "output": "logits", "labels": "01", "imbalance": "no"},
         ("binary_cross_entropy_with_logits",), corrected=False),
    _row("multiclass", "CrossEntropyLoss", {"task": "multiclass", "output": "logits", "imbalance": "no"},
         ("cross_entropy",), corrected=False),
    _row("multilabel", "MultiLabelSoftMarginLoss", {"task": "multilabel", "imbalance": "no"},
         ("multilabel_soft_margin", "binary_cross_entropy_with_logits")),
    _row("metric", "TripletLoss/HingeLoss", {"task": "embedding", "pairs": "triplets", "distance": "euclidean"},
         ("triplet_margin", "triplet_margin_with_distance", "hinge_embedding", "cosine_embedding")),
    _row("sequence", "CTCLoss", {"task": "sequence", "aligned": "yes"}, ("cross_entropy",)),
)
