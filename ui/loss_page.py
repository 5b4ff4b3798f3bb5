"""render_loss_page(slug): the one generic page that every loss uses."""
from __future__ import annotations

import numpy as np
import streamlit as st

from losses import REGISTRY
from losses.device import available_devices, device_name, timed
from losses.errors import InputError
from losses.parse import format_tensor_text
from losses.reductions import inspect_reductions
from losses.spec import LossSpec

from .errors import callback, fragment
from .figure_cache import prebuilt
from .curve_view import main_value, render_curve
from .diagnoses import render_diagnoses
from .figures import bar_figure
from .i18n import current_lang, load_content, t, tr
from .markdown_blocks import joined, markdown_table
from .memo import shared
from .origins_link import render_origins_link
from .panels import panels_for, render_panel
from .quiz import render_quiz
from .url_state import publish, seed
from .widgets import param_widgets, show_error, tensor_markdown

DETAIL_SECTIONS = ("parameters", "shapes", "when", "pitfalls")


def current_device() -> str:
    device = st.session_state.get("device", "cpu")
    return device if device in available_devices() else "cpu"


def render_loss_page(slug: str) -> None:
    spec = REGISTRY[slug]
    lang = current_lang()
    content = load_content(slug, lang)
    st.title(spec.title)
    family = t(f"family_{spec.family}")
    st.caption(f"{family} · [{t('torch_docs')}]({spec.docs_url})" if spec.docs_url else family)
    if "summary" in content:
        st.markdown(f"##### {content['summary'][1]}")
    _contents(spec, lang)
    render_origins_link(slug)

    left, right = st.columns([1, 1], gap="large")
    with left:
        st.subheader(t("formula"), anchor="formula")
        st.latex(spec.formula)
        if "formula" in content:
            st.markdown(content["formula"][1])
    with right:
        if "intuition" in content:
            st.subheader(content["intuition"][0] or t("intuition"))
            st.markdown(content["intuition"][1])

    st.divider()  # outside the fragment: its reruns do not send the heading again
    st.subheader(t("explore"), anchor="plot")
    _interactive(spec)

    _details(spec, lang)
    st.caption(t("share_link"))


def _contents(spec: LossSpec, lang: str) -> None:
    """Jump links to the page's parts (they land below the fixed top bar: scroll-padding in ui/style.py).
    A link such as /huber#plot opens a page at its plot."""
    parts = [("formula", t("formula", lang))]
    if spec.curve is not None:
        parts.append(("plot", t("toc_plot", lang)))
    if spec.examples:
        parts += [("example", t("examples", lang)), ("quiz", t("course_quiz_title", lang))]
    parts.append(("details", t("toc_details", lang)))
    st.markdown(t("toc", lang) + " " + " · ".join(f"[{label}](#{anchor})" for anchor, label in parts))


@fragment
def _details(spec: LossSpec, lang: str) -> None:
    """Parameters, shapes, when to use, pitfalls: one tab at a time. Only the open tab is computed and
    sent (lazy tabs), so a page load or rerun renders one section's markdown and formulas, not four; a tab
    click reruns this fragment alone."""
    content = load_content(spec.slug, lang)
    present = [s for s in DETAIL_SECTIONS if s in content]
    if not present:
        return
    st.divider()
    st.html('<div id="details"></div>')
    labels = [content[s][0] for s in present]
    key = f"{spec.slug}.details"
    # A tab's state is its label, which a language switch changes: reopen the same section by its id.
    if st.session_state.get(key) not in labels and st.session_state.get(key + ".sid") in present:
        st.session_state[key] = labels[present.index(st.session_state[key + ".sid"])]
    tabs = st.tabs(labels, key=key, on_change="rerun")
    for tab, sid in zip(tabs, present):
        if tab.open:
            st.session_state[key + ".sid"] = sid
            with tab:
                st.markdown(content[sid][1])


