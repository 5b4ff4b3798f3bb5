"""A pseudo-locale, as i18n teams use: every catalog string and every line of content bracketed and stretched
(⟦…‥‥⟧), added as a third language the way a translator would add one (a folder content/<code>/ and one
entry in losses.text.LANGUAGES). Every page rendered in it must show only bracketed words: a visible string
without brackets is text still hard-coded in Python, or a catalog the page does not read."""
from __future__ import annotations

import re
import shutil
import sys

import pytest

from app_pages import open_page
from losses import REGISTRY

PSEUDO = "xx"
# What may be shown without words of a language: torch's own names (class names, arguments, values),
# numbers, code spans, LaTeX, and the language switch's own label (every language's name for "Language").
NEUTRAL = re.compile(r"`[^`]*`|\b(?:max|min|sigmoid|softmax|log|exp)(?=\()|\$\$?[^$]*\$\$?|\b[A-Z][A-Za-z0-9]*Loss\b|\bsigmoid_focal_loss\b|LossLab|"
                     r"[-+]?\d[\d.,e+-]*|https?://\S+|\[[^\]]*\]\([^)]*\)|:material/[a-z_]+:")


def pseudo(words: str) -> str:
    """⟦words‥‥⟧ with {placeholders} untouched, ~30% longer (finds layouts that break on long labels)."""
    return "⟦" + words + "‥" * max(1, len(words) // 3) + "⟧"


def pseudo_markdown(text: str) -> str:
    """Bracket each prose line of a content file; leave markers, formulas, code and tables alone."""
    out, in_math, in_code = [], False, False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
        elif stripped == "$$":
            in_math = not in_math
        elif stripped and not (in_math or in_code or stripped.startswith(("<!--", "|", "$$"))):
            m = re.match(r"^(\s*(?:#+ |[-*] |\d+\. )?)(.*)$", line)
            line = m.group(1) + pseudo(m.group(2))
        out.append(line)
    return "\n".join(out) + "\n"


def _toml_string(value) -> str:
    import json
    return json.dumps(value, ensure_ascii=False)


def _toml_lines(flat: dict) -> str:
    """key.sub = value lines (TOML dotted keys rebuild the tables), every string pseudo-translated."""
    def key(k):
        return ".".join(p if re.fullmatch(r"[A-Za-z0-9_-]+", p) else _toml_string(p) for p in k.split("."))
    return "".join(f"{key(k)} = {_toml_string(pseudo_keep(v))}\n" for k, v in flat.items())


@pytest.fixture(scope="module")
def pseudo_locale(tmp_path_factory):
    """content/ copied to a temporary folder with content/xx/ generated from English; the app reads it."""
    import losses.text as text
    import ui.glossary  # noqa: F401  (imported before the swap, as the other tests of a session do)
    import ui.i18n  # noqa: F401
    import ui.language  # noqa: F401
    root = tmp_path_factory.mktemp("content")
    shutil.copytree(text.CONTENT, root, dirs_exist_ok=True)
    target = root / PSEUDO
    for src in (text.CONTENT / "en").rglob("*"):
        dst = target / src.relative_to(text.CONTENT / "en")
        if src.is_dir():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix == ".toml":
            import tomllib
            flat: dict = {}
            text._flatten(tomllib.loads(src.read_text(encoding="utf-8")), "", flat, str(src))
            dst.write_text(_toml_lines(flat), encoding="utf-8")
        elif src.suffix == ".md":
            front, body = text.split_front_matter(src.read_text(encoding="utf-8"))
            flat = {}
            text._flatten(front, "", flat, str(src))
            head = _toml_lines(flat)
            dst.write_text((f"+++\n{head}+++\n" if head else "") + pseudo_markdown(body), encoding="utf-8")
    # Every module that imported the content folder or the language list gets the new ones ("one folder and
    # one entry in the language list"), and is given the old ones back afterwards.
    swap = {text.CONTENT: root, text.LANGUAGES: (*text.LANGUAGES, PSEUDO)}
    saved = []
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("losses", "ui") and module is not None:
            for attr in ("CONTENT", "LANGUAGES", "LANGS"):
                old = getattr(module, attr, None)
                if old is not None and any(old is k for k in swap):
                    saved.append((module, attr, old))
                    setattr(module, attr, swap[old])
    _clear_caches()
    yield PSEUDO
    for module, attr, old in saved:
        setattr(module, attr, old)
    _clear_caches()


def pseudo_keep(words):
    """pseudo() for a string (its {placeholders} survive for str.format) or each string of a list."""
    if isinstance(words, list):
        return [pseudo_keep(w) for w in words]
    return pseudo(words) if isinstance(words, str) else words


def _clear_caches():
    """Every functools cache of the app's modules: catalogs, content, glossary, search index, quiz questions
    read the words of the languages known when they were filled."""
    import sys
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("losses", "ui") and module is not None:
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)) and hasattr(value, "cache_info"):
                    value.cache_clear()


def visible_texts(at) -> list[str]:
    """The words a reader sees in the main area: text elements, alerts, and every widget's label."""
    found = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        found += [e.value for e in at.get(kind) if isinstance(getattr(e, "value", None), str)]
    for kind in ("selectbox", "slider", "select_slider", "radio", "checkbox", "toggle", "text_input",
                 "text_area", "number_input", "multiselect", "button", "button_group"):
        found += [w.label for w in at.get(kind) if getattr(w, "label", "")]
    return found


def unbracketed(texts: list[str]) -> list[str]:
    """Lines that show words (3+ letters, once code, formulas, numbers and torch names are removed) outside any
    ⟦…⟧: each line is checked (one bracketed heading cannot hide hard-coded steps below it), and a line inside
    a multi-line bracketed string counts as covered."""
    bad = []
    for shown in texts:
        depth = 0
        for line in NEUTRAL.sub(" ", shown).splitlines():
            covered = depth > 0 or "⟦" in line or "⟧" in line or "‥" in line
            depth += line.count("⟦") - line.count("⟧")
            if not covered and re.search(r"[A-Za-z\u4e00-\u9fff]{3,}", line):
                bad.append(line.strip()[:120])
    return bad


PAGES = ["home", "huber", "cross_entropy", "compare"]


@pytest.mark.parametrize("page", PAGES)
def test_every_visible_string_comes_from_the_catalog(pseudo_locale, page):
    at = open_page(page, pseudo_locale)
    assert at.radio(key="lang").value == pseudo_locale
    bad = unbracketed(visible_texts(at))
    assert not bad, f"{len(bad)} strings not from content/{pseudo_locale}/: {bad[:15]}"


@pytest.mark.slow
@pytest.mark.parametrize("page", [s for s in REGISTRY if s not in PAGES] +
                         ["choose", "theory", "origins", "in_action", "glossary"])
def test_every_visible_string_comes_from_the_catalog_on_every_page(pseudo_locale, page):
    test_every_visible_string_comes_from_the_catalog(pseudo_locale, page)
