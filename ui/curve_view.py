"""The loss page's main plot: loss and autograd gradient, with the main hyperparameter's one control.

The main hyperparameter (the first float that changes the curve) has no Streamlit slider: its control is
the range input inside the live chart, which follows the hand over frames torch computed in advance and,
on release, commits the value (session state '<slug>.<name>', the URL, the worked example, the CSV).
"""
from __future__ import annotations

import math
import re
from contextlib import nullcontext

import numpy as np
import streamlit as st

from losses import REGISTRY
from losses.curves import frame_grid, main_param, sweep, sweep_frames
from losses.spec import LossSpec

from .errors import callback
from .curve_skeleton import curve_spec
from .figures import frame_traces
from .i18n import t, tr
from .live_chart import figure_text, live_chart
from .memo import shared
from .teacher import curve_csv, export_name, is_on
from .url_state import publish

FRAME_POINTS = 201   # points per curve when the figure carries frames (what the browser downloads)
MAX_FRAMES = 61      # the browser parses every frame when the figure changes: ~60 keeps that cheap (δ in 0.1 steps)


def main_value(spec: LossSpec):
    """(param, committed value) of the main hyperparameter, seeded on a session's first run from ?<slug>.<name>=,
    or (None, None) when the page has no such control."""
    main = main_param(spec)
    if main is None:
        return None, None
    key = f"{spec.slug}.{main.name}"
    if key not in st.session_state:
        raw = st.query_params.get(key)
        try:
            value = main.coerce(raw) if raw is not None else main.default
        except Exception:  # a hand-edited link with a bad value: the default, as for any bound widget
            value = main.default
        st.session_state[key] = value
    return main, float(st.session_state[key])


def _hashable(params: dict) -> tuple:
    return tuple(sorted((k, tuple(np.ravel(v).tolist()) if isinstance(v, list) else v) for k, v in params.items()))


@shared(maxsize=256)
def cached_curve(slug: str, params_items: tuple, name: str, values: tuple, lang: str, show_grad: bool,
                 overlay_slugs: tuple, teacher: bool, ends: tuple = ()):
    """Everything the plot needs for one setting of the other hyperparameters, built once per process and
    shared by all sessions (callers must not mutate it): the figure's JSON text with one frame per value of
    `name`, the curve data per frame (for the CSV), overlays, and what frame_traces() needs to add a frame.
    `ends`: the first and last value of the control's grid. The axes are fitted to those two curves, with or
    without the other frames, so they do not move when the frames arrive (the sweeps' extremes lie there)."""
    spec = REGISTRY[slug]
    params = dict(params_items)  # holds `name` only when an overlay shares it (see render_curve)
    n = FRAME_POINTS if values else None
    if values:
        data = tuple(zip(values, sweep_frames(spec, params, name, list(values), n=FRAME_POINTS)))
        base = data[0][1]
    else:
        data = base = sweep(spec, params)
    frame_of = dict(data) if values else {}
    fit = tuple(frame_of.get(v) or cached_sweep(slug, tuple(sorted({**params, name: v}.items())), FRAME_POINTS)
                for v in ends)
    overlays = []
    for other_slug in overlay_slugs:
        other = REGISTRY[other_slug]
        shared = {k: v for k, v in params.items() if k in other.defaults()}
        overlays.append((other.title, sweep(other, shared, n=n or len(base.x))))
    labels = {"lang": lang, "x": tr(spec.curve.x_label, lang), "loss": tr(spec.curve.y_label, lang),
              "grad": t("grad_axis", lang), "loss_panel": t("loss_panel", lang), "grad_panel": t("grad_panel", lang)}
    # The figure's numbers patched into a skeleton built once per look (ui/curve_skeleton.py: ~60 ms less).
    spec_dict, context = curve_spec(base, labels, show_grad, tuple(overlays), data if values else (), teacher,
                                    fit=fit)
    n_own = len(spec_dict["frames"][0]["data"]) if values else len(spec_dict["data"])
    height = int(spec_dict["layout"].get("height") or 500)
    return figure_text(spec_dict), height, n_own, data, tuple(overlays), context


@shared(maxsize=256)
def cached_sweep(slug: str, params_items: tuple, n: int):
    """One sweep at a committed value between the precomputed frames."""
    return sweep(REGISTRY[slug], dict(params_items), n=n)


def _number_format(main) -> dict:
    """How the control prints its value: like the parameter's own format (e.g. "%.2e" for a tiny eps),
    else with as many decimals as its step has."""
    m = re.fullmatch(r"%\.(\d+)e", main.fmt or "")
    if m:
        return {"digits": int(m.group(1)), "exp": True}
    step = main.step or (main.hi - main.lo) / 100
    return {"digits": max(0, -math.floor(math.log10(step) + 1e-9)), "exp": False}


@callback
def _commit(slug: str, name: str, chart_key: str) -> None:
    """The chart's control was released: its value becomes the hyperparameter's (clamped to torch's range)."""
    main = REGISTRY[slug].param(name)
    value = (st.session_state.get(chart_key) or {}).get("value")
    if value is not None:
        st.session_state[f"{slug}.{name}"] = main.coerce(min(max(float(value), main.lo), main.hi))


