"""The course pages react to their widgets (AppTest): home search, chooser, compare sliders, theory bars,
glossary search, the quiz on a loss page, teacher mode, the CSV exports."""
import json
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from streamlit.testing.v1 import AppTest

from app_pages import curve_payload

from losses import REGISTRY
from losses import theory as th
from losses.chooser import recommend
from losses.curves import sweep
from ui.i18n import t
from words import data

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
Q = data("zh_queries")   # what a Chinese student types (tests/data/zh_queries.toml)


def run(page: str | None, lang: str = "en", **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    for k, v in query.items():
        at.query_params[k.replace("__", ".")] = v
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py")
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def links(at) -> list[str]:
    """The page's own links (the sidebar's navigation lists every page on every page)."""
    return [p.proto.label for p in at.main.get("page_link")]


def figures(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.latex])


# ---- home ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang, query", [("en", Q["cross_entropy"]), ("zh", Q["cross_entropy"]),
                                         ("en", "cross entropy"), ("zh", Q["mse"])])
def test_home_search_filters_the_cards(lang, query):
    at = run(None, lang, home__q=query)
    shown = {label.strip("*") for label in links(at)}
    if query == Q["mse"]:
        assert REGISTRY["mse"].title in shown and REGISTRY["l1"].title not in shown
    else:
        assert REGISTRY["cross_entropy"].title in shown if "cross_entropy" in REGISTRY else True
        assert REGISTRY["l1"].title not in shown and REGISTRY["huber"].title not in shown


def test_home_shows_every_registered_loss_with_a_thumbnail():
    at = run(None, "zh")
    shown = {label.strip("*") for label in links(at)}
    assert {s.title for s in REGISTRY.values() if (ROOT / "pages" / f"{s.slug}.py").exists()} <= shown
    thumbs = [f for f in figures(at)]
    assert len(thumbs) == sum(1 for s in REGISTRY.values() if s.curve is not None)
    at.text_input(key="home.q").input("no-such-loss").run()
    assert not at.exception and at.info and not figures(at)


# ---- chooser ------------------------------------------------------------------------------------------------
def test_chooser_updates_the_recommendation_and_the_url():
    at = run("choose", "en")
    assert any("MSELoss" in m.value for m in at.markdown)
    at.radio(key="choose.task").set_value("multiclass").run()
    assert not at.exception
    assert any("CrossEntropyLoss" in m.value for m in at.markdown)
    assert at.query_params["choose.task"] == "multiclass"
    at.radio(key="choose.output").set_value("log_probabilities").run()
    assert any(m.value.startswith("### `NLLLoss`") for m in at.markdown)


def test_chooser_restores_answers_from_the_url_in_chinese():
    at = run("choose", "zh", choose__task="embedding", choose__pairs="pairs", choose__distance="cosine")
    assert at.radio(key="choose.task").value == "embedding"
    expected = recommend({"task": "embedding", "pairs": "pairs", "distance": "cosine"})
    assert any(f"`{expected.torch_name}`" in m.value for m in at.markdown)
    assert any(t("course_choose_answer", "zh") in s.value for s in at.subheader)


def test_chooser_links_only_pages_that_exist(monkeypatch):
    from ui import choose, glossary
    monkeypatch.setattr(choose, "has_page", lambda slug: slug == "mse")
    assert choose.loss_link("mse", "zh") == "[MSELoss](mse?lang=zh)" if "mse" in REGISTRY else True
    assert choose.loss_link("ctc", "en") == "`CTCLoss`"
    assert glossary.has_page("no_such_slug") is False


# ---- compare ------------------------------------------------------------------------------------------------
def test_compare_regression_preset_overlays_four_losses_with_their_own_sliders():
    at = run("compare", "en")
    fig = figures(at)[0]
    names = [t["name"] for t in fig["data"] if t.get("showlegend", True) is not False]
    assert [n.split(" (")[0] for n in names] == ["L1Loss", "MSELoss", "SmoothL1Loss", "HuberLoss"]
    before = fig["data"]
    at.slider(key="compare.huber.delta").set_value(2.5).run()
    after = figures(at)[0]["data"]
    assert not at.exception and before != after
    assert any("delta=2.5" in t["name"] for t in after)
    # the SmoothL1 curve did not move: each loss has its own slider
    smooth = [i for i, t in enumerate(after) if t["name"].startswith("SmoothL1Loss")][0]
    assert before[smooth] == after[smooth]


def test_compare_classification_preset_and_its_sliders():
    at = run("compare", "zh", compare__view="classification")
    data = figures(at)[0]["data"]
    assert len(data) == 8                                  # 4 losses x (loss, gradient)
    at.slider(key="compare.focal.gamma").set_value(0.0).run()
    assert not at.exception and figures(at)[0]["data"] != data
    assert any(t("course_margin_hinge", "zh") in tr["name"] for tr in figures(at)[0]["data"])