@fragment
def _interactive(spec: LossSpec) -> None:
    """Hyperparameter widgets, then the plot and the worked example. A fragment: a hyperparameter reruns
    this part only (the title, formula and detail tabs above and below stay as they are: ~25% fewer
    messages and 5-15% less widget -> plot latency, bench/perf.py). The worked example is a fragment
    within it, so editing an input does not rerun, or resend, the plot."""
    lang = current_lang()
    main, value = main_value(spec)  # its control is inside the plot (ui/curve_view.py)
    params, err = param_widgets(spec, fixed={main.name: value} if main else {})
    if err is not None:
        show_error(err)
    if spec.curve is not None:
        render_curve(spec, params, lang)
    else:
        st.info(tr(spec.no_curve_reason) or t("no_curve"))
    device = current_device()
    for name in panels_for(spec.slug):
        render_panel(name, spec, params, device)
    if spec.examples:
        idx = _example_picker(spec, lang)
        # Panels explain the worked example too (softmax bars, focal tables...): on a page with panels an edit
        # of the example reruns this whole fragment, so they never show the numbers of the text before.
        (_example_body if panels_for(spec.slug) else _example_fragment)(spec, params, device, lang, idx)


@callback
def _select_example(spec: LossSpec) -> None:
    """Picking an example loads its hyperparameters into the sliders (they stay editable)."""
    ex = spec.examples[st.session_state[f"{spec.slug}.example"]]
    for name, value in {**spec.defaults(), **ex.params}.items():
        if spec.param(name).kind != "tensor":
            st.session_state[f"{spec.slug}.{name}"] = value
        else:  # tensor params (weight, pos_weight) are text fields: "" means None
            st.session_state[f"{spec.slug}.{name}"] = "" if value is None else \
                format_tensor_text(np.asarray(value).tolist()).replace("\n", "")


def _example_picker(spec: LossSpec, lang: str) -> int:
    """Outside the example fragment: picking an example changes the sliders, which needs a full rerun."""
    st.divider()
    st.subheader(t("examples"), anchor="example")
    key = f"{spec.slug}.example"
    seed(key, range(len(spec.examples)))
    idx = st.selectbox(t("example"), range(len(spec.examples)), format_func=lambda i, lang=lang: tr(spec.examples[i].title, lang),
                       key=key, on_change=_select_example, args=(spec,))
    publish(key, idx, 0)
    return idx


@shared(maxsize=512)
def analyse_example(slug: str, inputs: dict, params: dict, device: str) -> dict:
    """Everything the example fragment shows, computed once per (inputs, hyperparameters, device): torch's
    value and its time, the NumPy derivation, and the reduction inspector's numbers. An InputError is
    returned (ui/memo.py keeps no exceptions), and only numbers are kept, so both languages
    share an entry. Shared, not copied per rerun: callers must not mutate it."""
    spec = REGISTRY[slug]
    try:
        value, ms = timed(lambda: spec.evaluate(inputs, params, device=device), device)
        ref_value, steps = spec.reference(inputs, params)
    except InputError as err:
        return {"error": err}
    value = value.detach().cpu()
    out = {"error": None, "repr": repr(value), "value": value.double().numpy(), "ms": ms,
           "ref_value": np.asarray(ref_value, dtype=np.float64), "steps": steps, "inspector": None}
    try:
        out["inspector"] = inspect_reductions(spec, inputs, params, device)
    except InputError as err:
        out["inspector"] = {"error": err}
    return out


def _example_body(spec: LossSpec, params: dict, device: str, lang: str, idx: int) -> None:
    """Editable inputs, torch vs NumPy, quiz, reduction inspector and code (a fragment of its own on pages
    without panels: an edit then reruns this part alone)."""
    ex = spec.examples[idx]
    if ex.note:
        st.info(tr(ex.note))
    st.caption(t("edit_inputs"))
    inputs = {}
    with st.container(horizontal=True):  # side by side as columns would be, in one block (one message)
        for name in spec.arg_names:
            inputs[name] = st.text_area(f"`{name}`", value=format_tensor_text(ex.inputs[name]),
                                        key=f"{spec.slug}.ex{idx}.{name}", height=110, bind="query-params")
    result = analyse_example(spec.slug, inputs, params, device)
    if result["error"] is not None:
        show_error(result["error"])
        return
    st.html('<div id="quiz"></div>')
    # The quiz comes first: while it waits for an answer, the numbers below (torch's value, the steps, the
    # inspector's reductions) would give that answer away, so they stay hidden until it is revealed.
    if render_quiz(spec, device, lang):
        st.info(t("quiz_hides_results", lang), icon=":material/visibility_off:")
    else:
        _results(spec, ex, inputs, params, result, device, lang, idx)
    # Lazy: the snippet (and the syntax highlighter it loads) is built only once the expander is opened.
    code = st.expander(t("code"), key=f"{spec.slug}.code", on_change="rerun")
    if code.open:
        with code:
            st.code(spec.code(inputs, params), language="python")


