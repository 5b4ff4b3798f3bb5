"""Bilingual content: same sections in both languages, every UI string in both, no HTML or emoji."""
import re

import pytest

from losses import REGISTRY
from ui.i18n import CONTENT, LANGS, SECTION_IDS, _MARKER, load_content, strings, tr

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


def test_bce_pages_teach_the_silent_broadcast_that_torch_really_does():
    import torch
    import torch.nn.functional as F
    x, y = torch.rand(3, 3) * 0.8 + 0.1, torch.rand(3, 3).round()
    w = torch.tensor([1.0, 2.0, 5.0])                                       # meant per sample, N = C = 3
    ratio = F.binary_cross_entropy(x, y, weight=w, reduction="none") / F.binary_cross_entropy(x, y, reduction="none")
    assert torch.allclose(ratio, w.expand(3, 3))                            # silently weights the columns
    with pytest.raises(RuntimeError):
        F.binary_cross_entropy(torch.rand(3, 4), torch.rand(3, 4), weight=w)  # N != C: an error
    z, t = torch.randn(2, 3, 5, 3), torch.ones(2, 3, 5, 3)
    pw = F.binary_cross_entropy_with_logits(z, t, pos_weight=w, reduction="none")
    assert torch.allclose(pw / F.binary_cross_entropy_with_logits(z, t, reduction="none"), w.expand(2, 3, 5, 3))
    with pytest.raises(RuntimeError):
        F.binary_cross_entropy_with_logits(torch.randn(2, 3, 5, 4), torch.ones(2, 3, 5, 4), pos_weight=w)
    for slug, case in (("binary_cross_entropy", "N = C"), ("binary_cross_entropy_with_logits", "W = C")):
        for lang in LANGS:
            assert case in load_content(slug, lang)["pitfalls"][1], (slug, lang)
    assert "N == C" in tr(REGISTRY["binary_cross_entropy"].param("weight").help, "en")
