"""Teacher mode (a presentation layout) and plot export (PNG from Plotly's modebar, data as CSV).

Teacher mode is a sidebar toggle bound to ?teacher=true, so a shared link opens in the same layout:
large fonts, the sidebar collapsed (navigation moves to the top bar; the » button reopens the sidebar),
and every plot as tall as the screen, one plot per screen with scroll snapping.
"""
from __future__ import annotations

import csv
import io
import re

import numpy as np

KEY = "teacher"
TEACHER_HEIGHT = 760      # px: one plot fills a 1080p projector below the top bar
TEACHER_FONT = 22

CSS = """
<style>
html { font-size: 21px !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 6rem 3rem 4rem 3rem !important; }
[data-testid="stMain"] { scroll-snap-type: y proximity; scroll-padding-top: 5.5rem; }
[data-testid="stElementContainer"]:has(.ll-chart) { scroll-snap-align: start; }
[data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]) {
  scroll-snap-align: start; min-height: 88vh; display: flex; align-items: center; }
[data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]) > * { width: 100%; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.1rem; }
.katex { font-size: 1.35em !important; }
</style>
"""


def is_on() -> bool:
    import streamlit as st
    return bool(st.session_state.get(KEY, False))


def teacher_toggle() -> bool:
    """The sidebar toggle (call inside `with st.sidebar:` in app.py); applies the layout when on."""
    import streamlit as st

    from .i18n import t
    on = st.toggle(t("course_teacher_mode"), key=KEY, bind="query-params", help=t("course_teacher_help"),
                   width="content")
    if on:
        st.set_page_config(initial_sidebar_state="collapsed")
        st.html(CSS)
    return on


def nav_position() -> str:
    """st.navigation's position: the top bar in teacher mode (the sidebar is collapsed there)."""
    return "top" if is_on() else "sidebar"


def plot_config(filename: str) -> dict:
    """Plotly modebar: its camera button downloads a PNG (twice the on-screen resolution)."""
    return {"displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2}}


def present(fig, teacher: bool):
    """The same figure, bigger (height and fonts) for a projector."""
    if not teacher or getattr(fig, "prebuilt", False):  # a PrebuiltFigure was presented before caching
        return fig
    fig = type(fig)(fig)  # a copy: cached figures must not change
    old = fig.layout.height or 500
    fig.update_layout(height=max(TEACHER_HEIGHT, int(old)), font=dict(size=TEACHER_FONT),
                      legend=dict(font=dict(size=TEACHER_FONT)), hoverlabel=dict(font_size=TEACHER_FONT))
    # Axis fonts are set explicitly: the Streamlit theme's template sets them and would win over layout.font.
    fig.update_xaxes(tickfont_size=TEACHER_FONT - 2, title_font_size=TEACHER_FONT)
    fig.update_yaxes(tickfont_size=TEACHER_FONT - 2, title_font_size=TEACHER_FONT)
    fig.update_annotations(font_size=TEACHER_FONT)
    fig.update_traces(textfont_size=TEACHER_FONT - 4, selector=dict(mode="lines+text"))  # guide labels >= 18 px
    if fig.layout.sliders:  # an animation's own slider and its current-value label
        fig.update_layout(sliders=[dict(s.to_plotly_json(), font=dict(size=TEACHER_FONT - 4),
                                        currentvalue={**s.currentvalue.to_plotly_json(), "font": dict(size=TEACHER_FONT)})
                                   for s in fig.layout.sliders])
    if fig.layout.updatemenus:
        fig.update_layout(updatemenus=[dict(m.to_plotly_json(), font=dict(size=TEACHER_FONT - 4))
                                       for m in fig.layout.updatemenus])
    return fig


def show_plot(fig, key: str, csv_text: str | None = None, filename: str = "losslab", alt: str | None = None) -> None:
    """st.plotly_chart with the PNG export configured, sized for teacher mode, a text alternative (alt) for
    screen readers, and a CSV download button."""
    import streamlit as st

    from .i18n import t
    st.plotly_chart(present(fig, is_on()), key=key, config=plot_config(filename), alt=alt)
    if csv_text is not None:
        st.download_button(t("course_download_csv"), data=csv_text, file_name=f"{filename}.csv",
                           mime="text/csv", key=f"{key}.csv", on_click="ignore", icon=":material/download:",
                           help=t("course_download_help"))


# ---- CSV (pure) --------------------------------------------------------------------------------------------
def columns_csv(columns: dict) -> str:
    """{header: 1-D array} -> CSV text; all columns have the same length."""
    names = list(columns)
    arrays = [np.asarray(columns[n]).ravel() for n in names]
    length = {a.size for a in arrays}
    if len(length) > 1:
        raise ValueError(f"columns of different lengths: {sorted(length)}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in zip(*arrays):
        writer.writerow([f"{float(v):.10g}" for v in row])
    return out.getvalue()


def export_name(spec, params: dict) -> str:
    """A file name that says what the export holds, the same for the PNG and the CSV: the settings that
    differ from torch's defaults, e.g. losslab_triplet_margin_margin-0.5_swap (numbers and choices as
    name-value, a flag by its name; tensors and 'reduction', which does not change a curve, left out)."""
    parts = [f"losslab_{spec.slug}"]
    for p in spec.params:
        if p.name not in params or p.kind == "tensor" or p.name == "reduction" or params[p.name] == p.default:
            continue
        v = params[p.name]
        if p.kind == "bool":
            if v:
                parts.append(p.name)
        else:
            parts.append(f"{p.name}-{v:g}" if isinstance(v, (int, float)) else f"{p.name}-{v}")
    return re.sub(r"[^A-Za-z0-9_.+-]", "", "_".join(parts))


BOM = "\ufeff"  # spreadsheets (Excel in a Chinese locale above all) read the file as UTF-8 only with it


def curve_csv(data, lang: str, x_name: str = "x", overlays: tuple = (), header: str = "") -> str:
    """A losses.curves.CurveData (and overlays [(name, CurveData)] on the same x) as CSV: a first line with
    the settings it was computed with (when given), then x, loss and autograd gradient of every series."""
    from .i18n import tr
    columns = {x_name: data.x}
    for s in data.series:
        name = tr(s.name, lang)
        columns[f"{name} loss"] = s.loss
        columns[f"{name} grad"] = s.grad
    for name, other in overlays:
        if other.x.shape == data.x.shape and np.allclose(other.x, data.x):
            columns[f"{name} loss"] = other.series[0].loss
            columns[f"{name} grad"] = other.series[0].grad
    table = columns_csv(columns)
    if not header:
        return BOM + table
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([f"# {header}"])
    return BOM + out.getvalue() + table
