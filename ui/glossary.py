"""The glossary across languages (content/glossary.toml + content/<lang>/glossary.toml), a loss-name matcher, and the glossary page. (The home page
searches more than names: ui/search_rank.py, whose index takes its names and terms from here.)

The loaders and matchers are pure (no Streamlit call), so tests use them directly.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from losses import REGISTRY
from losses.chooser import TORCH_NAMES

from .i18n import CONTENT, FALLBACK, LANGS


@dataclass(frozen=True)
class Term:
    key: str
    names: tuple          # ((lang, the term in that language), ...) for every shipped language
    aliases: tuple[str, ...]  # other spellings, every language
    definitions: tuple    # ((lang, one or two sentences), ...)
    losses: tuple[str, ...]

    def name(self, lang: str) -> str:
        return dict(self.names).get(lang) or dict(self.names)[FALLBACK]

    def definition(self, lang: str) -> str:
        return dict(self.definitions).get(lang) or dict(self.definitions)[FALLBACK]

    # The two shipped languages by name (search and tests read them).
    en = property(lambda self: self.name("en"))
    zh = property(lambda self: self.name("zh"))
    def_en = property(lambda self: self.definition("en"))
    def_zh = property(lambda self: self.definition("zh"))


def _load(path) -> dict:
    if not path.exists():
        return {}
    with open(path, "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def _raw() -> dict:
    """content/glossary.toml (keys, linked losses, order) with each language's words from
    content/<lang>/glossary.toml: {"term": [...], "loss": {slug: {lang: [names]}}}."""
    neutral = _load(CONTENT / "glossary.toml")
    words = {lang: _load(CONTENT / lang / "glossary.toml") for lang in LANGS}
    loss: dict = {}
    for lang, table in words.items():
        for slug, names in table.get("loss", {}).items():
            loss.setdefault(slug, {})[lang] = list(names)
    return {"term": neutral["term"], "words": words, "loss": loss}


@lru_cache(maxsize=1)
def terms() -> tuple[Term, ...]:
    raw = _raw()
    out = []
    for entry in raw["term"]:
        own = {lang: table.get("term", {}).get(entry["key"]) for lang, table in raw["words"].items()}
        own = {lang: w for lang, w in own.items() if w}
        out.append(Term(entry["key"], tuple((lang, w["name"]) for lang, w in own.items()),
                        tuple(a for w in own.values() for a in w.get("aliases", ())),
                        tuple((lang, w["definition"]) for lang, w in own.items()), tuple(entry.get("losses", ()))))
    return tuple(out)


def loss_names(slug: str) -> dict:
    """{lang: [...]} names people search for, in every shipped language (empty lists for a slug without any)."""
    entry = _raw()["loss"].get(slug, {})
    return {lang: list(entry.get(lang, ())) for lang in LANGS}


def has_page(slug: str) -> bool:
    """A loss page can be linked: the slug is registered and its page file exists."""
    return slug in REGISTRY and (CONTENT.parent / "pages" / f"{slug}.py").exists()


def title_of(slug: str) -> str:
    """torch's class name: from the registry when registered, else from the planned names."""
    return REGISTRY[slug].title if slug in REGISTRY else TORCH_NAMES.get(slug, slug)


def _norm(text: str) -> str:
    """Case-, width- and separator-insensitive: 'Cross-Entropy', 'cross_entropy', 'ＣＥ' all compare alike."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s\-_·/()（）.,，]+", "", text)


def _haystack(slug: str) -> list[str]:
    names = loss_names(slug)
    out = [slug, title_of(slug), *(n for lang in LANGS for n in names[lang])]
    spec = REGISTRY.get(slug)
    if spec is not None and spec.functional:
        out.append(spec.functional)
    return [_norm(s) for s in out if s]


def search_losses(query: str, slugs=None) -> list[str]:
    """Slugs (in the given order, default: the registry's) whose names match every word of the query (a filter on
    names only; home ranks pages with ui/search_rank.search).

    Matches torch names, slugs and the English and Chinese names of content/glossary.toml, e.g.
    "cross-entropy" in any language -> cross_entropy (and the binary cross-entropies), "huber" -> huber, "mae" -> l1."""
    slugs = list(REGISTRY) if slugs is None else list(slugs)
    words = [_norm(w) for w in re.split(r"[\s,，]+", query or "") if _norm(w)]
    if not words:
        return slugs
    found = []
    for slug in slugs:
        hay = _haystack(slug)
        if all(any(w in h for h in hay) for w in words):
            found.append(slug)
    return found


def search_terms(query: str) -> list[Term]:
    words = [_norm(w) for w in re.split(r"[\s,，]+", query or "") if _norm(w)]
    if not words:
        return list(terms())
    out = []
    for term in terms():
        hay = [_norm(s) for s in (term.key, *(n for _, n in term.names), *term.aliases)]
        if all(any(w in h for h in hay) for w in words):
            out.append(term)
    return out


def terms_for(slug: str) -> list[Term]:
    """Glossary terms a loss page uses (listed under that slug in glossary.toml)."""
    return [term for term in terms() if slug in term.losses]


def glossary_link(term: Term, lang: str) -> str:
    """A markdown link to the glossary page filtered on this term (keeps the language)."""
    label = term.name(lang)
    return f"[{label}](glossary?glossary.q={quote(term.key)}&lang={lang})"


# ---- the page ---------------------------------------------------------------------------------------------
def render_glossary() -> None:
    import streamlit as st

    from .i18n import t
    st.title(t("page_glossary"))
    st.markdown(t("course_glossary_intro"))
    _search_and_terms()


def _search_and_terms() -> None:
    """A fragment (built on first use: this module is imported without Streamlit too): a query reruns the
    list alone, not the whole app."""
    global _fragment
    if _fragment is None:
        from .errors import fragment
        _fragment = fragment(_render_terms)
    _fragment()


_fragment = None


def _render_terms() -> None:
    import streamlit as st

    from .i18n import current_lang, t
    lang = current_lang()
    query = st.text_input(t("course_glossary_search"), key="glossary.q", bind="query-params",
                          placeholder=t("course_glossary_placeholder"))
    found = search_terms(query)
    st.caption(t("course_glossary_count", n=len(found), total=len(terms())))
    if not found:
        st.info(t("course_no_match"))
    cols = st.columns(2)
    for i, term in enumerate(found):
        # Two elements per card (each element costs the server ~0.2 ms per run; 49 cards)
        with cols[i % 2], st.container(border=True):
            # the term in the reader's language, then in the others (a glossary across languages)
            first, second = term.name(lang), " · ".join(n for other, n in term.names if other != lang)
            st.markdown(f"**{first}** · {second}\n\n{term.definition(lang)}")
            notes = []
            pages = [s for s in term.losses if has_page(s)]
            if pages:
                links = " · ".join(f"[{REGISTRY[s].title}]({s}?lang={lang})" for s in pages)
                notes.append(t("course_used_on") + " " + links)
            if term.aliases:
                notes.append(t("course_aliases") + " " + ", ".join(term.aliases))
            if notes:
                st.caption("  \n".join(notes))
