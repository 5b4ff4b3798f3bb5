"""What the home search looks in: every loss page and course page, each cut into the places a reader lands on
(formula, worked example, quiz, reduction inspector, code, pitfalls, ...), with their words in both languages.

Built once per process (`search_index()`), from the registry, content/<lang>/<slug>.md, content/glossary.toml
and the UI strings; pure (no Streamlit call), so tests build it directly. Ranking lives in ui/search_rank.py.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from losses import REGISTRY

from .glossary import has_page, loss_names, terms, terms_for
from .i18n import LANGS, load_content, strings, t, tr
from .search_text import compact, normalize, text_terms

ROOT = Path(__file__).resolve().parent.parent
# The places of a loss page, in page order; which exist depends on the spec (see _loss_sections).
PLACES = ("summary", "formula", "intuition", "plot", "example", "quiz", "inspector", "code",
          "parameters", "shapes", "when", "pitfalls")
CONTENT_PLACES = ("summary", "formula", "intuition", "parameters", "shapes", "when", "pitfalls")
PLACE_LABELS = {"summary": "search_place_overview", "plot": "search_place_plot", "example": "search_place_example",
                "quiz": "search_place_quiz", "inspector": "search_place_inspector", "code": "search_place_code"}
# Course pages: the UI-string prefixes that hold their text (a page not listed uses "course_<stem>_", "<stem>_").
COURSE_PREFIXES = {"choose": ("course_choose_",), "compare": ("course_compare_", "course_margin_"),
                   "theory": ("course_theory_", "course_unit_"), "in_action": ("action_",),
                   "glossary": ("course_glossary_",)}


@dataclass(frozen=True)
class Section:
    sid: str                      # a place of a loss page, a course page's section key, or "term:<key>"
    labels: dict                  # {"en", "zh"}: what a result calls this place
    label_terms: frozenset        # its labels and the words that lead to it (both languages)
    text_terms: Counter           # its text (both languages), with counts
    texts: dict                   # {"en", "zh"}: its text, for the snippet under a result
    query: tuple = ()             # extra query parameters for the link (the glossary's filter)


@dataclass(frozen=True)
class Page:
    stem: str                     # pages/<stem>.py; a loss page's stem is its slug
    kind: str                     # "loss" or "course"
    titles: dict                  # {"en", "zh"}
    names: tuple                  # compact names: slug, torch names, aliases in both languages
    name_terms: frozenset         # their words and bigrams
    glossary_terms: frozenset     # words of the glossary terms the page uses
    sections: tuple
    family: str = ""

    @property
    def file(self) -> str:
        return f"pages/{self.stem}.py"


@dataclass
class SearchIndex:
    pages: tuple
    df: Counter                   # in how many pages each term occurs
    stop: frozenset               # words a query ignores (both languages)
    keep: frozenset               # Chinese words that stop words must not cut (the places' own words)
    compare_words: frozenset
    vocabulary: frozenset = field(default_factory=frozenset)

    def idf(self, term: str) -> float:
        return math.log(1 + len(self.pages) / (1 + self.df.get(term, 0)))


def _words(key: str) -> list[str]:
    entry = strings().get(key, {})
    return [w for lang in LANGS for w in entry.get(lang, "").split()]


def _terms(*texts: str) -> frozenset:
    out: Counter = Counter()
    for text in texts:
        out.update(text_terms(text))
    return frozenset(out)


def _section(sid: str, labels: dict, texts: dict, words_key: str = "", query: tuple = ()) -> Section:
    text_counts: Counter = Counter()
    for lang in LANGS:
        text_counts.update(text_terms(texts.get(lang, "")))
    label_terms = _terms(*labels.values(), *(_words(words_key) if words_key else ()))
    shown = {lang: labels[lang] for lang in LANGS}
    return Section(sid, shown, label_terms, text_counts, dict(texts), query)


# The headings a place shows on the page: words that lead to it, not sentences to quote under a result.
PLACE_HEADINGS = {"plot": ("explore",), "example": ("examples",), "quiz": ("course_quiz_title",),
                  "inspector": ("inspector",), "code": ("code",)}


def _place_texts(spec, place: str) -> dict:
    """The words each place of the page shows besides its heading, in both languages, one thing a line."""
    if place == "plot":
        lines = lambda lang: [tr(spec.curve.x_label, lang) if spec.curve else "",  # noqa: E731
                              *(f"`{p.name}` {p.symbol_text}: {tr(p.help, lang)}" for p in spec.params)]
    elif place == "example":
        lines = lambda lang: [f"{tr(ex.title, lang)}\n{tr(ex.note or {}, lang)}" for ex in spec.examples]  # noqa: E731
    else:
        keys = {"quiz": ("course_quiz_prompt",), "inspector": ("inspector_help",), "code": ()}[place]
        lines = lambda lang: [strings()[k][lang] for k in keys]  # noqa: E731
    return {lang: "\n".join(lines(lang)) for lang in LANGS}


def _loss_sections(slug: str) -> tuple:
    spec = REGISTRY[slug]
    content = {lang: load_content(slug, lang) for lang in LANGS}
    has_reduction = any(p.name == "reduction" for p in spec.params)
    # Every spec's examples make a quiz (tests/test_search.py checks it against ui/quiz.py, which would
    # cost ~2 s of torch calls here, on the first search of each process).
    present = {"plot": spec.curve is not None or bool(spec.params), "example": bool(spec.examples),
               "quiz": bool(spec.examples), "inspector": bool(spec.examples) and has_reduction,
               "code": bool(spec.examples)}
    out = []
    for place in PLACES:
        if place in CONTENT_PLACES:
            if not all(place in content[lang] for lang in LANGS):
                continue
            labels = {lang: content[lang][place][0] or t(PLACE_LABELS.get(place, "intuition"), lang)
                      for lang in LANGS}
            texts = {lang: content[lang][place][1] for lang in LANGS}
        elif present[place]:
            labels = {lang: t(PLACE_LABELS[place], lang) for lang in LANGS}
            labels["headings"] = " ".join(t(k, lang) for k in PLACE_HEADINGS[place] for lang in LANGS)
            texts = _place_texts(spec, place)
        else:
            continue
        if place == "parameters":  # a hyperparameter's name leads to the section that explains it
            labels = {**labels, "names": " ".join(p.name for p in spec.params)}
        out.append(_section(place, labels, texts, f"search_words_{place}"))
    return tuple(out)


def _loss_page(slug: str) -> Page:
    spec = REGISTRY[slug]
    names = loss_names(slug)
    raw = [slug, spec.title, spec.functional or "", *(n for lang in LANGS for n in names[lang])]
    glossary = [w for term in terms_for(slug) for w in (term.en, term.zh, *term.aliases)]
    return Page(slug, "loss", {lang: spec.title for lang in LANGS}, tuple(compact(n) for n in raw if n),
                _terms(*raw), _terms(*glossary), _loss_sections(slug), spec.family)


def _prefixes(stem: str) -> tuple:
    return COURSE_PREFIXES.get(stem, (f"course_{stem}_", f"{stem}_"))


def course_intro(stem: str, lang: str) -> str:
    """A course page's introduction (its first '<prefix>intro' string), or ''."""
    key = next((p + "intro" for p in _prefixes(stem) if p + "intro" in strings()), None)
    return t(key, lang) if key else ""


