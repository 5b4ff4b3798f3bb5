"""Classification panels: the pure figure builders return torch's numbers, and in the running app each panel
renders in both languages, follows the worked example and reacts to its own widgets."""

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
import torch.nn.functional as F
from streamlit.testing.v1 import AppTest

from app_pages import set_param, chart as app_chart, headings, open_page, tables_text
from losses import REGISTRY
from losses import classification_sweeps as cs
from ui.i18n import t
from ui.panels import classification_figures as cf



# ---- pure builders ---------------------------------------------------------------------------------------

def test_pixel_maps_show_the_none_loss_per_pixel():
    spec = REGISTRY["nll"]
    ex = next(e for e in spec.examples if e.key == "image")
    none = spec.evaluate(ex.inputs, {**ex.params, "reduction": "none"}).double().numpy()[0]
    x = np.asarray(ex.inputs["input"])[0]
    y = np.asarray(ex.inputs["target"])[0]
    fig = go.Figure(cf.pixel_maps(y, x, none, 255, {"target": "t", "pred": "p", "loss": "l", "ignored": "ign."}))
    target, pred, loss = fig.data
    assert np.isnan(np.asarray(target.z)[1, 2]) and target.text[1][2] == "ign."
    np.testing.assert_array_equal(np.asarray(pred.z), x.argmax(0))
    shown = np.asarray(loss.z, dtype=float)
    np.testing.assert_allclose(np.nan_to_num(shown), np.where(y == 255, 0, none), rtol=1e-6)
    assert loss.text[2][2] == f"{none[2, 2]:.3f}"


def test_prob_bars_hold_the_given_distributions():
    p = torch.softmax(torch.tensor([2.0, 1.0, 0.1]), 0).numpy()
    fig = go.Figure(cf.prob_bars_figure([("softmax", p), ("target", np.eye(3)[0])], {"x": "c", "y": "p", "title": "t"}))
    np.testing.assert_allclose(fig.data[0].y, p)
    assert sum(fig.data[0].y) == pytest.approx(1.0) and list(fig.data[1].y) == [1, 0, 0]


