"""The CTC trellis explorer: its pure model and figures (no Streamlit), then the panel through AppTest."""
import json
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from streamlit.testing.v1 import AppTest

from losses import InputError
from losses import ctc_explorer as cx
from ui.i18n import t
from ui.panels import trellis_figures as tf
from words import opening

APP = str(Path(__file__).resolve().parent.parent / "app.py")
LABELS = {k: k for k in ("x", "y", "title_log_alpha", "title_posterior", "cbar_log_alpha", "cbar_posterior", "live",
                         "skip", "dead", "forbidden", "best", "start", "end", "share", "through")}
PARAMS = {"blank": 0, "reduction": "mean", "zero_infinity": False}


def test_alphabet_follows_the_blank_index():
    assert cx.symbols(4, 0) == ["-", "a", "b", "c"]
    assert cx.symbols(4, 2) == ["a", "b", "-", "c"]
    assert cx.parse_label("aab", 3, 0).tolist() == [1, 1, 2]
    assert cx.parse_label("aab", 3, 2).tolist() == [0, 0, 1]
    assert cx.parse_label(" A b ", 4, 3).tolist() == [0, 1]
    assert cx.parse_label("", 3, 0).tolist() == []


@pytest.mark.parametrize("text,C,blank,needle", [("a-b", 3, 0, "blank"), ("abc", 3, 0, "alphabet"),
                                                 ("ab", 3, 3, "blank must be in label range"),
                                                 ("a`b", 3, 0, "alphabet"), ("abababab a", 3, 0, "at most")])
def test_bad_labels_are_bilingual_errors(text, C, blank, needle):
    with pytest.raises(InputError) as info:
        cx.parse_label(text, C, blank)
    assert needle in info.value.en and any("\u4e00" <= ch <= "\u9fff" for ch in info.value.zh)


def test_hand_set_logits_are_checked():
    with pytest.raises(InputError):
        cx.check_logits([[0.0, np.nan]])
    with pytest.raises(InputError):
        cx.check_logits([[0.0, 99.0]])
    assert cx.check_logits([[0.0, 1.0]]).shape == (1, 2)


def _case(text="aab", T=6, C=3, blank=0, seed=0):
    label = cx.parse_label(text, C, blank)
    z = cx.random_logits(T, C, seed, 1.5)
    return label, z, cx.analyse(cx.log_softmax(z), label, blank)


def test_listed_alignments_sum_to_torchs_probability():
    label, z, tr = _case()
    rows = cx.alignment_rows(tr, cx.symbols(3, 0))
    assert len(rows) == tr.n_alignments == 28
    assert all(r["collapsed"] == "aab" for r in rows)
    assert [r["prob"] for r in rows] == sorted((r["prob"] for r in rows), reverse=True)
    expected = F.ctc_loss(torch.log_softmax(torch.tensor(z), -1)[:, None], torch.tensor([label.tolist()]),
                          torch.tensor([6]), torch.tensor([3]), reduction="sum")
    assert sum(r["prob"] for r in rows) == pytest.approx(float(torch.exp(-expected)), rel=1e-9)
    # The most probable single path is the first row of the list.
    best = "".join(cx.symbols(3, 0)[k] for k in tr.path_classes(tr.best))
    assert rows[0]["path"] == best


def test_torch_value_and_gradient_follow_the_params():
    label, z, tr = _case()
    for reduction, divisor in (("mean", 3.0), ("sum", 1.0), ("none", 1.0)):
        loss, per_seq, grad = cx.torch_loss_and_grad(z, label, {**PARAMS, "reduction": reduction})
        assert loss == pytest.approx(per_seq / divisor, rel=1e-6)
        np.testing.assert_allclose(grad, (np.exp(tr.lp) - tr.gamma()) / divisor, atol=1e-5)
    # Too short: inf and NaN gradient, or 0 and a zero gradient with zero_infinity.
    label, z, tr = _case(T=3)
    assert not tr.feasible and tr.n_alignments == 0 and tr.best is None and tr.alignments == []
    loss, _, grad = cx.torch_loss_and_grad(z, label, PARAMS)
    assert np.isinf(loss) and np.isnan(grad).all()
    loss, _, grad = cx.torch_loss_and_grad(z, label, {**PARAMS, "zero_infinity": True})
    assert loss == 0.0 and (grad == 0).all()


def _traces(fig):
    return {tr.name: tr for tr in fig.data if tr.type == "scatter"}


