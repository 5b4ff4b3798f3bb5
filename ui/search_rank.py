"""Rank the pages of ui/search_index.py for a query typed in either language, and name the place to open.

A page scores for each query term by where the term occurs: in its names (torch name, slug, aliases), in the
glossary terms it uses, in a place's heading or the words that lead there, or only in a place's text; terms
weigh by rarity (idf). Pages that hold every term, and whose name the query spells out in full, come first
('cross entropy' puts CrossEntropyLoss before BCELoss). The place named is the one that holds what the name
does not explain ('worked example cross entropy' -> the worked example). Pure: no Streamlit call.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .search_index import Page, SearchIndex, Section, search_index
from .search_text import CJK_RUN, LATIN_WORD, compact, normalize, query_terms, text_terms

NAME, GLOSSARY, LABEL, TEXT = 3.0, 2.0, 1.5, 1.0
RELATIVE_CUTOFF = 0.12   # a page scoring under 12 % of the best one is noise (one word deep in a long text)
SNIPPET_CHARS = 160


@dataclass(frozen=True)
class Hit:
    page: Page
    score: float
    section: Section | None       # None: the page as a whole (its name was the whole query)
    query: tuple = ()             # extra query parameters for the link
    compare: tuple = ()           # a comparison hit: the slugs it puts on one plot

    def link_params(self, lang: str) -> dict:
        """st.page_link's query_params: the language, and a key given twice becomes a list."""
        params: dict = {"lang": lang}
        for key, value in self.query:
            if key in params:
                params[key] = [*([params[key]] if isinstance(params[key], str) else params[key]), value]
            else:
                params[key] = value
        return params


def _expand(source: dict, index: SearchIndex) -> dict:
    """'smoothl1' is no word of the texts, 'smooth' + 'l1' are: split unknown Latin words in two known ones."""
    out = {}
    for term, word in source.items():
        out.setdefault(term, word)
        if term.isascii() and term not in index.vocabulary:
            for cut in range(2, len(term) - 1):
                if term[:cut] in index.vocabulary and term[cut:] in index.vocabulary:
                    out.setdefault(term[:cut], word)
                    out.setdefault(term[cut:], word)
                    break
    return out


def _name_match(page: Page, term: str, word: str) -> bool:
    """A word of a name, or (as the old search did) a piece of a name: 'entropy' in 'crossentropyloss'."""
    if term in page.name_terms:
        return True
    if CJK_RUN.fullmatch(term):
        return any(term in name for name in page.names)
    return len(word) >= 3 and any(word in name for name in page.names)


def _name_cover(page: Page, words: list[str]) -> float:
    """How much of the page's best-matching name the query spells out (1.0: 'cross entropy' for 'cross-entropy')."""
    best = 0.0
    for name in page.names:
        covered = [False] * len(name)
        for word in words:
            for m in re.finditer(re.escape(word), name):
                covered[m.start():m.end()] = [True] * len(word)
        best = max(best, sum(covered) / len(name)) if name else best
    return best


def _section_weight(section: Section, term: str) -> float:
    if term in section.label_terms:
        return LABEL
    count = section.text_terms.get(term, 0)
    return min(TEXT + 0.1 * (count - 1), 1.4) if count else 0.0


def _best_section(page: Page, residual: list[str], weights: dict) -> Section | None:
    best, best_score = None, 0.0
    for section in page.sections:
        score = sum(weights[t] * _section_weight(section, t) for t in residual)
        if score > best_score + 1e-9:
            best, best_score = section, score
    return best


def _score_page(page: Page, terms: list[str], source: dict, weights: dict, words: list[str], whole: str):
    named = [t for t in terms if _name_match(page, t, source[t])]
    score, matched = 0.0, 0.0
    for term in terms:
        field = NAME if term in named else max(
            GLOSSARY if term in page.glossary_terms else 0.0,
            max((_section_weight(s, term) for s in page.sections), default=0.0))
        if field:
            score += weights[term] * field
            matched += weights[term]
    if not score:
        return None
    coverage = matched / sum(weights.values())
    name_words = [w for w in words if any(source[t] == w for t in named)]
    cover = _name_cover(page, name_words) if named else 0.0
    if whole in page.names:  # the query is one of the page's names, written as it is ('CrossEntropyLoss')
        cover += 1.0
    residual = [t for t in terms if t not in named]
    section = _best_section(page, residual, weights) if residual else None
    return score * coverage ** 2 * (1 + cover), cover, section


