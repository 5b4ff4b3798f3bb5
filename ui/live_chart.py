"""A Plotly chart that stays mounted between reruns (Streamlit custom component v2, no iframe), with the
main hyperparameter's one control inside it.

Why not st.plotly_chart: it derives a chart's element id from the figure, so every changed figure is a new
element that the browser mounts from scratch (~100 ms for the curve), and it re-serialises the figure on
every rerun. Here the figure is serialised once per figure (cached JSON text) and the browser calls
Plotly.react / Plotly.restyle on the same div. Plotly.js comes from the app itself (static/, copied from
the plotly package at start-up), never from a CDN: a classroom may be offline.
"""
from __future__ import annotations

import json
import shutil
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
JS = (Path(__file__).with_suffix(".js")).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def plotly_src() -> str:
    """The app-relative URL of plotly.min.js, copied once per process from the installed plotly package
    (same version as the Python side) into static/, which Streamlit serves at app/static/."""
    import plotly
    src = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    name = f"plotly-{plotly.__version__}.min.js"
    dst = STATIC / name
    if not dst.exists() or dst.stat().st_size != src.stat().st_size:
        STATIC.mkdir(exist_ok=True)
        tmp = dst.with_suffix(".tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(dst)  # atomic: a concurrent session never serves half a file
    return f"./app/static/{name}"


@lru_cache(maxsize=1)
def _component():
    import streamlit as st
    return st.components.v2.component("losslab_live_chart", html="<div></div>", js=JS,
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
    Call forget_sent_figures() on a full page run: the page's elements, this chart included, are new then.
    """
    import streamlit as st

    from .i18n import t
    sent_key = f"{key}.sent"
    send = st.session_state.get(sent_key) != fig_id
    st.session_state[sent_key] = fig_id
    data = {"fig": fig_text if send else None, "fig_id": fig_id, "value": value, "label": label,
            "digits": number["digits"], "exp": number["exp"], "png": png_name,
            "height": height, "alt": alt, "teacher": teacher, "extra": extra, "plotly": plotly_src(),
            "grid": list(grid), "lazy": lazy, "curve_id": curve_id,
            "locale": "zh-CN" if lang == "zh" else "en", "texts": {"png": t("download_png", lang)}}
    return _component()(data=data, key=key, default={"value": value}, on_value_change=on_change or (lambda: None),
                        on_need_fig_change=lambda: st.session_state.pop(sent_key, None),
                        on_need_frames_change=on_need_frames or (lambda: None), height="content")


def forget_sent_figures(key: str) -> None:
    """A full page run draws the chart anew: the next live_chart(key=...) sends its figure again."""
    import streamlit as st
    st.session_state.pop(f"{key}.sent", None)