def test_trellis_figure_draws_the_repeat_rule_and_the_lattice():
    _, _, tr = _case()
    fig = tf.trellis_figure(tr, cx.symbols(3, 0), LABELS)
    heat = fig.data[0]
    assert heat.type == "heatmap" and np.asarray(heat.z).shape == (7, 6)          # rows l', columns t
    assert np.isnan(np.asarray(heat.z, dtype=float)[2:, 0]).all()                 # t=1 reaches rows 1-2 only
    traces = _traces(fig)
    assert {"forbidden", "live", "skip", "best", "start", "end"} <= set(traces)
    # Forbidden skips: only from row 2 ('a') to row 4 ('a'), never anywhere else.
    ys = [y for y in traces["forbidden"].y if y is not None]
    assert min(ys) > 2 and max(ys) < 4
    # No repeat, no forbidden skip.
    _, _, tr2 = _case(text="ab")
    assert "forbidden" not in _traces(tf.trellis_figure(tr2, cx.symbols(3, 0), LABELS))
    post = tf.trellis_figure(tr, cx.symbols(3, 0), LABELS, view="posterior").data[0]
    z = np.asarray(post.z, dtype=float)
    np.testing.assert_allclose(np.nansum(z, axis=0), 1.0, atol=1e-9)              # every frame carries all of p


def test_infeasible_trellis_and_nan_gradient_figures():
    label, z, tr = _case(T=3)
    fig = tf.trellis_figure(tr, cx.symbols(3, 0), LABELS)
    assert "live" not in _traces(fig) and "best" not in _traces(fig)
    _, _, grad = cx.torch_loss_and_grad(z, label, PARAMS)
    heat = tf.class_heatmap(grad, cx.symbols(3, 0), 0, {"x": "t", "class": "k", "blank": "blank"}, "g", "g",
                            diverging=True).data[0]
    assert all(v == "NaN" for row in heat.text for v in row)


# ---- the panel in the app -----------------------------------------------------------------------------
def open_ctc(lang="en", **query):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/ctc.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def trellis_spec(at):
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if spec["data"][0].get("type") == "heatmap" and spec["data"][0].get("customdata"):
            return spec
    raise AssertionError("no trellis")


def metric(at, start):
    return next(m.value for m in at.metric if m.label.startswith(start))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_panel_renders_and_reacts(lang):
    at = open_ctc(lang)
    assert not at.error
    assert metric(at, t("ctc_m_count", lang)) == "28"
    before = trellis_spec(at)
    at.text_input(key="ctc.label").input("ab").run()
    assert not at.exception and metric(at, t("ctc_m_count", lang)) == "70"
    assert trellis_spec(at)["data"] != before["data"]
    # T too short for "aab" once the label is back: inf, a warning, and zero_infinity turns it into 0.
    at.text_input(key="ctc.label").input("aab").run()
    at.slider(key="ctc.T").set_value(3).run()
    assert at.warning and metric(at, opening("ctc_m_loss", lang)) == "inf"
    at.toggle(key="ctc.zero_infinity").set_value(True).run()
    assert metric(at, opening("ctc_m_loss", lang)) == "0.00000"
    assert not at.exception


def test_panel_blank_index_alphabet_and_errors():
    at = open_ctc("zh", **{"ctc.label": "ab", "ctc.T": "4"})
    at.slider(key="ctc.blank").set_value(5).run()
    assert at.error and any("\u4e00" <= ch <= "\u9fff" for ch in at.error[0].value)   # the typed example: C = 3
    # the explorer grows its alphabet to C = 6 instead of hiding every plot: blank 5 is its last class
    assert any("C = 6" in i.value for i in at.info)
    assert len(trellis_spec(at)["data"][0]["customdata"]) and not at.exception
    assert any("5 = `-`" in m.value for m in at.markdown)
    at.slider(key="ctc.C").set_value(6).run()
    assert not at.exception
    at.text_input(key="ctc.label").input("a-b").run()
    assert at.error and "blank" in at.error[0].value


def test_panel_hand_set_and_posterior_view():
    at = open_ctc("en", **{"ctc.T": "4", "ctc.label": "ab"})
    at.radio(key="ctc.dist").set_value("uniform").run()
    assert not at.exception
    # Uniform over 3 classes: p = 15 / 3^4, the number of alignments over the number of paths.
    assert metric(at, "valid") == "15"
    assert float(metric(at, "p(")) == pytest.approx(15 / 81, rel=1e-4)
    at.radio(key="ctc.view").set_value("posterior").run()
    assert trellis_spec(at)["layout"]["title"]["text"].startswith("Where")
    assert not at.get("data_editor")
    at.radio(key="ctc.dist").set_value("hand").run()
    assert not at.exception and len(at.get("data_editor")) == 1   # the logits table to edit
    assert metric(at, "valid") == "15"