_example_fragment = fragment(_example_body)


def _results(spec: LossSpec, ex, inputs: dict, params: dict, result: dict, device: str, lang: str, idx: int) -> None:
    """torch's value beside the NumPy derivation, warnings for silent mistakes, the reduction inspector."""
    torch_np, ref_value = result["value"], result["ref_value"]
    left, right = st.columns([2, 3], gap="large")
    with left:
        # One element, three paragraphs: each element costs a message per rerun
        st.markdown(joined(f"**{t('torch_result')}**", tensor_markdown(result["repr"]),
                           t("ran_on", device=device_name(device), ms=result["ms"])))
        diff = float(np.max(np.abs(torch_np - ref_value))) if torch_np.size else 0.0
        close = np.allclose(torch_np, ref_value, rtol=1e-5, atol=1e-5, equal_nan=True)
        (st.success if close else st.warning)(t("agree" if close else "disagree", diff=diff))
        render_diagnoses(spec, inputs, params, idx)  # what torch accepted silently, and a fix (ui/diagnoses.py)
        if ex.expected is not None and inputs == {n: format_tensor_text(ex.inputs[n]) for n in spec.arg_names} \
                and all(params.get(k) == v for k, v in ex.params.items()):
            st.caption(t("expected_value", value=f"{ex.expected:g}"))
    with right:
        st.markdown(numpy_steps_markdown(result["steps"], lang))
    if result["inspector"] is not None:
        _inspector(spec, result["inspector"], params, lang)


def numpy_steps_markdown(steps, lang: str) -> str:
    """The NumPy derivation as one Markdown block (numbered steps, display formulas between them): one
    element per rerun instead of two per step (each element costs the server ~0.2 ms to send)."""
    parts = [f"**{t('numpy_steps', lang)}**"]
    for i, step in enumerate(steps, start=1):
        parts.append(f"{i}. {step.text(lang)}")
        if step.latex:
            parts.append(f"$$\n{step.latex}\n$$")
    return joined(*parts)


def _inspector(spec: LossSpec, found: dict, params: dict, lang: str) -> None:
    """The 'none' tensor, then exactly what each reduction does with it, with the numbers."""
    with st.expander(t("inspector"), expanded=True):
        st.caption(t("inspector_help"))
        if found["error"] is not None:
            show_error(found["error"])
            return
        none = found["none"]
        total = float(none.sum())
        rows = []
        for r, v, how in found["rows"]:
            if how is None:
                text = t("sum_of", n=none.size)
            elif how[0] == "words":
                text = tr(how[1])
            else:
                if how[1] is not None:
                    d, words = how[1]
                    divisor = f"{d:g} ({tr(words)})"
                else:
                    divisor = f"{total / v if v else float('nan'):g}"
                text = t("sum_div", total=f"{total:.6g}", divisor=divisor)
            rows.append((f"`'{r}'`", f"{v:.6g}", text))
        c1, c2 = st.columns([3, 2])
        with c1:
            labels = {"element": t("element"), "loss": t("elementwise_loss")}
            st.plotly_chart(prebuilt(bar_figure, none, labels, t("elementwise_loss")), key=f"{spec.slug}.inspector",
                            config={"displaylogo": False}, alt=t("alt_inspector", values=", ".join(
                                f"{v:.4g}" for v in np.asarray(none, dtype=float).ravel()[:12])))
        with c2:
            st.markdown(joined(markdown_table((t("reduction_col"), t("value_col"), t("how_col")), rows),
                               f"**{t('grad_wrt', name=found['wrt'], reduction=params['reduction'])}**",
                               tensor_markdown(format_tensor_text(found["grad"]))))
