"""Margin family pages in AppTest: the panels render in both languages and react to their widgets, and the
numbers they show are torch's."""

import pytest
import torch
import torch.nn.functional as F
from streamlit.testing.v1 import AppTest

from app_pages import set_param, chart, markdown_tables, open_page as app_open_page
from ui.i18n import t
from words import opening




def open_page(slug: str, lang: str = "en"):
    at = app_open_page(slug, lang)
    assert not at.error, [e.value for e in at.error]
    return at


def metric(at: AppTest, label: str) -> float:
    return float(next(m for m in at.metric if m.label == label).value)


def texts(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown) + " " + " ".join(m.value for m in at.caption)


@pytest.mark.parametrize("slug", ["triplet_margin", "triplet_margin_with_distance"])
def test_triplet_view_follows_the_points_and_swap(slug):
    at = open_page(slug)
    before = chart(at, "tv_fig")
    assert metric(at, "loss (torch)") == pytest.approx(0.5, abs=1e-4)  # a=(0,0), p=(0,1), n=(1.5,0), margin 1
    at.slider(key=f"{slug}.tv_nx").set_value(3.0).run()
    assert not at.exception
    assert metric(at, "loss (torch)") == pytest.approx(0.0, abs=1e-6)   # the negative left the ring
    assert chart(at, "tv_fig") != before
    at.button(key=f"{slug}.tv_btn_swap").click().run()                  # a=(0,0), p=(1,0), n=(2,0)
    assert metric(at, "loss (torch)") == pytest.approx(0.0, abs=1e-5)
    at.toggle(key=f"{slug}.swap").set_value(True).run()
    assert metric(at, "loss (torch)") == pytest.approx(1.0, abs=1e-4)   # d(p,n) = 1 is used
    assert any("d(p, n) < d(a, n)" in i.value for i in at.info)
    names = [tr.get("name", "") for tr in chart(at, "tv_fig")["data"]]
    assert any("d(p, n)" in n and "used by the loss" in n for n in names)


def test_triplet_with_distance_cosine_view_is_a_cone():
    slug = "triplet_margin_with_distance"
    at = open_page(slug, "zh")
    at.button(key=f"{slug}.tv_btn_direction").click().run()
    at.selectbox(key=f"{slug}.distance_function").set_value("cosine").run()
    assert not at.exception and not at.error
    a, p, n = [1.0, 0.0], [3.0, 1.0], [0.4, 0.5]
    expected = F.triplet_margin_with_distance_loss(
        torch.tensor([a]), torch.tensor([p]), torch.tensor([n]),
        distance_function=lambda x, y: 1 - F.cosine_similarity(x, y), margin=1.0)
    assert metric(at, t("mg_tv_loss", "zh")) == pytest.approx(float(expected), abs=1e-4)   # "loss (torch)"
    data = chart(at, "tv_fig")["data"]
    assert any(tr.get("text") == [t("mg_tv_origin", "zh")] for tr in data)  # cosine: the origin matters


def test_cosine_view_band_and_losses():
    slug = "cosine_embedding"
    at = open_page(slug)
    x1, x2 = [1.5, 0.5], [0.5, 1.5]
    cos = float(F.cosine_similarity(torch.tensor(x1), torch.tensor(x2), dim=0))
    assert metric(at, "loss if y = +1") == pytest.approx(1 - cos, abs=1e-4)
    assert metric(at, "loss if y = −1") == pytest.approx(max(0.0, cos), abs=1e-4)
    assert at.warning and "inside the band" in at.warning[0].value
    at.slider(key=f"{slug}.cv_x21").set_value(-1.5).run()  # x2 = (0.5, -1.5): beyond 90°
    assert metric(at, "loss if y = −1") == 0.0
    assert any("outside the band" in s.value for s in at.success)
    set_param(at, slug, "margin", 0.5)
    assert "60.0°" in texts(at)


def test_multi_margin_bars_follow_scores_and_class():
    slug = "multi_margin"
    at = open_page(slug)
    loss = lambda: float(chart(at, "mb_fig")["layout"]["title"]["text"].split("loss = ")[1].split(" ")[0])
    assert loss() == pytest.approx(0.325, abs=1e-4)  # the torch docs example: [0.1, 0.2, 0.4, 0.8], y = 3
    at.selectbox(key=f"{slug}.mb_y4").set_value(0).run()
    assert loss() == pytest.approx(float(F.multi_margin_loss(torch.tensor([[0.1, 0.2, 0.4, 0.8]]), torch.tensor([0]))),
                                   abs=1e-4)
    at.selectbox(key=f"{slug}.p").set_value(2).run()
    assert loss() == pytest.approx(float(F.multi_margin_loss(torch.tensor([[0.1, 0.2, 0.4, 0.8]]), torch.tensor([0]),
                                                             p=2)), abs=1e-4)
    at.selectbox(key=f"{slug}.mb_y4").set_value(3).run()
    at.slider(key=f"{slug}.mb_x3").set_value(3.0).run()  # the true class far ahead: no violator
    assert loss() == 0.0 and at.success


def test_multilabel_pairs_follow_the_edited_target():
    slug = "multilabel_margin"
    at = open_page(slug)
    assert "**0.8500**" in texts(at)  # the notes' example: y = [3, 0, -1, 1]
    tables = markdown_tables(at)
    assert any("j=" not in str(t) and len(t) == 1 + 4 for t in tables)  # a header and four (j, i) pairs
    at.selectbox(key=f"{slug}.ml4_y2").set_value(1).run()  # y = [3, 0, 1, 1]: no -1, class 1 counted twice
    assert not at.exception
    value = float(F.multilabel_margin_loss(torch.tensor([[0.1, 0.2, 0.4, 0.8]]), torch.tensor([[3, 0, 1, 1]])))
    assert f"**{value:.4f}**" in texts(at)
    assert "No −1" in texts(at) and "1 ×2" in texts(at)
    at.selectbox(key=f"{slug}.ml4_y0").set_value(-1).run()  # a -1 first: no target at all
    assert "**0.0000**" in texts(at)


@pytest.mark.parametrize("slug", ["margin_ranking", "hinge_embedding", "cosine_embedding"])
def test_target_builder_flags_zero_one_labels(slug):
    at = open_page(slug)
    assert any("without an error" in w.value for w in at.warning)  # opens on the 1/0 mistake
    at.radio(key=f"{slug}.tf_enc").set_value("pm1").run()
    assert not any("without an error" in w.value for w in at.warning)
    assert any("format torch expects" in s.value for s in at.success)
    at.radio(key=f"{slug}.tf_enc").set_value("custom").run()
    at.text_input(key=f"{slug}.tf_custom").input("[1, 2, 0, 0, 1]").run()  # wrong length: a message, no crash
    assert not at.exception and at.error


def test_multilabel_builder_flags_one_hot():
    slug = "multilabel_margin"
    at = open_page(slug, "zh")
    misread = opening("mg_tf_ml_flag", "zh")                     # "torch accepted this row ... but misread it"
    assert any(misread in w.value for w in at.warning)
    at.radio(key=f"{slug}.tf_ml_enc").set_value("indices").run()
    assert not any(misread in w.value for w in at.warning)
    at.radio(key=f"{slug}.tf_ml_enc").set_value("custom").run()
    at.text_input(key=f"{slug}.tf_ml_custom").input("[3, 9, -1, -1]").run()  # out of range: a message
    assert not at.exception and at.error and any("\u4e00" <= ch <= "\u9fff" for ch in at.error[0].value)
