"""A Plotly chart that stays mounted between reruns (Streamlit custom component v2, no iframe), with the
main hyperparameter's one control inside it.

Why not st.plotly_chart: it derives a chart's element id from the figure, so every changed figure is a new
element that the browser mounts from scratch (~100 ms for the curve), and it re-serialises the figure on
every rerun. Here the figure is serialised once per figure (cached JSON text) and the browser calls
Plotly.react / Plotly.restyle on the same div. Plotly.js comes from the app itself (static/, copied from
the plotly package at start-up), never from a CDN: a classroom may be offline.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
SENT = "_ll_sent_figures"  # session state: chart key -> the fig_id this tab holds
JS = Path(__file__).with_suffix(".js")
# What each chart element carries: a components-v2 element sends its inline JS in every message (and the
# browser hashes it on each render), ~11 kB for ui/live_chart.js, times every chart of every rerun. This
# loader is ~0.3 kB; the module itself is a static file, fetched once per tab.
LOADER = """const ready = import(new URL("__SRC__", document.baseURI).href);
let chart = null;
export default function (component) {
  component.parentElement.classList.add("ll-chart-host");  // a chart, drawn once its module has loaded
  if (chart) return chart(component);
  ready.then((m) => { chart = m.default; chart(component); });
}"""


def _publish(src: Path, name: str) -> str:
    """Copy src into static/ as `name` (once per process; Streamlit serves static/ at app/static/) and
    return its app-relative URL."""
    dst = STATIC / name
    if not dst.exists() or dst.stat().st_size != src.stat().st_size:
        STATIC.mkdir(exist_ok=True)
        tmp = dst.with_suffix(".tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(dst)  # atomic: a concurrent session never serves half a file
    return f"./app/static/{name}"


@lru_cache(maxsize=1)
def plotly_src() -> str:
    """The app-relative URL of plotly.min.js, copied from the installed plotly package (same version as the
    Python side)."""
    import plotly
    return _publish(Path(plotly.__file__).parent / "package_data" / "plotly.min.js",
                    f"plotly-{plotly.__version__}.min.js")


@lru_cache(maxsize=1)
def chart_module_src() -> str:
    """The app-relative URL of ui/live_chart.js, named by its contents: a browser never runs a stale copy."""
    digest = hashlib.sha256(JS.read_bytes()).hexdigest()[:12]
    return _publish(JS, f"live_chart-{digest}.js")


@lru_cache(maxsize=1)
def _component():
    import streamlit as st
    return st.components.v2.component("losslab_live_chart", html="<div></div>",
                                      js=LOADER.replace("__SRC__", chart_module_src()),
                                      isolate_styles=False)  # Plotly's own CSS must reach the plot


def figure_text(spec: dict) -> str:
    """The figure as the JSON text the component parses: computed once per cached figure (callers cache it)."""
    return json.dumps(spec, separators=(",", ":"))


def live_chart(fig_text: str, *, key: str, fig_id: str, value: float | None, label: str, number: dict,
               png_name: str, height: int, lang: str, alt: str, teacher: bool, extra: dict | None = None,
               grid: tuple = (), curve_id: str | None = None, lazy: bool = False, on_change=None,
               on_need_frames=None):
    """Draw the chart; returns the component's result (result.value is the last committed value).

    `grid` holds the values the control moves over. A `lazy` figure holds only the committed value's frame:
    the chart asks for the others (need_frames, with `curve_id`) when a hand or the keyboard reaches the
    control; on_need_frames runs, and the rerun sends the figure with every frame.

    The figure text (~0.7 MB as JSON with its frames) goes to the browser only when this session's chart
    was not sent figure `fig_id` yet: a rerun that commits a value then sends a few hundred bytes instead
    of re-serialising, sending and re-parsing the figure (~6 ms of server CPU and the browser's parse).
    The payload is bytes: the JSON of the data, then a newline and the figure's JSON text as is. As a dict,
    Streamlit would look for a dataframe in each of its values, dump it again sorted to identify it, and
    escape the figure inside a JSON string (which the browser would parse twice).
    """
    import streamlit as st

    from .i18n import t
    sent = st.session_state.setdefault(SENT, {})
    send = sent.get(key) != fig_id
    sent[key] = fig_id
    data = {"value": value, "label": label, "digits": number["digits"], "exp": number["exp"], "png": png_name,
            "height": height, "alt": alt, "teacher": teacher, "extra": extra, "grid": list(grid), "lazy": lazy,
            "curve_id": curve_id, "texts": {"png": t("download_png", lang)}, "fig_id": fig_id,
            "plotly": plotly_src(), "locale": "zh-CN" if lang == "zh" else "en"}
    payload = json.dumps(data, separators=(",", ":")).encode() + (b"\n" + fig_text.encode() if send else b"")
    return _component()(data=payload, key=key, default={"value": value}, on_value_change=on_change or _nothing,
                        on_need_fig_change=lambda: st.session_state.get(SENT, {}).pop(key, None),  # remounted
                        on_need_frames_change=on_need_frames or _nothing, height="content")


def _nothing() -> None:
    pass


def read_payload(raw: bytes) -> dict:
    """What a chart element carries, as the browser reads it: its data, with `fig` the figure's JSON text
    (None when the browser already holds that figure). For tests and the load client."""
    head, _, fig = bytes(raw).decode().partition("\n")
    return {**json.loads(head), "fig": fig or None}


def forget_sent_figures() -> None:
    """A full run draws the page's elements anew (app.py calls this): every chart sends its figure again."""
    import streamlit as st
    st.session_state.pop(SENT, None)
