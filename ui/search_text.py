"""Words for the home search, in both languages, without a segmenter: English words (case-insensitive, camelCase
and snake_case split, plurals folded), Chinese as character bigrams (and single characters), so "cross entropy"
(three characters) is found inside "binary cross entropy" and a two-character word inside a sentence. Pure Python,
no Streamlit: tests use it directly (tests/test_search.py holds the Chinese examples)."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[\s\-_·/()（）.,，:：;；'\"`*$\\{}\[\]]+")
# Formulas write Greek letters; readers type their names or the letters themselves.
GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "eps", "λ": "lambda", "μ": "mu",
         "σ": "sigma", "τ": "tau", "θ": "theta", "π": "pi", "ω": "omega"}


def normalize(text: str) -> str:
    """Full-width to ASCII (NFKC), camelCase split ('SmoothL1Loss' -> 'Smooth L1 Loss'), Greek spelled out,
    case folded. Safe here (unlike in the tensor parser): a search only compares words."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _CAMEL.sub(" ", text)
    text = "".join(f" {GREEK[c]} " if c in GREEK else c for c in text.casefold())
    return text


def compact(text: str) -> str:
    """Case-, width- and separator-insensitive form of a name: 'Cross-Entropy Loss' -> 'crossentropyloss'."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or "").casefold())


def stem(word: str) -> str:
    """Fold English plurals ('logits' -> 'logit', 'probabilities' -> 'probability'); enough for headings."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def cjk_grams(run: str) -> list[str]:
    """Bigrams of a run of Chinese characters; a single character stands for itself."""
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def text_terms(text: str) -> Counter:
    """Every term a piece of indexed text holds, with counts: English stems, Chinese bigrams and characters."""
    norm = normalize(text)
    out: Counter = Counter(stem(w) for w in LATIN_WORD.findall(norm))
    for run in CJK_RUN.findall(norm):
        out.update(cjk_grams(run))
        if len(run) > 1:
            out.update(run)  # single characters, so a one-character query ("entropy" is one) still matches
    return out


def split_cjk(run: str, stop: frozenset, keep: frozenset) -> list[str]:
    """Cut a Chinese run at stop words ("why is KL negative" -> "why", "negative"), longest match first, left to
    right; a word in `keep` (a place's own word such as "why") is never cut by a shorter stop word inside it."""
    longest = max((len(w) for w in stop | keep), default=1)
    pieces, current, i = [], "", 0
    while i < len(run):
        for size in range(min(longest, len(run) - i), 0, -1):
            word = run[i:i + size]
            if word in keep or word in stop:
                if current:
                    pieces.append(current)
                current = ""
                if word in keep:
                    pieces.append(word)
                i += size
                break
        else:
            current += run[i]
            i += 1
    if current:
        pieces.append(current)
    return pieces


def query_terms(query: str, stop: frozenset, keep: frozenset = frozenset()) -> dict[str, str]:
    """{term: the query word it came from}, in query order, stop words left out. Terms are English stems and
    Chinese bigrams; the words are kept to match names by substring, as the old name search did."""
    source: dict[str, str] = {}
    for token in re.findall(r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", normalize(query)):
        if CJK_RUN.fullmatch(token):
            for piece in split_cjk(token, stop, keep):
                for gram in cjk_grams(piece):
                    source.setdefault(gram, piece)
        elif token not in stop and not token.isdigit() and len(token) > 1:  # '1', 'x': in every formula
            source.setdefault(stem(token), token)
    return source