def _wants_comparison(query: str, index: SearchIndex) -> bool:
    norm = normalize(query)
    return any(w in index.compare_words for w in LATIN_WORD.findall(norm)) or \
        any(w in norm for w in index.compare_words if CJK_RUN.fullmatch(w))


def _comparison(hits: list[Hit], index: SearchIndex) -> Hit | None:
    """Two losses of one family asked about together: their shared plot on the compare page."""
    compare = next((p for p in index.pages if p.stem == "compare"), None)
    if compare is None or len(hits) < 2:
        return None
    a, b = hits[0].page, hits[1].page
    if a.kind != "loss" or b.kind != "loss" or a.family != b.family:
        return None
    from .compare import axis_groups
    groups = [g for g in axis_groups(a.family).values() if a.stem in g and b.stem in g]
    if not groups:
        return None
    return Hit(compare, hits[1].score * 0.99, None, compare_query(a.family, (a.stem, b.stem)), (a.stem, b.stem))


def compare_query(family: str, slugs: tuple) -> tuple:
    """The compare page's URL state that opens with exactly these losses on one plot."""
    from losses import REGISTRY

    from .compare import axis_groups
    titles = tuple(("compare." + family + ".losses", REGISTRY[s].title) for s in slugs)
    if family == "regression":
        return titles
    if len(axis_groups(family)) == 1:
        return (("compare.view", "family"), ("compare.family", family)) + titles
    return (("compare.view", "family"), ("compare.family", family))


def search(query: str, limit: int | None = None) -> list[Hit]:
    """Pages for a query, best first; [] for a query with no word to look for."""
    index = search_index()
    source = _expand(query_terms(query, index.stop, index.keep), index)
    if not source:
        return []
    terms, words = list(source), list(dict.fromkeys(source.values()))
    weights = {t: index.idf(t) for t in terms}
    scored = []
    for order, page in enumerate(index.pages):
        found = _score_page(page, terms, source, weights, words, compact(query))
        if found is not None:
            score, cover, section = found
            scored.append((-score, -cover, order, Hit(page, score, section, section.query if section else ())))
    scored.sort(key=lambda row: row[:3])
    hits = [row[3] for row in scored]
    if hits:
        hits = [h for h in hits if h.score >= RELATIVE_CUTOFF * hits[0].score]
    if _wants_comparison(query, index):
        extra = _comparison(hits, index)
        if extra is not None:
            hits = hits[:2] + [extra] + [h for h in hits[2:] if h.page.stem != "compare"]
    return hits[:limit] if limit else hits


def snippet(hit: Hit, query: str, lang: str, summary: str = "") -> str:
    """The sentence of the hit's place that holds most of the query, shortened without cutting a formula."""
    if hit.section is None:
        return summary
    terms = set(text_terms(query))
    text = hit.section.texts.get(lang, "")
    sentences = [s.strip(" -*#\n") for s in re.split(r"(?<=[。！？])|(?<=[.!?])\s+|\n+", text) if s.strip(" -*#\n")]
    if not sentences:
        return ""
    best = max(sentences, key=lambda s: len(terms & set(text_terms(s))))
    return shorten(best, SNIPPET_CHARS)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut only where no $formula$, `code` or **bold** is left open."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = 0
    for i in range(min(limit, len(text)), 0, -1):
        head = text[:i]
        if head.count("$") % 2 == 0 and head.count("`") % 2 == 0 and head.count("**") % 2 == 0 \
                and (text[i - 1] in " ,，、。;；" or not text[i - 1].isascii()):
            cut = i
            break
    return text[:cut].rstrip(" ,，、;；") + " …" if cut else ""
