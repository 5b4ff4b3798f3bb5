"""Search in both languages (home's loss search, the glossary) and the glossary file itself."""
import tomllib

import pytest

from losses import REGISTRY
from losses.chooser import TORCH_NAMES
from ui.glossary import _raw, loss_names, search_losses, search_terms, terms, terms_for
from ui.i18n import CONTENT
from words import data

PLANNED = list(TORCH_NAMES)   # search works for every planned slug, registered or not
Q = data("zh_queries")       # what a Chinese student types (tests/data/zh_queries.toml)


@pytest.mark.parametrize("query, must, must_not", [
    (Q["cross_entropy"], {"cross_entropy", "binary_cross_entropy", "binary_cross_entropy_with_logits"},
     {"l1", "mse", "ctc"}),
    ("CrossEntropyLoss", {"cross_entropy"}, {"binary_cross_entropy"}),
    ("cross entropy", {"cross_entropy", "binary_cross_entropy"}, {"huber"}),
    ("cross-entropy", {"cross_entropy"}, {"huber"}),
    ("Cross_Entropy", {"cross_entropy"}, {"huber"}),
    (Q["mse"], {"mse"}, {"l1", "huber"}),
    (Q["mae"], {"l1"}, {"mse"}),
    ("MAE", {"l1"}, {"mse"}),
    ("huber", {"huber"}, {"l1", "mse"}),
    ("HUBER", {"huber"}, {"l1"}),
    (Q["huber"], {"huber"}, {"l1"}),
    (Q["triplet"], {"triplet_margin", "triplet_margin_with_distance"}, {"margin_ranking"}),
    (Q["kl_divergence"], {"kl_div"}, {"cross_entropy"}),
    (Q["relative_entropy"], {"kl_div"}, {"cross_entropy"}),
    (Q["nll"], {"nll", "poisson_nll", "gaussian_nll"}, {"l1"}),
    ("focal", {"focal"}, {"l1"}),
    (Q["focal"], {"focal"}, {"l1"}),
    (Q["ctc"], {"ctc"}, {"l1"}),
    ("nll_loss", {"nll"}, {"l1"}) if "nll" in REGISTRY else ("NLLLoss", {"nll"}, {"l1"}),
    ("ｈｕｂｅｒ", {"huber"}, {"l1"}),   # full-width letters, as a Chinese IME may type them
])
def test_search_matches_english_and_chinese_names(query, must, must_not):
    found = set(search_losses(query, PLANNED))
    assert must <= found, must - found
    assert not (must_not & found), must_not & found


def test_search_edge_cases():
    assert search_losses("", PLANNED) == PLANNED
    assert search_losses("   ", PLANNED) == PLANNED
    assert search_losses("zzzz-no-such-loss", PLANNED) == []
    assert search_losses("<script>", PLANNED) == []
    # every word must match: "binary cross-entropy", half in Chinese, narrows to the binary ones
    assert set(search_losses(Q["binary_cross_entropy"], PLANNED)) == {"binary_cross_entropy",
                                                                        "binary_cross_entropy_with_logits"}
    # default: the registry, in its order
    assert search_losses("") == list(REGISTRY)


@pytest.mark.parametrize("query, key", [
    (Q["margin"], "margin"), ("margin", "margin"), (Q["margin_word"], "margin"), (Q["reduction"], "reduction"),
    ("reduction", "reduction"), ("logits", "logits"), (Q["cross_entropy"], "cross_entropy"), ("KL", "kl_divergence"),
    (Q["relative_entropy"], "kl_divergence"), (Q["convex"], "convex"), ("label smoothing", "label_smoothing"),
    (Q["label_smoothing"], "label_smoothing"),
])
def test_glossary_search_in_both_languages(query, key):
    assert key in [t.key for t in search_terms(query)]


def test_glossary_file_is_complete_and_consistent():
    with open(CONTENT / "glossary.toml", "rb") as fh:
        assert tomllib.load(fh)["term"] == _raw()["term"]
    for lang in ("en", "zh"):  # every term and loss has its words in each shipped language
        with open(CONTENT / lang / "glossary.toml", "rb") as fh:
            words = tomllib.load(fh)
        assert set(words["term"]) == {t.key for t in terms()}, lang
        assert set(words["loss"]) == set(PLANNED), lang
    keys = [t.key for t in terms()]
    assert len(keys) == len(set(keys)) and len(keys) >= 30
    for t in terms():
        assert t.en.strip() and t.def_en.strip()
        assert any("\u4e00" <= c <= "\u9fff" for c in t.zh + t.def_zh), t.key
        assert set(t.losses) <= set(PLANNED), set(t.losses) - set(PLANNED)
    for slug in PLANNED:
        names = loss_names(slug)
        assert names["en"] and names["zh"], slug
        assert any("\u4e00" <= c <= "\u9fff" for c in "".join(names["zh"])), slug
    assert set(_raw()["loss"]) == set(PLANNED)
    # the terms the issue names are there
    for word in ("logits", Q["cross_entropy"], Q["margin"], Q["reduction"]):
        assert search_terms(word), word


def test_every_registered_loss_page_links_some_glossary_terms():
    for slug in REGISTRY:
        assert terms_for(slug), slug
    assert "logits" in [t.key for t in terms_for("cross_entropy")]
