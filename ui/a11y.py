"""Accessibility repairs applied in the browser (ui/a11y.js): Streamlit's skip link in the reader's language, the
sidebar navigation's current page, and keyboard-focusable scroll regions. A components-v2 snippet
with no DOM of its own; its labels follow the page's language (content/ui/a11y.toml)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

JS = Path(__file__).with_suffix(".js").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _component():
    import streamlit as st
    return st.components.v2.component("losslab_a11y", html="", js=JS, isolate_styles=False)


def labels(lang: str) -> dict:
    from .i18n import t
    return {"skip": t("a11y_skip", lang), "scroll": t("a11y_scroll", lang)}


def accessibility_repairs(lang: str) -> None:
    _component()(data=labels(lang), key="ll-a11y")
