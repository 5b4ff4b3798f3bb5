"""Where losses come from, the page (AppTest): every part in both languages with its widgets moved, no
exception; sliders change the figures; the predict-then-reveal questions grade; the figures are pure and
labelled in the reader's language; the link from a loss page opens the right part."""
import json

import pytest

from app_pages import chart, open_page
from losses import REGISTRY
from losses import origins_nll as nll
from losses.origins_landscape import N_POINTS
from ui.i18n import strings

PARTS = ("nll", "surrogates", "landscapes")


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]


def _part(lang: str, part: str):
    at = open_page("origins", lang)
    if part != "nll":
        at.segmented_control(key="origins.part").set_value(part).run()
        _ok(at)
    assert len(at.header) == 1 and _cjk(at.header[0].value) == (lang == "zh")
    return at


def _axis_titles(spec: dict) -> str:
    return " ".join(v.get("title", {}).get("text", "") for k, v in spec["layout"].items() if k.startswith(("xaxis", "yaxis")))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_part1_every_noise_model_and_its_slider(lang):
    at = _part(lang, "nll")
    for case in nll.CASES:
        at.segmented_control(key="origins.nll.case").set_value(case).run()
        _ok(at)
        before = chart(at, "origins.nll.fig")
        _, lo, hi, default, _ = nll.PARAM[case]
        at.slider(key=f"origins.nll.{case}").set_value(hi if default != hi else lo).run()
        _ok(at)
        after = chart(at, "origins.nll.fig")
        assert before["data"] != after["data"], case
        assert _cjk(_axis_titles(after)) == (lang == "zh"), case
        assert at.success and not at.error, case               # the identity holds on the page's batch
        table = at.table[0].value
        values = {float(v) for v in table.iloc[:, 1]}
        assert len(table) >= 2 and max(values) - min(values) < 1e-9
    before = at.table[0].value.iloc[0, 1]
    at.button(key="origins.nll.redraw").click().run()
    _ok(at)
    assert at.table[0].value.iloc[0, 1] != before              # new random numbers, new value, still equal
    assert at.success


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_part2_sliders_move_curves_and_calibration_table(lang):
    at = _part(lang, "surrogates")
    before = chart(at, "origins.sur.fig")
    at.slider(key="origins.sur.m").set_value(2.0).run()
    _ok(at)
    assert chart(at, "origins.sur.fig")["data"] != before["data"]
    calibrated = at.table[0].value.iloc[:, 5].tolist()
    yes, no = strings()["origins_yes"][lang], strings()["origins_no"][lang]
    assert calibrated == ["—", yes, yes, yes, yes]
    at.slider(key="origins.sur.mu").set_value(0.0).run()        # μ = 0: perceptron loss, not calibrated
    _ok(at)
    assert at.table[0].value.iloc[:, 5].tolist() == ["—", no, no, yes, yes]
    risk = chart(at, "origins.sur.risk")
    at.slider(key="origins.sur.eta").set_value(0.2).run()
    _ok(at)
    assert chart(at, "origins.sur.risk")["data"] != risk["data"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_part3_every_loss_outliers_and_start(lang):
    at = _part(lang, "landscapes")
    for loss in ("mse", "l1", "huber", "bce"):
        at.segmented_control(key="origins.land.loss").set_value(loss).run()
        _ok(at)
        kind = "logistic" if loss == "bce" else "regression"
        before = chart(at, "origins.land.fig")
        at.slider(key="origins.land.outliers").set_value(3).run()
        at.slider(key=f"origins.land.w0.{kind}").set_value(2.0).run()
        _ok(at)
        after = chart(at, "origins.land.fig")
        assert after["data"] != before["data"], loss
        names = [tr.get("name") for tr in after["data"]]
        creases = sum(n == strings()["origins_land_crease"][lang] for n in names)
        assert creases == (N_POINTS + 3 if loss == "l1" else 0)      # one crease line per data point, L1 only
        assert _cjk(_axis_titles(after)) == (lang == "zh")
        if loss == "huber":
            at.slider(key="origins.land.delta").set_value(0.3).run()
            _ok(at)
            assert chart(at, "origins.land.fig")["data"] != after["data"]
        at.slider(key="origins.land.outliers").set_value(0).run()


def test_part3_a_large_learning_rate_says_it_diverges():
    at = _part("zh", "landscapes")
    at.slider(key="origins.land.lr").set_value(2.0).run()
    _ok(at)
    assert at.warning and _cjk(at.warning[0].value)


def test_a_click_on_the_contour_moves_the_start_sliders():
    from streamlit.testing.v1 import AppTest

    def page():
        import streamlit as st

        from ui.origins_landscape import FIG_KEY, _pick_start_from_click
        # what Streamlit stores for the chart after a click on a point of the contour's click grid
        st.session_state[FIG_KEY] = {"selection": {"points": [{"x": 2.34, "y": -9.0}]}}
        _pick_start_from_click("regression")
        st.write(f"{st.session_state['origins.land.w0.regression']} {st.session_state['origins.land.b0.regression']}")

    at = AppTest.from_function(page, default_timeout=60)
    at.run()
    _ok(at)
    assert at.markdown[-1].value == "2.3 -2.5"                 # rounded to the slider step, b clamped to its range


@pytest.mark.parametrize("part, name, right", [("nll", "nll", "gaussian"), ("surrogates", "sur", "smooth"),
                                               ("landscapes", "land", "mse")])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_predict_then_reveal(part, name, right, lang):
    at = _part(lang, part)
    key = {"nll": "origins.nll.quiz", "sur": "origins.sur.quiz", "land": "origins.land.quiz"}[name]
    at.button(key=f"{key}.reveal").click().run()
    _ok(at)
    assert at.info and _cjk(at.info[0].value) == (lang == "zh")          # no guess yet: pick one first
    options = {"nll": ("gaussian", "laplace", "both"), "sur": ("none", "smooth", "all"), "land": ("mse", "l1", "same")}
    at.radio(key=f"{key}.guess").set_value(next(o for o in options[name] if o != right))
    at.button(key=f"{key}.reveal").click().run()
    _ok(at)
    assert at.error
    at.radio(key=f"{key}.guess").set_value(right)
    at.button(key=f"{key}.reveal").click().run()
    _ok(at)
    assert at.success and not at.error


def test_link_from_a_loss_page_opens_the_right_part():
    from ui.origins_link import COVERED, origins_query
    assert origins_query("ctc", "en") is None and origins_query("triplet_margin", "zh") is None
    assert origins_query("mse", "zh") == {"lang": "zh"}                       # part 1, its first case: defaults
    assert origins_query("l1", "en") == {"lang": "en", "origins.nll.case": "laplace"}
    assert origins_query("hinge_embedding", "zh") == {"lang": "zh", "origins.part": "surrogates"}
    assert origins_query("huber", "en") == {"lang": "en", "origins.part": "landscapes", "origins.land.loss": "huber"}
    assert set(COVERED) <= set(REGISTRY)
    for slug, query in COVERED.items():                       # every target is a value the page accepts
        assert query["origins.part"] in PARTS
        assert query.get("origins.nll.case", "gaussian") in nll.CASES


@pytest.mark.parametrize("slug, lang, part, header", [("l1", "zh", "nll", None), ("margin_ranking", "en", "surrogates", None),
                                                      ("huber", "zh", "landscapes", None)])
def test_the_link_lands_on_that_part(slug, lang, part, header):
    from streamlit.testing.v1 import AppTest

    from app_pages import APP
    from ui.origins_link import origins_query
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in origins_query(slug, lang).items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/origins.py")
    at.run()
    _ok(at)
    assert at.segmented_control(key="origins.part").value == part
    assert _cjk(at.header[0].value) == (lang == "zh")
    if slug == "l1":
        assert at.segmented_control(key="origins.nll.case").value == "laplace"
    if slug == "huber":
        assert at.segmented_control(key="origins.land.loss").value == "huber"


LINK_APP = """
import sys
sys.path.insert(0, {root!r})
import streamlit as st
from ui.origins_link import render_origins_link


def loss_page():
    st.session_state["lang"] = "zh"
    drawn = [slug for slug in ("gaussian_nll", "ctc", "soft_margin") if render_origins_link(slug)]
    st.write(",".join(drawn))


st.navigation([st.Page(loss_page, title="loss", default=True), st.Page("pages/origins.py", url_path="origins")]).run()
"""


def test_render_origins_link_draws_a_page_link_or_nothing(tmp_path):
    """A small app whose page calls render_origins_link the way the loss page will: covered slugs get a link
    to /origins (in the reader's language, with the part in the query), others nothing."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest
    root = str(Path(__file__).resolve().parent.parent)
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "origins.py").write_text("import streamlit as st\nst.write('origins')\n")
    (tmp_path / "app.py").write_text(LINK_APP.format(root=root))
    at = AppTest.from_file(str(tmp_path / "app.py"), default_timeout=60)
    at.run()
    _ok(at)
    assert at.markdown[-1].value == "gaussian_nll,soft_margin"
    links = at.get("page_link")
    assert len(links) == 2
    assert all(_cjk(link.proto.label) and "origins" in link.proto.page for link in links)
    assert links[0].proto.query_string == "lang=zh&origins.nll.case=gaussian_var"
    assert links[1].proto.query_string == "lang=zh&origins.part=surrogates"


def test_home_and_chooser_link_the_page():
    for page in ("home", "choose"):
        at = open_page(page, "en")
        assert any("origins" in link.proto.page for link in at.get("page_link")), page


def test_figures_are_pure_and_json_ready():
    from ui.origins_figures import nll_figure
    labels = {k: k for k in ("density_panel", "loss_panel", "density", "loss", "loss_y", "density_x", "density_y",
                             "loss_x", "other", "other_loss")}
    fig = nll_figure(nll.curves("gaussian", 1.0), labels, nll.curves("laplace", 1.0))
    spec = json.loads(fig.to_json())
    assert len(spec["data"]) == 5
