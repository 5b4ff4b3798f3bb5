"""The compare page's widgets, in fragments so that no widget here reruns the whole app.

    render            title and intro (a full page run only)
    _body             fragment: the view, the gradient toggle, the family / axis / losses pickers
    _family_plot      nested fragment: each loss's own sliders, the plot, its CSV and notes
    _margin_plot      nested fragment: the "picking loss functions" sliders and plot

A slider reruns its plot's fragment alone (~10 elements), and the figure comes ready from
ui/compare_cache.py; the CSV is built only when its button is clicked.
"""
from __future__ import annotations

import streamlit as st

from losses import FAMILIES, REGISTRY

from .compare import MARGIN_PAGES, MARGIN_PARAMS, REGRESSION_PRESET, VIEWS, axis_groups, curve_params, entries_csv
from .compare_cache import Bundle, family_bundle, margin_bundle
from .errors import fragment
from .glossary import has_page
from .i18n import current_lang, t, tr
from .teacher import is_on, plot_config
from .url_state import publish, seed


def render() -> None:
    lang = current_lang()
    st.title(t("page_compare"))
    st.markdown(t("course_compare_intro"))
    _body(lang)


@fragment
def _body(lang: str) -> None:
    seed("compare.view", VIEWS)
    view = st.radio(t("course_compare_view"), VIEWS, key="compare.view", horizontal=True,
                    format_func=lambda v, lang=lang: t(f"course_compare_view_{v}", lang))
    publish("compare.view", view, VIEWS[0])
    show_grad = st.toggle(t("show_gradient"), value=True, key="compare.grad", bind="query-params")
    if view == "classification":
        st.markdown(t("course_compare_margin_intro"))
        _margin_plot(show_grad, lang)
        return
    if view == "regression":
        _family_view("regression", REGRESSION_PRESET, show_grad, lang)
        return
    families = [f for f in FAMILIES if axis_groups(f)]
    if not families:
        st.info(t("course_compare_none"))
        return
    seed("compare.family", families)
    family = st.selectbox(t("course_compare_family"), families, key="compare.family",
                          format_func=lambda f, lang=lang: t(f"family_{f}", lang))
    publish("compare.family", family, families[0])
    _family_view(family, None, show_grad, lang)


def _family_view(family: str, preset: tuple | None, show_grad: bool, lang: str) -> None:
    groups = axis_groups(family)
    if not groups:
        st.info(t("course_compare_none"))
        return
    axes = list(groups)
    options = groups[axes[0]]
    mixed, i = False, 0
    if len(axes) > 1 and preset is None:
        # One choice per x-axis, then "all": losses whose swept inputs mean different things, on one plot.
        key = f"compare.{family}.axis"
        seed(key, range(len(axes) + 1))
        i = st.radio(t("course_compare_axis"), range(len(axes) + 1), horizontal=True, key=key,
                     format_func=lambda i, lang=lang: tr(REGISTRY[groups[axes[i]][0]].curve.x_label, lang) if i < len(axes)
                     else t("course_compare_mixed", lang))
        publish(key, i, 0)
        mixed = i == len(axes)
        options = [s for a in axes for s in groups[a]] if mixed else groups[axes[i]]
    default = [s for s in (preset or options) if s in options]
    chosen = st.multiselect(t("course_compare_pick"), options, default=default, key=f"compare.{family}.losses" + (f"{i}" if i else ""),
                            format_func=lambda s: REGISTRY[s].title, bind="query-params", select_all=False)
    if not chosen:
        st.info(t("course_compare_pick_one"))
        return
    _family_plot(family, tuple(chosen), mixed, show_grad, lang)


def _param_widget(slug: str, p):
    from .widgets import _label
    key = f"compare.{slug}.{p.name}"
    if p.kind == "float":
        return st.slider(_label(p), float(p.lo), float(p.hi), float(p.default), float(p.step or 0.01), key=key,
                         help=tr(p.help) or None, bind="query-params")
    if p.kind == "int":
        return st.slider(_label(p), int(p.lo), int(p.hi), int(p.default), int(p.step or 1), key=key,
                         help=tr(p.help) or None, bind="query-params")
    if p.kind == "bool":
        return st.toggle(_label(p), value=bool(p.default), key=key, help=tr(p.help) or None, bind="query-params")
    return st.selectbox(_label(p), p.choices, index=p.choices.index(p.default), key=key, help=tr(p.help) or None,
                        bind="query-params")


