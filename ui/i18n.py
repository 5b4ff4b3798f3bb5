"""Language: the current choice, interface strings (content/ui*.toml) and per-loss content (markdown)."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

LANGS = ("en", "zh")
LANG_NAMES = {"en": "English", "zh": "中文"}
CONTENT = Path(__file__).resolve().parent.parent / "content"
SECTION_IDS = ("summary", "intuition", "formula", "parameters", "shapes", "when", "pitfalls")
_MARKER = re.compile(r"^<!--\s*section:\s*([a-z_]+)\s*-->\s*$", re.MULTILINE)


def current_lang() -> str:
    import streamlit as st
    lang = st.session_state.get("lang") or st.query_params.get("lang", "en")
    return lang if lang in LANGS else "en"


@lru_cache(maxsize=1)
def strings() -> dict:
    """All interface strings: content/ui.toml plus every content/ui/*.toml (a key may appear once)."""
    table: dict = {}
    for path in [CONTENT / "ui.toml", *sorted((CONTENT / "ui").glob("*.toml"))]:
        with open(path, "rb") as fh:
            for key, value in tomllib.load(fh).items():
                if key in table:
                    raise KeyError(f"duplicate UI string {key!r} in {path.name}")
                table[key] = value
    return table


def t(key: str, lang: str | None = None, **fmt) -> str:
    entry = strings()[key]
    text = entry[lang or current_lang()]
    return text.format(**fmt) if fmt else text


def tr(value: dict, lang: str | None = None) -> str:
    """Pick the current language from a {"en": ..., "zh": ...} dict (specs carry these)."""
    if not value:
        return ""
    return value.get(lang or current_lang()) or value.get("en", "")


@lru_cache(maxsize=128)
def load_content(slug: str, lang: str) -> dict[str, tuple[str, str]]:
    """content/<lang>/<slug>.md split at its section markers: {id: (heading, body)}."""
    path = CONTENT / lang / f"{slug}.md"
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    parts = _MARKER.split(text)
    sections: dict[str, tuple[str, str]] = {}
    for sid, chunk in zip(parts[1::2], parts[2::2]):
        chunk = chunk.strip()
        heading = ""
        if chunk.startswith("## "):
            heading, _, chunk = chunk.partition("\n")
            heading = heading[3:].strip()
        sections[sid] = (heading, chunk.strip())
    return sections
