"""The live chart's element (ui/live_chart.py): a figure goes to a browser only when it does not hold it yet,
a full run sends it again, the payload reads back as sent, and each element carries a small loader while the
chart's module is a static file with the module's own contents."""
import json
import re

from streamlit.testing.v1 import AppTest

from ui.live_chart import JS, LOADER, ROOT, chart_module_src, read_payload


def _two_charts():
    import json

    import streamlit as st

    from ui.live_chart import forget_sent_figures, live_chart
    if st.session_state.get("forget"):
        forget_sent_figures()
    for key in ("a", "b"):
        version = 2 if st.session_state.get(f"change_{key}") else 1
        fig = json.dumps({"data": [{"type": "scatter", "y": [version, 1]}], "layout": {}})
        live_chart(fig, key=key, fig_id=f"{key}{version}", value=None, label="x", number={"digits": 2, "exp": False},
                   png_name="p", height=300, lang="en", alt=f"chart {key}", teacher=False)


def _sent(at) -> dict:
    """key -> the figure text each chart element carried on the last run (None: the browser holds it)."""
    return {c.proto.id.rsplit("-", 1)[1]: read_payload(c.proto.bytes)["fig"] for c in at.get("bidi_component")}


def test_a_figure_is_sent_only_to_a_browser_that_lacks_it():
    at = AppTest.from_function(_two_charts).run()
    first = _sent(at)
    assert json.loads(first["a"])["data"][0]["y"] == [1, 1] and first["b"]
    assert _sent(at.run()) == {"a": None, "b": None}                     # unchanged: nothing resent
    at.session_state["change_b"] = True
    again = _sent(at.run())
    assert again["a"] is None and json.loads(again["b"])["data"][0]["y"] == [2, 1]  # only the changed one
    at.session_state["forget"] = True                                   # a full page run (app.py)
    assert all(_sent(at.run()).values())


def test_payload_reads_back_its_data_and_figure():
    at = AppTest.from_function(_two_charts).run()
    element = at.get("bidi_component")[0].proto
    data = read_payload(element.bytes)
    assert data["alt"] == "chart a" and data["fig_id"] == "a1" and data["plotly"].startswith("./app/static/plotly-")
    assert data["locale"] == "en" and json.loads(data["fig"])["layout"] == {}


def test_each_element_carries_a_loader_and_the_module_is_served_as_it_is():
    src = chart_module_src()
    assert re.fullmatch(r"\./app/static/live_chart-[0-9a-f]{12}\.js", src)
    assert (ROOT / "static" / src.rsplit("/", 1)[1]).read_bytes() == JS.read_bytes()
    assert len(LOADER) < 400 and "import(" in LOADER
    at = AppTest.from_function(_two_charts).run()
    js = at.get("bidi_component")[0].proto.js_content
    assert src in js and len(js) < 500                                  # not the ~11 kB module