@fragment
def _family_plot(family: str, chosen: tuple, mixed: bool, show_grad: bool, lang: str) -> None:
    with_params = [s for s in chosen if curve_params(s)]
    params_by_slug = {}
    if with_params:
        st.markdown(f"**{t('course_compare_sliders')}**")
        cols = st.columns(min(4, len(with_params)))
        for i, slug in enumerate(with_params):
            with cols[i % len(cols)]:
                st.markdown(f"`{REGISTRY[slug].title}`")
                params_by_slug[slug] = {p.name: _param_widget(slug, p) for p in curve_params(slug)}
    x_label = tr(REGISTRY[chosen[0]].curve.x_label)
    if mixed and len({tr(REGISTRY[s].curve.x_label, "en") for s in chosen}) > 1:
        x_label = t("course_compare_mixed_axis")
        st.caption(" · ".join(f"{REGISTRY[s].title}: {tr(REGISTRY[s].curve.x_label)}" for s in chosen))
    items = tuple((s, tuple(sorted(params_by_slug.get(s, {}).items()))) for s in chosen)
    bundle = family_bundle(chosen, items, lang, show_grad, x_label, is_on())
    named = [REGISTRY[s].title + "".join(f" {k}={v:g}" for k, v in params_by_slug.get(s, {}).items()
                                        if isinstance(v, (int, float)) and not isinstance(v, bool)) for s in chosen]
    alt = t("alt_compare", losses=", ".join(named), x=x_label, grad=t("alt_with_grad") if show_grad else "")
    _show(bundle, f"compare.{family}.plot", f"losslab_compare_{family}", alt, "x")
    for a, b in bundle.coinciding:  # e.g. SmoothL1 (β = 1) and Huber (δ = 1): one line hides the other
        st.info(t("curves_coincide_compare", a=a, b=b), icon=":material/layers:")
    st.caption(t("curve_note"))
    _page_links([s for s in chosen if has_page(s)], lang)


@fragment
def _margin_plot(show_grad: bool, lang: str) -> None:
    params = {}
    cols = st.columns(len(MARGIN_PARAMS))
    for col, (key, loss, name, lo, hi, step, default) in zip(cols, MARGIN_PARAMS):
        with col:
            params[key] = st.slider(t(f"course_margin_{key}"), lo, hi, default, step, key=f"compare.{loss}.{name}",
                                    bind="query-params")
    bundle = margin_bundle(tuple(params.items()), lang, show_grad, is_on())
    names = [name for name, *_ in bundle.entries]
    alt = t("alt_compare_margin", losses=", ".join(names), grad=t("alt_with_grad") if show_grad else "",
            settings=", ".join(f"{t(f'course_margin_{k}')} = {v:g}" for k, v in params.items()))
    _show(bundle, "compare.margin.plot", "losslab_picking_losses", alt, "margin_z")
    st.markdown(t("course_compare_margin_reading"))
    _page_links([s for s in dict.fromkeys(MARGIN_PAGES.values()) if has_page(s)], lang)


def _show(bundle: Bundle, key: str, filename: str, alt: str, x_name: str) -> None:
    """The ready figure, and a CSV download whose text is built only when the button is clicked."""
    st.plotly_chart(bundle.fig, key=key, config=plot_config(filename), alt=alt)
    entries = bundle.entries
    st.download_button(t("course_download_csv"), data=lambda: entries_csv(entries, x_name), file_name=f"{filename}.csv",
                       mime="text/csv", key=f"{key}.csv", on_click="ignore", icon=":material/download:",
                       help=t("course_download_help"))


def _page_links(slugs: list[str], lang: str) -> None:
    if slugs:
        links = " · ".join(f"[{REGISTRY[s].title}]({s}?lang={lang})" for s in slugs)
        st.markdown(t("course_compare_pages") + " " + links)
