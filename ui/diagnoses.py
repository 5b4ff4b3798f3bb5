"""The worked example's warnings: what torch computed without a word, why it is probably a mistake, and a
one-click fix where there is one (issue 19). The page calls render_diagnoses right after torch's value.

Words come from content/ui/diagnose.toml by key; a Diagnosis carries only its key and formatted numbers.
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from losses import REGISTRY
from losses.diagnosis import Fix
from losses.errors import InputError
from losses.fixes import apply_fix
from losses.parse import format_tensor_text
from losses.spec import LossSpec

from .errors import callback
from .i18n import current_lang, t
from .memo import shared


@shared(maxsize=512)
def cached_diagnoses(slug: str, inputs: dict, params: dict) -> list:
    """spec.diagnose, once per (inputs, params); both languages share the entry (no words inside)."""
    try:
        return REGISTRY[slug].diagnose(inputs, params)
    except InputError:
        return []   # refused input: the page already shows the error instead of a value


def _param_text(value) -> str:
    if isinstance(value, str):
        return value
    return format_tensor_text(np.asarray(value).tolist()).replace("\n", "")


def _fix_label(fix: Fix, lang: str) -> str:
    shape = "(" + ", ".join(str(d) for d in fix.shape) + ("," if len(fix.shape) == 1 else "") + ")"
    return t(f"dg_fix_{fix.kind}", lang, arg=fix.arg, shape=shape)


@callback
def _apply(slug: str, idx: int, fix: Fix, current: str) -> None:
    """Rewrite one text field before the rerun. An input is a text area of this example; a tensor parameter
    (weight, pos_weight) is a widget outside the example's fragment, so the whole page reruns to show it."""
    new = apply_fix(slug, current, fix)
    if new is None:
        st.session_state[f"{slug}.dg_stale"] = True
        return
    spec = REGISTRY[slug]
    if fix.arg in spec.arg_names:
        st.session_state[f"{slug}.ex{idx}.{fix.arg}"] = new
    else:
        st.session_state[f"{slug}.{fix.arg}"] = new
        st.session_state[f"{slug}.dg_rerun_app"] = True


def render_diagnoses(spec: LossSpec, inputs: dict[str, str], params: dict, idx: int) -> None:
    """Warnings for the example's current inputs, in the reader's language, each with its fix button."""
    if st.session_state.pop(f"{spec.slug}.dg_rerun_app", False):
        st.rerun()   # a parameter field changed: redraw the widgets outside this fragment too
    lang = current_lang()
    if st.session_state.pop(f"{spec.slug}.dg_stale", False):
        st.info(t("dg_fix_stale", lang))
    found = cached_diagnoses(spec.slug, dict(inputs), dict(params))
    if not found:
        return
    with st.container(key=f"{spec.slug}-diagnoses"):
        st.caption(t("dg_title", lang))
        for i, d in enumerate(found):
            # Markdown from our own strings; the arguments are numbers, shapes and argument names.
            st.warning(t(d.key, lang, **d.args) if d.args else t(d.key, lang), icon=":material/warning:")
            if d.fix is None:
                continue
            current = inputs[d.fix.arg] if d.fix.arg in inputs else _param_text(params.get(d.fix.arg))
            st.button(_fix_label(d.fix, lang), key=f"{spec.slug}.ex{idx}.fix{i}", icon=":material/build:",
                      on_click=_apply, args=(spec.slug, idx, d.fix, current))