def render_curve(spec: LossSpec, params: dict, lang: str) -> None:
    candidates = [s for s in REGISTRY.values() if s.family == spec.family and s.slug != spec.slug and s.curve
                  and s.curve.x_label == spec.curve.x_label]
    # One row block (a horizontal container), not columns: a row of columns is a message per column on
    # every rerun, ~0.1 ms of server CPU each (bench/element_cost.py); alone, the toggle needs no row at all.
    with st.container(horizontal=True, vertical_alignment="center", gap="large") if candidates else nullcontext():
        show_grad = st.toggle(t("show_gradient"), value=True, key=f"{spec.slug}.grad", bind="query-params")
        chosen = st.pills(t("overlay"), [s.slug for s in candidates], selection_mode="multi", default=[],
                          format_func=lambda s: REGISTRY[s].title, key=f"{spec.slug}.overlay",
                          bind="query-params") if candidates else []
    main = main_param(spec)
    values = frame_grid(main, max_frames=MAX_FRAMES) if main is not None else ()
    # Overlays are static: one that shares the animated parameter is drawn at its current value.
    shares = main is not None and any(main.name in REGISTRY[o].defaults() for o in chosen)
    # Only what changes the curve keys the figure: a move of 'reduction' neither rebuilds nor resends it.
    moves_curve = {p.name for p in spec.params if p.curve}
    fixed = _hashable({k: v for k, v in params.items()
                       if k in moves_curve and (main is None or k != main.name or shares)})
    chart_key = f"{spec.slug}.chart"
    curve_id = f"{hash((spec.slug, fixed, values, lang, show_grad, tuple(chosen or ()), is_on())):x}"
    current = round(float(params[main.name]), 10) if values else None
    # The frames are built when the reader reaches for the control (the chart asks: need_frames), not on
    # every new setting: until then the figure holds one frame, at the committed value (one sweep, ~20 KB,
    # instead of ~60 sweeps and ~0.7 MB: most of a cold rerun's server time under a class's load).
    lazy = bool(values) and st.session_state.get(f"{chart_key}.frames") != curve_id
    text, height, n_own, data, overlays, context = cached_curve(
        spec.slug, fixed, main.name if main else "", (current,) if lazy else values, lang, show_grad,
        tuple(chosen or ()), is_on(), (values[0], values[-1]) if values else ())
    extra = None
    if values:
        publish(f"{spec.slug}.{main.name}", current, main.default)
        if lazy or current in values:
            data = data[0 if lazy else values.index(current)][1]
        else:  # between two precomputed frames: one more sweep (~1 ms), the cached figure stays as it is
            data = cached_sweep(spec.slug, fixed + ((main.name, current),), FRAME_POINTS)
            extra = {"value": current, "traces": list(range(n_own)), "data": frame_traces(data, *context)}
    name = export_name(spec, params)
    label = (main.symbol_text or main.name) if main is not None else ""
    live_chart(text, key=chart_key, fig_id=f"{curve_id}@{current!r}" if lazy else curve_id, value=current,
               label=label, number=_number_format(main) if main else {"digits": 0, "exp": False},
               png_name=name, height=height, lang=lang, teacher=is_on(), extra=extra, grid=values,
               curve_id=curve_id if values else None, lazy=lazy,
               alt=curve_alt(spec, params, data, lang), on_change=lambda: _commit(spec.slug, main.name, chart_key),
               on_need_frames=lambda: st.session_state.__setitem__(f"{chart_key}.frames", curve_id))
    _say_if_coinciding(spec, data, overlays, label, lang)
    header = _csv_header(spec, params)
    # Deferred: the CSV text is built when the button is clicked, not on every rerun (~3 ms each).
    st.download_button(t("course_download_csv"), file_name=f"{name}.csv", mime="text/csv",
                       data=lambda: curve_csv(data, lang, tr(spec.curve.x_label, "en"), overlays, header=header),
                       key=f"{spec.slug}.curve.csv", on_click="ignore", icon=":material/download:",
                       help=t("course_download_help"))
    st.caption(t("curve_note") + (" " + t("frames_hint", name=label) if values else ""))


def _say_if_coinciding(spec: LossSpec, data, overlays, label: str, lang: str) -> None:
    """Two curves that coincide hide each other (SmoothL1 and Huber at beta = delta = 1): say so in words."""
    own = np.asarray(data.series[0].loss)
    for name, other in overlays:
        theirs = np.asarray(other.series[0].loss)
        if theirs.shape == own.shape and np.allclose(theirs, own, rtol=1e-6, atol=1e-9):
            st.info(t("curves_coincide", lang, a=spec.title, b=name, name=label or "—"), icon=":material/layers:")


def _csv_header(spec: LossSpec, params: dict) -> str:
    shown = ", ".join(f"{p.name}={params[p.name]}" for p in spec.params if p.name in params and p.kind != "tensor")
    return f"{spec.title}: {shown}"


def curve_alt(spec: LossSpec, params: dict, data, lang: str) -> str:
    """A text alternative for the plot, for the current values (screen readers; WCAG 1.1.1)."""
    x = np.asarray(data.x)
    shown = ", ".join(f"{p.symbol_text or p.name} = {params[p.name]:g}" for p in spec.params
                      if p.curve and p.kind in ("float", "int") and p.name in params)
    return t("curve_alt", lang, loss=spec.title, x=tr(spec.curve.x_label, lang), lo=f"{x.min():g}",
             hi=f"{x.max():g}", params=shown or "—")