@pytest.mark.parametrize("family", ["regression", "classification", "margin", "sequence"])
def test_compare_any_family(family):
    at = run("compare", "en", compare__view="family", compare__family=family)
    assert not at.exception
    from ui.compare import axis_groups
    if axis_groups(family):
        assert figures(at)


def test_compare_csv_matches_autograd_sweep():
    from ui.compare import entries_csv, family_entries
    entries = family_entries(["mse", "huber"], {"huber": {"delta": 0.5}}, "en")
    rows = [line.split(",") for line in entries_csv(entries).strip().splitlines()]
    assert rows[0] == ["x", "MSELoss loss", "MSELoss grad", "HuberLoss (delta=0.5) loss", "HuberLoss (delta=0.5) grad"]
    grid = np.array(rows[1:], dtype=float)
    np.testing.assert_allclose(grid[:, 1], grid[:, 0] ** 2, rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(grid[:, 2], 2 * grid[:, 0], rtol=1e-8, atol=1e-9)                  # d r²/dr = 2r
    np.testing.assert_allclose(grid[:, 4], np.clip(grid[:, 0], -0.5, 0.5), rtol=1e-8, atol=1e-9)


def test_compare_mixed_axes_sweeps_each_loss_over_its_own_range():
    from ui.compare import entries_csv, family_entries
    slugs = [s for s in REGISTRY if REGISTRY[s].curve is not None and REGISTRY[s].family == "classification"]
    entries = family_entries(slugs, {}, "zh")
    for slug, (_, loss, grad, x) in zip(slugs, entries):
        lo, hi = REGISTRY[slug].curve.x_range
        assert x[0] == lo and x[-1] == hi and loss.shape == grad.shape == x.shape
    text = entries_csv(entries)
    same = all(e[3].shape == entries[0][3].shape and np.allclose(e[3], entries[0][3]) for e in entries)
    if same:
        assert text.startswith("x,") and text.count("\n") == 1 + entries[0][3].size
    else:
        assert text.startswith("curve,x,loss,grad") and text.count("\n") == 1 + sum(e[3].size for e in entries)


@pytest.mark.parametrize("family", ["classification", "margin"])
def test_compare_all_losses_of_a_family_on_mixed_axes(family):
    from ui.compare import axis_groups
    groups = axis_groups(family)
    if len(groups) < 2:
        pytest.skip("one x-axis only")
    at = run("compare", "zh", compare__view="family", compare__family=family,
             **{f"compare__{family}__axis": str(len(groups))})
    names = {t["name"].split(" (")[0] for t in figures(at)[0]["data"]}
    assert names == {REGISTRY[s].title for g in groups.values() for s in g}
    assert any("：" in c.value or ":" in c.value for c in at.caption)      # each loss's own x-axis is listed


# ---- theory -------------------------------------------------------------------------------------------------
def test_theory_table_follows_the_bars_and_matches_torch():
    at = run("theory", "en")
    at.slider(key="theory.q0").set_value(0.9).run()
    assert not at.exception
    p = th.normalise([0.55, 0.25, 0.15, 0.05])
    q = th.normalise([0.9, 0.25, 0.25, 0.25])
    table = at.table[0].value
    values = dict(zip(table.iloc[:, 0], table["torch"]))
    assert float(values["KL(p‖q)"]) == pytest.approx(th.torch_values(p, q)["KL_pq"], abs=1e-4)
    ce = float(F.cross_entropy(torch.tensor(np.log(q))[None], torch.tensor(p)[None]))   # nats
    assert float(values["H(p, q)"]) == pytest.approx(ce / np.log(2), abs=1e-4)
    assert at.success


def test_theory_zero_probability_and_units():
    at = run("theory", "zh", theory__q3="0.0", theory__unit="nats")
    assert not at.exception
    values = dict(zip(at.table[0].value.iloc[:, 0], at.table[0].value["NumPy"]))
    assert values["KL(p‖q)"] == "∞" and values["H(p, q)"] == "∞"
    assert at.warning                                       # explains why it is infinite
    assert at.radio(key="theory.unit").value == "nats"


# ---- glossary -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang, query, word", [("zh", Q["margin"], Q["margin_word"]),
                                               ("en", Q["reduction"], "reduction")])
def test_glossary_search(lang, query, word):
    at = run("glossary", lang, glossary__q=query)
    shown = [m.value for m in at.markdown if m.value.startswith("**")]
    assert shown and all(word in s or word.lower() in s.lower() for s in shown[:1])
    assert len(shown) < 10


