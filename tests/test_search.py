"""Home search (issue 13 §4): words across names, aliases, glossary terms, section headings and the places of a
loss page, in both languages; ranked so that the questions a student really types land on the right place."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import examples  # the tier's Hypothesis example count (full in make test)

from losses import REGISTRY
from ui.glossary import has_page, loss_names
from ui.i18n import LANGS, load_content, t
from ui.search_index import CONTENT_PLACES, search_index
from ui.search_rank import Hit, search, shorten, snippet
from ui.search_text import compact, normalize, query_terms, split_cjk, stem, text_terms
from words import data

LOSS_PAGES = [slug for slug in REGISTRY if has_page(slug)]
Q = data("zh_queries")   # what a Chinese student types (tests/data/zh_queries.toml)


def top(query: str, n: int = 1) -> list[str]:
    return [h.page.stem for h in search(query)[:n]]


def first(query: str) -> Hit:
    hits = search(query)
    assert hits, query
    return hits[0]


# ---- words -------------------------------------------------------------------------------------------------
def test_words_in_both_languages():
    assert normalize("SmoothL1Loss").split() == ["smooth", "l1", "loss"]
    assert normalize("KLDivLoss").split() == ["kl", "div", "loss"]
    assert normalize("ＣｒｏｓｓＥｎｔｒｏｐｙ").split() == ["cross", "entropy"]   # full-width, as an IME types it
    assert "delta" in normalize("δ = 1").split()
    assert compact("Cross-Entropy Loss") == "crossentropyloss"
    assert [stem(w) for w in ("logits", "probabilities", "classes", "loss", "focus", "shapes")] == \
        ["logit", "probability", "class", "loss", "focus", "shape"]
    counts = text_terms(Q["terms"]["text"])
    assert {*Q["terms"]["text_pairs"], "logit"} <= set(counts)


def test_query_drops_stop_words_but_keeps_the_words_of_places():
    index = search_index()
    assert list(query_terms(Q["smooth_l1_vs_huber"], index.stop, index.keep)) == ["smooth", "l1", "huber"]
    assert list(query_terms("smooth l1 vs huber", index.stop, index.keep)) == ["smooth", "l1", "huber"]
    # 'why' is a word of the pitfalls place: the stop word inside it does not cut it
    assert split_cjk(Q["terms"]["question"], index.stop, index.keep) == Q["terms"]["question_words"]
    assert list(query_terms(Q["why_kl_negative"], index.stop, index.keep)) == Q["terms"]["why_kl_negative"]
    assert query_terms(Q["stop_words_and_english"], index.stop, index.keep) == {}


# ---- the questions of the issue ----------------------------------------------------------------------------
@pytest.mark.parametrize("query", [Q["smooth_l1_vs_huber"], "smooth l1 vs huber", "SmoothL1Loss vs HuberLoss",
                                   Q["huber_vs_smooth_l1"], "difference between Huber and smooth L1"])
def test_smooth_l1_and_huber_come_first_then_their_shared_plot(query):
    hits = search(query)
    assert {h.page.stem for h in hits[:2]} == {"smooth_l1", "huber"}
    third = hits[2]
    assert third.page.stem == "compare" and set(third.compare) == {"smooth_l1", "huber"}
    assert sorted(third.link_params("zh")["compare.regression.losses"]) == ["HuberLoss", "SmoothL1Loss"]
    assert third.link_params("zh")["lang"] == "zh"


def test_no_comparison_without_the_words_that_ask_for_one():
    assert "compare" not in top("smooth l1 huber", 3)
    assert all(not h.compare for h in search("huber"))


@pytest.mark.parametrize("query", [Q["why_kl_negative"], "why is KL negative", Q["kl_div_negative"], "kl_div negative"])
def test_negative_kl_lands_on_its_pitfalls(query):
    hit = first(query)
    assert hit.page.stem == "kl_div" and hit.section.sid == "pitfalls"
    pitfalls = {lang: load_content("kl_div", lang)["pitfalls"][0] for lang in LANGS}   # the section's heading
    assert hit.section.labels == pitfalls and pitfalls["en"] == "Pitfalls"  # named in the reader's language
    assert Q["negative"] in snippet(hit, query, "zh") or "negative" in snippet(hit, query, "en")


@pytest.mark.parametrize("query", ["worked example cross entropy", Q["ce_example"], Q["ce_worked_example"],
                                   "CrossEntropyLoss example", "cross-entropy worked examples", Q["ce_examples"]])
def test_worked_example_of_cross_entropy(query):
    hit = first(query)
    assert hit.page.stem == "cross_entropy" and hit.section.sid == "example"
    assert hit.section.labels["zh"] == t("search_place_example", "zh")


@pytest.mark.parametrize("query", ["quiz", Q["quiz"], "predict the value", Q["predict"]])
def test_quiz_finds_the_pages_with_a_quiz(query):
    hits = search(query)
    with_quiz = {slug for slug in LOSS_PAGES if REGISTRY[slug].examples}
    assert with_quiz and {h.page.stem for h in hits} >= with_quiz
    assert all(h.section.sid == "quiz" for h in hits if h.page.stem in with_quiz)


def test_every_spec_with_examples_has_a_quiz():
    """The index assumes it (ui/quiz.py's questions cost ~2 s of torch calls to build)."""
    from ui.quiz import questions_for
    for slug in LOSS_PAGES:
        assert bool(REGISTRY[slug].examples) == bool(questions_for(slug)), slug


@pytest.mark.parametrize("query, sid", [("reduction inspector", "inspector"), (Q["reduction_inspector"], "inspector"),
                                        ("copy code", "code"), (Q["copy_code"], "code"), ("shapes", "shapes"),
                                        (Q["shapes"], "shapes"), (Q["formula"], "formula"), ("when to use", "when")])
def test_places_by_name_in_both_languages(query, sid):
    hits = search(query)
    assert hits and all(h.section is not None and h.section.sid == sid for h in hits if h.page.kind == "loss")


@pytest.mark.parametrize("query, slug, sid", [
    ("huber delta", "huber", "parameters"), (Q["ce_label_smoothing"], "cross_entropy", None),
    ("ctc blank", "ctc", None), ("focal gamma", "focal", None), (Q["triplet_shapes"], "triplet_margin", "shapes")])
def test_a_name_and_a_word_of_its_page(query, slug, sid):
    hit = first(query)
    assert hit.page.stem == slug
    assert hit.section is not None and (sid is None or hit.section.sid == sid)


# ---- names: today's behaviour, ranked ----------------------------------------------------------------------
@pytest.mark.parametrize("query, must, must_not", [
    (Q["cross_entropy"], {"cross_entropy"}, {"l1", "mse", "ctc", "huber"}),
    ("CrossEntropyLoss", {"cross_entropy"}, {"binary_cross_entropy", "huber"}),
    ("cross entropy", {"cross_entropy"}, {"huber", "l1"}),
    ("Cross_Entropy", {"cross_entropy"}, {"huber"}),
    (Q["mse"], {"mse"}, {"l1", "huber"}),
    (Q["mae"], {"l1"}, {"mse"}),
    ("MAE", {"l1"}, {"mse"}),
    ("HUBER", {"huber"}, {"l1"}),
    (Q["huber"], {"huber"}, {"l1"}),
    (Q["triplet"], {"triplet_margin", "triplet_margin_with_distance"}, {"margin_ranking"}),
    (Q["kl_divergence"], {"kl_div"}, {"l1"}),
    (Q["relative_entropy"], {"kl_div"}, {"l1"}),
    (Q["focal"], {"focal"}, {"l1"}),
    (Q["ctc"], {"ctc"}, {"l1"}),
    ("nll_loss", {"nll"}, {"l1"}),
    ("ｈｕｂｅｒ", {"huber"}, {"l1"}),
    (Q["binary_cross_entropy"], {"binary_cross_entropy", "binary_cross_entropy_with_logits"}, {"cross_entropy", "l1"}),
])
def test_names_rank_first_and_open_the_page_itself(query, must, must_not):
    hits = search(query)
    stems = [h.page.stem for h in hits]
    assert set(stems[:len(must)]) == must, stems[:5]
    assert not must_not & set(stems[:len(must) + 1]), stems[:5]
    assert hits[0].section is None          # the name was the whole query: the page from its top


@pytest.mark.parametrize("slug", LOSS_PAGES)
def test_every_loss_is_first_for_its_torch_name_and_its_chinese_name(slug):
    assert top(REGISTRY[slug].title) == [slug]
    zh = loss_names(slug)["zh"][0]
    assert compact(zh) in first(zh).page.names, (slug, zh, top(zh, 3))


def test_course_pages_and_glossary_terms_are_found():
    assert top("entropy theory") == ["theory"]
    assert top("which loss should I use") == ["choose"]
    assert top(Q["information"]) == ["theory"]
    hit = next(h for h in search(Q["label_smoothing"]) if h.page.stem == "glossary")
    assert hit.section.sid == "term:label_smoothing"
    assert hit.link_params("zh") == {"lang": "zh", "glossary.q": "label_smoothing"}


def test_index_holds_every_page_in_both_languages():
    index = search_index()
    stems = [p.stem for p in index.pages]
    assert set(LOSS_PAGES) <= set(stems) and {"compare", "theory", "glossary", "choose"} <= set(stems)
    for page in index.pages:
        for section in page.sections:
            assert all(section.labels[lang].strip() for lang in LANGS), (page.stem, section.sid)
    for slug in LOSS_PAGES:
        page = next(p for p in index.pages if p.stem == slug)
        sids = [s.sid for s in page.sections]
        assert [s for s in CONTENT_PLACES if s in load_content(slug, "en")] == [s for s in sids if s in CONTENT_PLACES]
        assert ("example" in sids) == bool(REGISTRY[slug].examples)


# ---- what is shown -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["", "   ", "<script>alert(1)</script>", "zzzzqqq", Q["stop_words"], "no-such-loss"])
def test_nothing_to_look_for_gives_nothing(query):
    assert search(query) == []


def test_hits_are_best_first_and_links_keep_the_language():
    hits = search("margin")
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(h.link_params(lang)["lang"] == lang for h in hits for lang in LANGS)
    assert all(h.page.file == f"pages/{h.page.stem}.py" for h in hits)


def test_snippets_never_cut_a_formula_or_code():
    text = "The loss is $\\ell(x, y) = \\max(0, 1 - x y)$ and `F.hinge_embedding_loss(x, y)` " * 8
    for limit in range(20, 200, 7):
        out = shorten(text, limit)
        assert len(out) <= limit + 2 and out.count("$") % 2 == 0 and out.count("`") % 2 == 0
    for hit in search(Q["why_kl_negative"]) + search("margin softmax"):
        for lang in LANGS:
            out = snippet(hit, "margin softmax", lang)
            assert out.count("$") % 2 == 0 and out.count("`") % 2 == 0 and len(out) <= 170


@settings(max_examples=examples(200), deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_any_text_is_a_query(text):
    hits = search(text)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(re.fullmatch(r"pages/[a-z0-9_]+\.py", h.page.file) for h in hits)
