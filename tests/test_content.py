"""Bilingual content: same sections in both languages, every UI string in both, no HTML or emoji."""
import re

import pytest

from losses import REGISTRY
from ui.i18n import CONTENT, LANGS, SECTION_IDS, _MARKER, load_content, strings

ALL_CONTENT_SLUGS = sorted(p.stem for p in (CONTENT / "en").glob("*.md"))


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_every_registered_loss_has_both_content_files(slug):
    for lang in LANGS:
        assert (CONTENT / lang / f"{slug}.md").exists(), f"missing content/{lang}/{slug}.md"


@pytest.mark.parametrize("slug", ALL_CONTENT_SLUGS)
def test_sections_are_the_same_in_both_languages(slug):
    ids = {lang: _MARKER.findall((CONTENT / lang / f"{slug}.md").read_text(encoding="utf-8")) for lang in LANGS}
    assert ids["en"] == ids["zh"] == list(SECTION_IDS)
    zh = load_content(slug, "zh")
    assert all(body.strip() for _, body in zh.values())
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["intuition"][1])


@pytest.mark.parametrize("slug", ALL_CONTENT_SLUGS)
@pytest.mark.parametrize("lang", LANGS)
def test_markdown_is_safe_to_render(slug, lang):
    text = (CONTENT / lang / f"{slug}.md").read_text(encoding="utf-8")
    text = re.sub(r"<!--\s*section:\s*[a-z_]+\s*-->", "", text)
    assert not re.search(r"</?[a-zA-Z][^>]*>", re.sub(r"`[^`]*`", "", text)), "no HTML in content"
    assert not re.search("[\U0001F300-\U0001FAFF\u2600-\u27BF]", text), "no emoji (they render as boxes)"
    assert text.count("$$") % 2 == 0


def test_every_ui_string_has_both_languages():
    for key, value in strings().items():
        assert set(value) == set(LANGS), key
        assert value["en"].strip() and value["zh"].strip(), key
