"""CONTRIBUTING.md's recipe, checked: a throw-away loss made of one spec and its two content files (in a
temporary content folder) renders as a full loss page in both languages, with its own words, a curve, a worked
example computed by torch beside its NumPy derivation, and its refusal; no other file of the app is touched."""
from __future__ import annotations

import json
import shutil
import textwrap

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import losses
from app_pages import curve_payload
from losses.reference.common import reduce
from losses.spec import Curve, Example, LossSpec, M, Refusal, Series, Step, reduction_param
from words import data

SLUG = "toy_abs"
TOY = data("toy_loss")   # its words in each language (tests/data/toy_loss.toml)
# The loss's own strings, in the TOML front matter of content/<lang>/toy_abs.md.
FRONT = """+++
[example.basic]
title = "{title}"
[curve]
x = "{x}"
loss = "|x − y|"
[step]
abs = "|x − y| = {{terms}}"
+++
"""


def _reference(inputs: dict, params: dict):
    x, y = (np.asarray(inputs[k], dtype=np.float64) for k in ("input", "target"))
    terms = np.abs(x - y)
    steps = [Step(M(f"{SLUG}.step.abs", terms=np.array2string(terms, separator=", ")))]
    return reduce(terms, params.get("reduction", "mean"), steps), steps


def _sample(rng):
    return {"input": rng.normal(size=4).tolist(), "target": rng.normal(size=4).tolist()}


def _spec() -> LossSpec:
    return LossSpec(
        slug=SLUG, title="ToyAbsLoss", family="regression", functional="l1_loss",
        formula=r"\ell_i = |x_i - y_i|", arg_names=("input", "target"), params=(reduction_param(),),
        examples=(Example("basic", M(f"{SLUG}.example.basic.title"),
                          {"input": [1.0, 2.0, 4.0], "target": [1.5, 2.0, 1.0]}, expected=7 / 6),),
        reference_fn=_reference, sample=_sample,
        curve=Curve(M(f"{SLUG}.curve.x"), (-2.0, 2.0), (Series(M(f"{SLUG}.curve.loss"), lambda x, p: x.abs()),)),
        refusals=(Refusal({"input": "[1, 2", "target": "[1, 2]"}, {}, "parse.unclosed"),))


@pytest.fixture
def toy_loss(tmp_path, monkeypatch):
    import losses.text as text
    import ui.i18n as i18n
    root = tmp_path / "content"
    shutil.copytree(text.CONTENT, root)
    for lang, words in TOY.items():  # the two content files: front matter + the sections
        (root / lang / f"{SLUG}.md").write_text(FRONT.format(**words) + textwrap.dedent(f"""\
            <!-- section: summary -->
            {words["summary"]}

            <!-- section: intuition -->
            ## {words["heading"]}

            {words["intuition"]}
            """), encoding="utf-8")
    monkeypatch.setattr(text, "CONTENT", root)
    monkeypatch.setattr(i18n, "CONTENT", root)
    monkeypatch.setitem(losses.REGISTRY, SLUG, _spec())  # the spec
    text.catalog.cache_clear(), i18n.strings.cache_clear(), i18n.load_content.cache_clear()
    yield SLUG
    text.catalog.cache_clear(), i18n.strings.cache_clear(), i18n.load_content.cache_clear()


def _page(lang: str) -> AppTest:
    def page(slug, lang):  # pages/<slug>.py's two lines, with the language set as the switch would
        import streamlit as st
        st.session_state["lang"] = lang
        from ui.loss_page import render_loss_page
        render_loss_page(slug)
    at = AppTest.from_function(page, args=(SLUG, lang), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang, title, words", [(lang, TOY[lang]["title"], TOY[lang]["word"]) for lang in ("en", "zh")])
def test_a_new_loss_needs_only_its_spec_and_two_content_files(toy_loss, lang, title, words):
    spec = losses.REGISTRY[toy_loss]
    value = float(spec.evaluate(spec.examples[0].inputs, {}))
    assert value == pytest.approx(7 / 6)
    at = _page(lang)
    shown = " ".join(m.value for m in at.markdown)
    assert TOY[lang]["summary"] in shown and TOY[lang]["intuition"] in shown       # its explanation
    assert title in [at.selectbox(key=f"{toy_loss}.example").format_func(0)] or title in shown
    assert "1.1666" in shown or "1.16667" in shown                                 # torch's value, live
    assert "|x − y| = [0.5, 0. , 3. ]" in shown                                    # its NumPy derivation
    fig = curve_payload(at)["fig"]                                                  # its curve, by torch
    assert words in json.dumps(fig["layout"], ensure_ascii=False) and fig["data"]
    assert not at.error


def test_a_new_loss_refuses_its_declared_bad_input(toy_loss):
    spec = losses.REGISTRY[toy_loss]
    with pytest.raises(losses.InputError) as info:
        spec.evaluate(spec.refusals[0].inputs, {})
    assert info.value.msg.key == spec.refusals[0].key
