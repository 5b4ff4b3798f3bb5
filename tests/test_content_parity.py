"""Both languages teach the same thing: same structure section by section, English text free of Chinese,
no reference to notes a reader cannot open, one Chinese quotation style, and one Chinese word for hinge (the
words: tests/data/zh_content_words.toml)."""
import re
import tomllib

import pytest

from losses import REGISTRY
from losses.chooser import NOTES_TABLE, QUESTIONS, recommend
from losses.text import split_front_matter
from ui.i18n import CONTENT, LANGS, SECTION_IDS, load_content, tr
from words import data

SLUGS = sorted(p.stem for p in (CONTENT / "en").glob("*.md"))
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# English strings that name Chinese on purpose: the glossary's title and the search boxes that accept Chinese.
CJK_ALLOWED = {"page_glossary", "course_no_match", "course_search", "course_search_placeholder",
               "course_glossary_placeholder"}
ZH = data("zh_content_words")
NOTES = re.compile("|".join([r"seed (note|notes|implementation)", r"\bnotes?\s*0\d\d", "the notes'",
                             *map(re.escape, ZH["notes"])]), re.IGNORECASE)
HINGE_WRONG = ZH["hinge_wrong"]
PROTECTED = re.compile(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$", re.DOTALL)


def structure(body: str) -> dict:
    """What a reader sees as the shape of a section: subheadings, list items, numbered steps, paragraphs."""
    blocks = [b for b in re.split(r"\n\s*\n", body) if b.strip()]
    return {
        "subheadings": len(re.findall(r"^#{3,} ", body, re.MULTILINE)),
        "list items": len(re.findall(r"^\s*[-*] ", body, re.MULTILINE)),
        "numbered steps": len(re.findall(r"^\s*\d+\. ", body, re.MULTILINE)),
        "paragraphs": sum(1 for b in blocks if not re.match(r"\s*([-*]|\d+\.) ", b)),
        "display formulas": body.count("$$") // 2,
    }


@pytest.mark.parametrize("slug", SLUGS)
def test_both_languages_have_the_same_structure_in_every_section(slug):
    en, zh = load_content(slug, "en"), load_content(slug, "zh")
    assert list(en) == list(zh) == list(SECTION_IDS)
    for sid in SECTION_IDS:
        assert structure(en[sid][1]) == structure(zh[sid][1]), f"{slug}/{sid}: en and zh differ in structure"


def test_structure_counts_what_it_claims():
    body = "Intro.\n\n- a\n- b\n  - nested\n\n1. one\n2. two\n\n$$x$$\n\n### More\nText."
    assert structure(body) == {"subheadings": 1, "list items": 3, "numbered steps": 2, "paragraphs": 3,
                               "display formulas": 1}


def _english_strings():
    """Every English string a page can show: content, UI strings, spec text, chooser text."""
    for path in sorted((CONTENT / "en").glob("*.md")):
        yield path.name, path.read_text(encoding="utf-8")
    from losses.text import catalog
    for key, value in catalog("en").items():
        if key not in CJK_ALLOWED:
            yield f"en:{key}", value
    for slug, spec in REGISTRY.items():
        yield f"{slug} summary/title", spec.title
        for p in spec.params:
            yield f"{slug}.{p.name} help", tr(p.help, "en")
        for ex in spec.examples:
            yield f"{slug} example", tr(ex.title, "en") + " " + tr(ex.note, "en")
        if spec.curve is not None:
            yield f"{slug} curve", " ".join([tr(spec.curve.x_label, "en"), tr(spec.curve.y_label, "en"),
                                             *(tr(s.name, "en") for s in spec.curve.series)])
    for row in NOTES_TABLE:
        yield f"chooser row {tr(row.task, 'en')}", " ".join([tr(row.task, "en"), tr(row.notes_reason, "en"),
                                                             tr(row.correction, "en")])
    for q in QUESTIONS:
        yield f"chooser {q.key}", tr(q.label, "en") + " " + " ".join(tr(label, "en") for _, label in q.options)


def test_english_text_has_no_chinese():
    leaks = [(where, CJK.findall(text)[:3]) for where, text in _english_strings() if CJK.search(text)]
    assert not leaks, leaks


def test_chooser_answers_are_english_in_english():
    for row in NOTES_TABLE:
        rec = recommend(row.answers)
        assert not CJK.search(tr(rec.reason, "en") + " ".join(tr(a.why, "en") for a in rec.alternatives))


def _all_text_files():
    yield from sorted(CONTENT.rglob("*.md"))
    yield from sorted(CONTENT.rglob("*.toml"))


@pytest.mark.parametrize("path", list(_all_text_files()), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_reference_to_notes_the_reader_cannot_open(path):
    hits = [line[:80] for line in path.read_text(encoding="utf-8").splitlines() if NOTES.search(line)]
    assert not hits, hits


def test_spec_text_has_no_reference_to_notes():
    for slug, spec in REGISTRY.items():
        texts = [tr(ex.title, lang) for ex in spec.examples for lang in LANGS]
        texts += [tr(p.help, lang) for p in spec.params for lang in LANGS]
        assert not any(NOTES.search(x) for x in texts), slug


def _strings(table: dict):
    for value in table.values():
        yield from _strings(value) if isinstance(value, dict) else [value]


@pytest.mark.parametrize("slug", SLUGS)
def test_chinese_typography(slug):
    front, text = split_front_matter((CONTENT / "zh" / f"{slug}.md").read_text(encoding="utf-8"))
    text += "\n".join(_strings(front))  # the front matter's values, not its TOML quotes
    prose = PROTECTED.sub("X", text)
    assert '"' not in prose, "Chinese quotes are “…”"
    assert not re.search(r"。 +\S", prose), "no space after 。"
    assert HINGE_WRONG not in text, "hinge is {} (or {}), as in the glossary".format(*ZH["hinge"])


def test_hinge_is_called_the_same_everywhere_in_chinese():
    for path in [*(CONTENT / "ui").glob("*.toml"), CONTENT / "glossary.toml"]:
        assert HINGE_WRONG not in path.read_text(encoding="utf-8"), path.name
    for spec in REGISTRY.values():
        if spec.curve is not None:
            labels = [tr(s.name, "zh") for s in spec.curve.series] + [tr(spec.curve.x_label, "zh")]
            assert not any(HINGE_WRONG in x or re.search(r"\bgap\b", x) for x in labels), spec.slug


def test_code_snippets_carry_no_english_comments():
    """The quiz and the copy-code box show the same snippet on Chinese pages: no prose inside the code."""
    from ui.quiz import questions
    for slug, spec in REGISTRY.items():
        for q in questions(spec):
            assert not [line for line in spec.code(q.inputs, q.params).splitlines() if "#" in line], slug
