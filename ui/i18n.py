"""Language: the current choice, interface strings (losses/text.py: content/<lang>/) and per-loss content (markdown)."""
from __future__ import annotations

import re
from functools import lru_cache

from losses.text import CONTENT, FALLBACK, LANGUAGES, catalog, language_name, split_front_matter, text  # noqa: F401 (language_name: ui.language takes it from here)

LANGS = LANGUAGES
SECTION_IDS = ("summary", "intuition", "formula", "parameters", "shapes", "when", "pitfalls")
_MARKER = re.compile(r"^<!--\s*section:\s*([a-z_]+)\s*-->\s*$", re.MULTILINE)


def _this_run():
    """An object that lives for one script run (Streamlit makes a new fragment coordinator at each run's start),
    or None outside a run or if that internal moves (then nothing is remembered)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    return getattr(get_script_run_ctx(suppress_warning=True), "parallel_coordinator", None)


def current_lang() -> str:
    """The page's language, read from session state once per run: a run asks ~50 times (every t()), and each
    session-state read takes Streamlit's lock and key mapping. The language cannot change within a run: only
    the switch writes it, before anything reads it (forget_lang covers its first-run seeding)."""
    run = _this_run()
    lang = getattr(run, "losslab_lang", None)
    if lang is None:
        import streamlit as st
        lang = st.session_state.get("lang") or st.query_params.get("lang", FALLBACK)
        lang = lang if lang in LANGS else FALLBACK
        if run is not None:
            run.losslab_lang = lang
    return lang


def forget_lang() -> None:
    """After the language is written within a run: the next current_lang() reads it again."""
    run = _this_run()
    if run is not None and hasattr(run, "losslab_lang"):
        del run.losslab_lang


@lru_cache(maxsize=1)
def strings() -> dict:
    """Every interface string as {key: {lang: words}} (a view over the catalogs of losses/text.py)."""
    table: dict = {}
    for lang in LANGS:
        for key, words in catalog(lang).items():
            table.setdefault(key, {})[lang] = words
    return table


def t(key: str, lang: str | None = None, **fmt) -> str:
    """The interface string `key` in the page's language (English where a language lacks it)."""
    return text(key, lang or current_lang(), **fmt)


def tr(value, lang: str | None = None) -> str:
    """Words for what the domain carries: a message (losses.text.Msg), said in the page's language."""
    if not value:
        return ""
    return value.text(lang or current_lang()) if hasattr(value, "text") else str(value)


@lru_cache(maxsize=128)
def load_content(slug: str, lang: str) -> dict[str, tuple[str, str]]:
    """content/<lang>/<slug>.md split at its section markers: {id: (heading, body)}."""
    path = CONTENT / lang / f"{slug}.md"
    if not path.exists():
        return {}
    _, body = split_front_matter(path.read_text(encoding="utf-8"))  # the front matter is the loss's strings
    parts = _MARKER.split(body)
    sections: dict[str, tuple[str, str]] = {}
    for sid, chunk in zip(parts[1::2], parts[2::2]):
        chunk = chunk.strip()
        heading = ""
        if chunk.startswith("## "):
            heading, _, chunk = chunk.partition("\n")
            heading = heading[3:].strip()
        sections[sid] = (heading, chunk.strip())
    return sections
