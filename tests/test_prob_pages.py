"""The probabilistic pages in Streamlit (AppTest): panels react to their widgets, toggles move the curves,
every worked example agrees with NumPy, bad panel input is a message in the page's language."""

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import set_param, curve_traces, APP, chart as app_chart, open_page
from losses import REGISTRY
from ui.i18n import t
from words import opening

pytestmark = pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss:UserWarning")


def chart(at, key: str) -> list:
    return app_chart(at, key)["data"]


def tables_text(at: AppTest) -> str:
    return " ".join([t.value.to_string() for t in at.table] + [m.value for m in at.markdown if "|" in m.value])


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_kl_panel_edit_normalise_preset_and_batch(lang):
    at = open_page("kl_div", lang)
    assert not at.error
    before = [m.value for m in at.metric]
    assert len(before) == 4
    at.text_input(key="kl_div.kl_p").input("[0.5, 0.6, 0.1]").run()
    assert not at.exception
    assert at.error and "1.2" in at.error[0].value and has_cjk(at.error[0].value) == (lang == "zh")
    at.button(key="kl_div.kl_norm").click().run()
    assert not at.error
    assert at.text_input(key="kl_div.kl_p").value == "[0.4167, 0.5, 0.0833]"
    assert [m.value for m in at.metric] != before
    at.selectbox(key="kl_div.kl_preset").set_value(3).run()
    assert at.text_input(key="kl_div.kl_p").value.count(",") == 9
    ratio = [s.value for s in at.success if "'batchmean' / 'mean'" in s.value]
    assert ratio and "= 10" in ratio[0]
    table_before = tables_text(at)
    at.slider(key="kl_div.kl_batch").set_value(5).run()
    assert tables_text(at) != table_before and "input.size(0) = 5" in tables_text(at)
    at.text_input(key="kl_div.kl_q").input("[0.5, abc]").run()
    assert at.error and not at.exception


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_kl_inspector_explains_batchmean(lang):
    at = open_page("kl_div", lang)
    text = tables_text(at)
    assert "'batchmean'" in text and "input.size(0)" in text
    assert (opening("kl_div.divisor.batchmean", "zh") in text) == (lang == "zh")   # "the batch size input.size(0) ="


def test_poisson_toggles_move_the_curve_and_panel_follows_full():
    at = open_page("poisson_nll", "en")
    base = curve_traces(at)
    captions = " ".join(c.value for c in at.caption)
    assert "full is off" in captions
    at.toggle(key="poisson_nll.full").set_value(True).run()
    full = curve_traces(at)
    assert full != base and "full is on" in " ".join(c.value for c in at.caption)
    at.toggle(key="poisson_nll.log_input").set_value(False).run()
    assert curve_traces(at) != full
    assert not at.exception and not at.error


def test_gaussian_panel_follows_eps_and_error():
    at = open_page("gaussian_nll", "zh")
    first = tables_text(at)
    assert t("prob_gauss_clamped", "zh") in first                                  # "clamped"
    at.slider(key="gaussian_nll.gauss_d").set_value(1.5).run()
    second = tables_text(at)
    assert second != first
    set_param(at, "gaussian_nll", "eps", 0.5)
    assert tables_text(at) != second and not at.exception and not at.error


@pytest.mark.parametrize("slug", ["kl_div", "poisson_nll", "gaussian_nll", "soft_margin", "multilabel_soft_margin"])
def test_every_example_renders_and_agrees(slug):
    at = open_page(slug, "en")
    for i, ex in enumerate(REGISTRY[slug].examples):
        at.selectbox(key=f"{slug}.example").set_value(i).run()
        assert not at.exception, (slug, ex.key)
        assert not at.error, (slug, ex.key, [e.value for e in at.error])
        assert any("agree" in s.value for s in at.success), (slug, ex.key)
        for name, value in ex.params.items():     # the example's hyperparameters were loaded into the widgets
            if REGISTRY[slug].param(name).kind in ("bool", "choice"):
                widget = at.toggle(key=f"{slug}.{name}") if isinstance(value, bool) else at.selectbox(key=f"{slug}.{name}")
                assert widget.value == value


@pytest.mark.parametrize("slug,field,bad,word", [
    ("gaussian_nll", "var", "[0.25, -1, 1, 4]",               # torch itself rejects a negative variance
     t("likelihood.gaussian.error.var_negative", "zh", min=-1)),
])
def test_page_explains_bad_input_in_chinese(slug, field, bad, word):
    at = open_page(slug, "zh")
    at.text_area(key=f"{slug}.ex0.{field}").input(bad).run()
    assert not at.exception
    assert at.error and word in at.error[0].value and has_cjk(at.error[0].value)


@pytest.mark.parametrize("slug,field,bad,word", [
    ("kl_div", "input", "[[0.25, 0.5, 0.25]]", t("dg_kl_input_probs", "zh", name="input")),
    ("soft_margin", "target", "[1, 0, 0, 1]", "2·y − 1"),
    ("multilabel_soft_margin", "target", "[[1, -1, -1, -1], [0, 1, 0, 0]]", "-1"),
    ("poisson_nll", "target", "[-1]", t("dg_poisson_negative", "zh", count=1, lo="-1")),
])
def test_page_computes_a_silent_mistake_and_warns_in_chinese(slug, field, bad, word):
    """What torch accepts silently: torch's number is shown, and beside it a warning that says why."""
    at = open_page(slug, "zh")
    at.text_area(key=f"{slug}.ex0.{field}").input(bad).run()
    assert not at.exception and not at.error
    assert any(word in w.value and has_cjk(w.value) for w in at.warning), [w.value for w in at.warning]
    assert any("agree" in str(s.proto) or s.value for s in at.success)   # torch and NumPy still agree


def test_kl_panel_preset_from_a_shared_link():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.query_params["kl_div.kl_preset"] = "2"
    at.switch_page("pages/kl_div.py")
    at.run()
    assert not at.exception
    assert at.text_input(key="kl_div.kl_p").value == "[0.5, 0.5, 0]"
    assert "∞" in [m.value for m in at.metric]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_kl_panel_offers_softmax_for_logits(lang):
    at = open_page("kl_div", lang)
    at.text_input(key="kl_div.kl_q").input("[2, -1, 0.5]").run()
    assert at.error and "softmax" in at.error[0].value and not at.exception
    assert at.button(key="kl_div.kl_norm").disabled              # no dividing raw scores by their sum
    assert any("log_softmax" in c.value for c in at.caption)
    at.button(key="kl_div.kl_softmax").click().run()
    assert not at.error and not at.exception
    assert at.text_input(key="kl_div.kl_q").value == "[0.7856, 0.0391, 0.1753]"
