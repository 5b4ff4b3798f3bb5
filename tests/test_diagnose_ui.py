"""ui/diagnoses.py with AppTest: the warning is shown in the reader's language beside torch's value, and the
one-click fix rewrites the example's text field (the page's key f"{slug}.ex{idx}.{name}") until the warning
is gone. A small script mounts the example's text areas as the loss page does (ui/loss_page.py is the lead's)."""
import pytest
from streamlit.testing.v1 import AppTest

from words import opening

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _example_script():
    import streamlit as st

    from losses import REGISTRY
    from losses.parse import format_tensor_text
    from ui.diagnoses import render_diagnoses

    spec = REGISTRY[st.query_params.get("slug", "kl_div")]
    st.session_state.setdefault("lang", st.query_params.get("lang", "en"))
    ex = spec.examples[0]
    seeded = st.session_state.get("seed_inputs", {})
    inputs = {name: st.text_area(name, value=seeded.get(name, format_tensor_text(ex.inputs[name])),
                                 key=f"{spec.slug}.ex0.{name}") for name in spec.arg_names}
    params = spec.resolve_params(st.session_state.get("seed_params", {}))
    st.write(float(spec.evaluate(inputs, params).sum()))
    render_diagnoses(spec, inputs, params, 0)


def _run(slug: str, lang: str, inputs: dict, params: dict | None = None) -> AppTest:
    at = AppTest.from_function(_example_script, default_timeout=60)
    at.query_params["slug"] = slug
    at.query_params["lang"] = lang
    at.session_state["seed_inputs"] = inputs
    at.session_state["seed_params"] = params or {}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang, words, fix", [("en", "not log-probabilities", "log_softmax"),
                                              ("zh", opening("dg_kl_input_not_log", "zh"), "log_softmax")])
def test_kl_logits_show_torch_value_warning_and_log_softmax_fix(lang, words, fix):
    at = _run("kl_div", lang, {"input": "[[1.0, 0.5, -0.3]]", "target": "[[0.1, 0.1, 0.8]]"},
              {"reduction": "batchmean"})
    (warning,) = at.warning
    assert words in warning.value and "5.108" in warning.value   # exp(1) + exp(0.5) + exp(-0.3)
    (button,) = at.button
    assert fix in button.label
    button.click().run()
    assert not at.exception
    assert at.text_area(key="kl_div.ex0.input").value.startswith("[[-0.6")   # log_softmax of the logits
    assert not at.warning


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_zero_one_labels_fix_maps_to_plus_minus_one(lang):
    at = _run("margin_ranking", lang, {"input1": "[0.5, 0.1, 0.3]", "input2": "[0.2, 0.4, 0.3]",
                                       "target": "[1, 0, 1]"})
    assert len(at.warning) == 1 and ("±1" in at.warning[0].value)
    at.button[0].click().run()
    assert at.text_area(key="margin_ranking.ex0.target").value == "[1, -1, 1]"
    assert not at.warning


def test_broadcast_fix_reshapes_the_target_and_nothing_is_shown_for_clean_input():
    at = _run("mse", "en", {"input": "[[1.0], [2.0], [3.0]]", "target": "[1.5, 2.0, 2.5]"})
    assert "Silent broadcast" in at.warning[0].value and "(3, 3)" in at.warning[0].value
    at.button[0].click().run()
    assert at.text_area(key="mse.ex0.target").value == "[[1.5],\n [2],\n [2.5]]"
    assert not at.warning and not at.caption