def _course_sections(stem: str) -> tuple:
    table = strings()
    prefixes = _prefixes(stem)
    # Strings with {placeholders} are templates of computed results, not prose to quote.
    keys = [k for k in table if k.startswith(prefixes) and "{" not in table[k]["en"]]
    headed = [k for k in keys if f"{k}_text" in table]
    rest = [k for k in keys if k not in headed and k.removesuffix("_text") not in headed]
    texts = {lang: "\n".join(table[k][lang] for k in rest) for lang in LANGS}
    if stem == "choose":
        from losses.chooser import QUESTIONS
        for lang in LANGS:
            texts[lang] += "\n" + "\n".join(tr(q.label, lang) + " " + "; ".join(tr(o, lang) for _, o in q.options)
                                          for q in QUESTIONS)
    out = [_section("summary", {lang: t("search_place_overview", lang) for lang in LANGS}, texts)]
    out += [_section(k, {lang: table[k][lang] for lang in LANGS}, {lang: table[f"{k}_text"][lang] for lang in LANGS})
            for k in headed]
    if stem == "glossary":
        out += [_section(f"term:{term.key}", {"en": term.en, "zh": term.zh},
                         {"en": term.def_en + " " + " ".join(term.aliases), "zh": term.def_zh},
                         query=(("glossary.q", term.key),)) for term in terms()]
    return tuple(out)


def _course_page(stem: str, title_key: str) -> Page:
    titles = {lang: t(title_key, lang) for lang in LANGS}
    return Page(stem, "course", titles, (compact(stem), *(compact(x) for x in titles.values())),
                _terms(stem, *titles.values()), frozenset(), _course_sections(stem))


def _page_terms(page: Page) -> set:
    out = set(page.name_terms) | set(page.glossary_terms)
    for s in page.sections:
        out |= s.label_terms
        out |= set(s.text_terms)
    return out


@lru_cache(maxsize=1)
def search_index() -> SearchIndex:
    from .nav import COURSE_PAGES
    pages = [_course_page(stem, key) for stem, key in COURSE_PAGES
             if stem != "home" and (ROOT / "pages" / f"{stem}.py").exists()]
    pages += [_loss_page(slug) for slug in REGISTRY if has_page(slug)]
    df: Counter = Counter()
    for page in pages:
        df.update(_page_terms(page))
    stop = frozenset(normalize(w).strip() for w in _words("search_stop_words"))
    keep = frozenset(w for k in strings() if k.startswith("search_words_") for w in strings()[k]["zh"].split())
    return SearchIndex(tuple(pages), df, stop, keep - stop, frozenset(_words("search_compare_words")),
                       frozenset(df))
