"""One widget per torch argument, keyed '<slug>.<name>' and bound to the URL so links restore the view."""
from __future__ import annotations

import streamlit as st

from losses.errors import InputError
from losses.spec import LossSpec, Param

from .i18n import current_lang, tr


def widget_key(spec: LossSpec, name: str) -> str:
    return f"{spec.slug}.{name}"


def _label(p: Param) -> str:
    return f"${p.symbol}$ `{p.name}`" if p.symbol else f"`{p.name}`"


def param_widget(spec: LossSpec, p: Param):
    key = widget_key(spec, p.name)
    help_text = tr(p.help) or None
    if p.kind == "float":
        return st.slider(_label(p), float(p.lo), float(p.hi), float(p.default), float(p.step or 0.01),
                         format=p.fmt or None, key=key, help=help_text, bind="query-params")
    if p.kind == "int":
        return st.slider(_label(p), int(p.lo), int(p.hi), int(p.default), int(p.step or 1),
                         key=key, help=help_text, bind="query-params")
    if p.kind == "bool":
        return st.toggle(_label(p), value=bool(p.default), key=key, help=help_text, bind="query-params")
    if p.kind == "choice":
        return st.selectbox(_label(p), p.choices, index=p.choices.index(p.default), key=key,
                            help=help_text, bind="query-params")
    if p.kind == "tensor":
        placeholder = "None" if p.default is None else str(p.default)
        text = st.text_input(_label(p), value="", placeholder=placeholder, key=key, help=help_text,
                             bind="query-params")
        return text.strip() or p.default
    raise AssertionError(p.kind)


def param_widgets(spec: LossSpec, columns: int = 3, fixed: dict | None = None) -> tuple[dict, InputError | None]:
    """Draw every parameter but those in `fixed` (their control is elsewhere, e.g. inside the plot);
    curve parameters first. Returns (resolved params, error or None)."""
    fixed = fixed or {}
    ordered = sorted((p for p in spec.params if p.name not in fixed), key=lambda p: (not p.curve, p.kind == "tensor"))
    raw = dict(fixed)
    if len(ordered) <= columns:  # one row: a horizontal container is one block, columns a block per column
        with st.container(horizontal=True):
            for p in ordered:
                raw[p.name] = param_widget(spec, p)
    else:
        cols = st.columns(columns)
        for i, p in enumerate(ordered):
            with cols[i % len(cols)]:
                raw[p.name] = param_widget(spec, p)
    try:
        return spec.resolve_params(raw), None
    except InputError as err:
        defaults = {p.name: raw[p.name] if p.kind != "tensor" else p.default for p in spec.params}
        try:
            return spec.resolve_params(defaults), err
        except InputError:
            return spec.resolve_params({}), err


def tensor_markdown(text: str) -> str:
    """Numbers in a fixed-width font, as inline code spans (one a line) rather than st.code: the first
    st.code on a page loads Streamlit's syntax highlighter, ~0.7 s of the first load's main thread
    (bench/perf.py). The text is torch's or our own formatting of numbers: no backticks, no HTML. Markdown,
    to be joined with the text around it in one element (an element costs a message on every rerun)."""
    lines = [line.replace(" ", "\u00a0") for line in text.splitlines() if line.strip()]
    return "  \n".join(f"`{line}`" for line in lines)


def show_error(err: InputError) -> None:
    # st.error renders markdown: messages quote user text only inside code spans (see losses/parse.py).
    st.error(err.message(current_lang()))