# ---- quiz on a loss page ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_quiz_reveals_torch_answer_and_diagnosis(lang):
    at = run("huber", lang)
    assert any("glossary?glossary.q=" in c.value for c in at.caption)     # glossary links on the page
    assert not [s for s in at.selectbox if s.key == "huber.quiz"]       # a closed quiz sends only its header
    at.session_state["huber.quiz.open"] = True                           # the reader opens it
    at.run()
    spec = REGISTRY["huber"]
    q = at.selectbox(key="huber.quiz")
    assert q.value == 0
    mean = float(spec.evaluate(spec.examples[0].inputs, {}))           # the page shows this; Q1 asks for 'sum'
    at.text_input(key="huber.quiz.guess").input(repr(mean))
    next(b for b in at.button if b.proto.is_form_submitter).click().run()
    assert not at.exception
    assert at.error and at.warning
    assert any("'mean'" in w.value for w in at.warning)
    total = float(spec.evaluate(spec.examples[0].inputs, {"reduction": "sum"}))
    at.text_input(key="huber.quiz.guess").input(f"{total:.3f}")
    next(b for b in at.button if b.proto.is_form_submitter).click().run()
    assert at.success and any(f"{total:.3f}"[:4] in s.value for s in at.success)


# ---- teacher mode -------------------------------------------------------------------------------------------
def test_teacher_mode_from_the_url_enlarges_the_plot():
    normal = run("huber", "en")
    teacher = run("huber", "en", teacher="true")
    assert teacher.toggle(key="teacher").value is True and normal.toggle(key="teacher").value is False
    small, big = curve_payload(normal)["fig"]["layout"], curve_payload(teacher)["fig"]["layout"]
    assert big["height"] > small["height"] and big["font"]["size"] > small["font"]["size"]
    # every text on the plot is at least 18 px on a projector: axes, ticks, legend, panel titles, guide labels
    assert min(big["xaxis"]["tickfont"]["size"], big["yaxis"]["tickfont"]["size"], big["legend"]["font"]["size"],
               *(a["font"]["size"] for a in big["annotations"])) >= 18
    guides = [t for t in curve_payload(teacher)["fig"]["data"] if t.get("mode") == "lines+text"]
    assert guides and all(t["textfont"]["size"] >= 18 for t in guides)


def test_present_copies_and_csv_of_a_sweep():
    from ui.figures import curve_figure
    from ui.teacher import curve_csv, present
    data = sweep(REGISTRY["huber"], {"delta": 1.0}, n=11)
    fig = curve_figure(data, {"lang": "en", "x": "r", "loss": "loss", "grad": "grad", "loss_panel": "L",
                              "grad_panel": "G"})
    big = present(fig, True)
    assert big.layout.height > fig.layout.height and fig.layout.font.size == 15
    assert present(fig, False) is fig
    text = curve_csv(data, "en", header="HuberLoss: delta=1.0")
    assert text.startswith("\ufeff")                                   # UTF-8 with BOM: a Chinese spreadsheet
    lines = text.lstrip("\ufeff").strip().splitlines()
    assert lines[0] == "# HuberLoss: delta=1.0"                         # the settings it was computed with
    lines = lines[1:]
    assert len(lines) == 12
    header = lines[0].split(",")
    assert header[0] == "x" and len(header) == 1 + 2 * len(data.series)
    row = np.array(lines[1].split(","), dtype=float)
    assert row[0] == -3.0 and row[1] == pytest.approx(data.series[0].loss[0]) and row[2] == pytest.approx(-1.0)


def test_columns_csv_rejects_ragged_columns():
    from ui.teacher import columns_csv
    with pytest.raises(ValueError):
        columns_csv({"a": [1, 2], "b": [1]})


def test_export_names_say_what_they_hold():
    from ui.teacher import export_name
    spec = REGISTRY["triplet_margin"]
    params = {**spec.defaults(), "margin": 0.5, "swap": True}
    name = export_name(spec, params)
    assert name == "losslab_triplet_margin_margin-0.5_swap"
    assert export_name(spec, {**params, "reduction": "sum", "p": 1.0}) == "losslab_triplet_margin_margin-0.5_p-1_swap"
    assert export_name(spec, spec.defaults()) == "losslab_triplet_margin"



def test_compare_says_when_two_curves_coincide():
    from ui.compare import coinciding, family_entries
    same = family_entries(["smooth_l1", "huber"], {"smooth_l1": {"beta": 1.0}, "huber": {"delta": 1.0}}, "en")
    apart = family_entries(["smooth_l1", "huber"], {"smooth_l1": {"beta": 1.0}, "huber": {"delta": 2.0}}, "en")
    assert len(coinciding(same)) == 1 and coinciding(apart) == []
