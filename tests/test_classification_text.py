"""Issue 17, classification losses: their words live in content/<lang>/ only, complete in both languages."""
import re
import string
from pathlib import Path

import pytest

from losses import REGISTRY
from losses.text import catalog

ROOT = Path(__file__).resolve().parent.parent
SLUGS = ("binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "nll", "focal")
NAMESPACES = SLUGS + ("classification", "weights", "binary", "class_targets", "multiclass")
MODULES = ("classification", "classification_shared", "binary", "focal", "multiclass", "class_targets", "weights",
           "typed_snippet", "reference/binary", "reference/multiclass")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _keys(lang: str) -> dict:
    return {k: v for k, v in catalog(lang).items() if k.split(".")[0] in NAMESPACES}


def _fields(words: str) -> list:
    return sorted(f for _, f, _, _ in string.Formatter().parse(words) if f is not None)


def test_every_key_in_both_languages_with_the_same_placeholders():
    en, zh = _keys("en"), _keys("zh")
    assert len(en) > 100 and set(en) == set(zh)
    for key in en:
        assert _fields(en[key]) == _fields(zh[key]), key
        assert not CJK.search(en[key]), key


@pytest.mark.parametrize("module", MODULES)
def test_modules_hold_no_chinese_and_stay_small(module):
    source = (ROOT / "losses" / f"{module}.py").read_text(encoding="utf-8")
    assert not CJK.search(source)
    assert len(source.splitlines()) <= 300


@pytest.mark.parametrize("slug", SLUGS)
def test_spec_text_comes_from_the_catalog(slug):
    """Every help, example title and curve label is a message whose key the catalog has (no dicts left)."""
    spec = REGISTRY[slug]
    msgs = [p.help for p in spec.params if p.name != "reduction"] + [ex.title for ex in spec.examples]
    msgs += [ex.note for ex in spec.examples if ex.note] + [spec.curve.x_label, *(s.name for s in spec.curve.series)]
    for m in msgs:
        assert not isinstance(m, dict), m
        assert m.key in catalog("zh") and m.text("en") and m.text("zh"), m.key