def test_pos_weight_raises_recall_and_shifts_the_intercept_by_log_p():
    values = (0.25, 1.0, 3.0, 9.0)
    fit = cs.pos_weight_fit(values)
    assert list(fit["recall"]) == sorted(fit["recall"]) and fit["recall"][-1] > fit["recall"][1] + 0.3
    assert fit["precision"][-1] < fit["precision"][1]
    shift = fit["b"] - fit["b"][1]
    np.testing.assert_allclose(shift, np.log(values), atol=0.05)
    # the fit is a minimum of torch's loss: its autograd gradient vanishes there
    x, y = (torch.tensor(a) for a in cs.imbalanced_data())
    th = torch.tensor([fit["w"][2], fit["b"][2]], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(th[0] * x + th[1], y, pos_weight=torch.tensor(3.0, dtype=torch.float64))
    (g,) = torch.autograd.grad(loss, th)
    assert float(g.abs().max()) < 1e-8


def test_focal_curves_are_factor_times_ce():
    d = cs.focal_curves((0.5, 2.0), n=50)
    np.testing.assert_allclose(d["ce"], -np.log(d["p_t"]), rtol=1e-9)
    for g in (0.5, 2.0):
        np.testing.assert_allclose(d["factor"][g], (1 - d["p_t"]) ** g, rtol=1e-9)
        np.testing.assert_allclose(d["fl"][g], d["factor"][g] * d["ce"], rtol=1e-9)
    fig = cf.focal_figure(d, 2.0, {"x": "x", "loss": "l", "factor": "f", "ce": "CE", "fl": "FL {g}", "current": "me {g}"})
    assert any(tr.name == "me 2" and tr.line.width == 4 for tr in fig.data)


# ---- the running app -------------------------------------------------------------------------------------

def chart(at, key: str) -> dict:
    return app_chart(at, key)


def pick_example(at: AppTest, slug: str, key: str) -> None:
    idx = next(i for i, e in enumerate(REGISTRY[slug].examples) if e.key == key)
    at.selectbox(key=f"{slug}.example").set_value(idx).run()
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_saturation_panel_follows_target_and_logit(lang):
    at = open_page("binary_cross_entropy", lang)
    before = chart(at, "binary_cross_entropy.sat_fig")
    assert "100" in tables_text(at)            # x = 20, y = 0: BCELoss(sigmoid(20)) is clamped at 100
    at.radio(key="binary_cross_entropy.sat_y").set_value(1).run()
    at.slider(key="binary_cross_entropy.sat_x").set_value(-40.0).run()
    assert not at.exception
    assert chart(at, "binary_cross_entropy.sat_fig")["data"] != before["data"]
    text = tables_text(at)
    assert "4.24835e-06" in text and "-1" in text  # the collapsed gradient next to BCEWithLogitsLoss's −1
    heads = headings(at)
    assert (t("cls_sat_title", "zh") in heads) == (lang == "zh")


def test_pos_weight_panel_moves_recall():
    at = open_page("binary_cross_entropy_with_logits")
    assert float(at.metric[0].value) == pytest.approx(0.64, abs=0.02)     # the default p = 3
    at.select_slider(key="binary_cross_entropy_with_logits.pw_demo").set_value(1.0).run()
    recall_1 = float(at.metric[0].value)
    at.select_slider(key="binary_cross_entropy_with_logits.pw_demo").set_value(9.0).run()
    assert not at.exception
    assert float(at.metric[0].value) > recall_1 + 0.3
    assert float(at.metric[1].value) < 0.5


def test_example_with_weight_fills_the_weight_field_and_the_mean_divides_by_it():
    at = open_page("cross_entropy")
    pick_example(at, "cross_entropy", "weighted")
    assert at.text_input(key="cross_entropy.weight").value == "[1, 2, 5]"
    assert any("1.2225" in m.value for m in at.markdown)  # torch's result
    assert "1 + 5 + 5 = 11" in tables_text(at)          # the reduction inspector's divisor
    pick_example(at, "cross_entropy", "indices")
    assert at.text_input(key="cross_entropy.weight").value == ""


def test_extra_softmax_and_bars_follow_the_worked_example():
    at = open_page("cross_entropy", "zh")
    pick_example(at, "cross_entropy", "confident_wrong")
    text = tables_text(at)
    assert "10.0001" in text and "1.5514" in text
    bars = chart(at, "cross_entropy.bars_fig")["data"]
    assert len(bars) == 2                                  # softmax(input) and the target distribution
    set_param(at, "cross_entropy", "label_smoothing", 0.3)
    assert not at.exception
    smoothed = chart(at, "cross_entropy.bars_fig")["data"]
    assert smoothed[1] != bars[1]                          # the target bars are now (1 − ε)·one-hot + ε/C


def test_pixel_map_uses_the_image_example_and_shows_torchs_none_loss():
    at = open_page("cross_entropy")
    assert any("not an image" in c.value for c in at.caption)
    pick_example(at, "cross_entropy", "segmentation")
    assert not any("not an image" in c.value for c in at.caption)
    heat = chart(at, "cross_entropy.pix_fig")["data"]
    assert [t["type"] for t in heat] == ["heatmap"] * 3
    spec = REGISTRY["cross_entropy"]
    ex = next(e for e in spec.examples if e.key == "segmentation")
    none = spec.evaluate(ex.inputs, {**ex.params, "reduction": "none"}).numpy()[0]
    assert heat[2]["text"][2][2] == f"{none[2, 2]:.3f}" and heat[2]["text"][1][2] == "ign."


def test_nll_logprob_check_warns_on_raw_scores_only():
    at = open_page("nll")
    assert at.warning and "not log-probabilities" in at.warning[0].value
    assert "-0.534" in tables_text(at)
    pick_example(at, "nll", "logsoftmax")
    assert not at.warning and any("are log-probabilities" in s.value for s in at.success)


def test_focal_panel_follows_gamma_and_alpha():
    at = open_page("focal", "zh")
    names = [trace.get("name") for trace in chart(at, "focal.fl_fig")["data"]]
    assert t("cls_fl_current", "zh", g="2") in names               # "FL, γ = 2 (slider)"
    set_param(at, "focal", "gamma", 3.5)
    names = [trace.get("name") for trace in chart(at, "focal.fl_fig")["data"]]
    assert t("cls_fl_current", "zh", g="3.5") in names and not at.exception
    set_param(at, "focal", "alpha", -1.0)
    assert any(t("cls_fl_alpha_off", "zh") in c.value for c in at.caption) and not at.exception   # no weighting
    assert any("0.00e+00" in s.value or "e-0" in s.value for s in at.success)   # γ = 0 check still agrees


def test_panels_survive_bad_example_input():
    for slug in ("cross_entropy", "nll", "focal"):
        at = open_page(slug)
        first = REGISTRY[slug].arg_names[0]
        at.text_area(key=f"{slug}.ex0.{first}").input("[[1, 2], [3]]").run()
        assert not at.exception and at.error


def test_pixel_maps_one_hot_answer_is_built_only_once_opened():
    """The expander is lazy (ui/panels/pixel_map.py): closed, nothing of it is sent; opened, torch's answers."""
    at = open_page("cross_entropy")
    assert not any("Expected floating point type" in c.value for c in at.code)
    at.session_state["cross_entropy.pix_onehot"] = True
    at.run()
    assert not at.exception
    assert any("Expected floating point type for target" in c.value for c in at.code)   # torch refuses a Long one-hot
    spec = REGISTRY["cross_entropy"]
    ex = next(e for e in spec.examples if e.key == "segmentation")
    by_index = float(spec.evaluate(ex.inputs, {**ex.params, "reduction": "mean"}))
    assert any(f"{by_index:.6g}" in m.value for m in at.markdown)                     # the index map's value
