"""The home page's search (AppTest): a query, from the box or from a shared ?home.q= link, lists links to the pages
that answer it, best first, each naming the place to open in the reader's language and keeping the language."""
from pathlib import Path
from urllib.parse import parse_qs

from streamlit.testing.v1 import AppTest

from ui.i18n import load_content, t
from words import data

APP = str(Path(__file__).resolve().parent.parent / "app.py")
Q = data("zh_queries")   # what a Chinese student types (tests/data/zh_queries.toml)


def pitfalls(slug: str, lang: str = "zh") -> str:
    """The heading of a loss page's pitfalls section: what a result names that place."""
    return load_content(slug, lang)["pitfalls"][0]


def home(lang: str, query: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    if query is not None:
        at.query_params["home.q"] = query     # a shared search link
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def results(at: AppTest) -> list[tuple[str, str, dict]]:
    """(label, page, query parameters) of each result link (the cards and the course links carry no ?lang=)."""
    return [(p.proto.label, p.proto.page, parse_qs(p.proto.query_string))
            for p in at.get("page_link") if p.proto.query_string]


def test_a_shared_link_answers_smooth_l1_vs_huber_in_chinese():
    found = results(home("zh", Q["smooth_l1_vs_huber"]))
    assert {label for label, _, _ in found[:2]} == {f"**HuberLoss** · {pitfalls('huber')}",
                                                    f"**SmoothL1Loss** · {pitfalls('smooth_l1')}"}
    label, page, params = found[2]
    assert page == "compare" and "HuberLoss" in label and "SmoothL1Loss" in label
    assert sorted(params["compare.regression.losses"]) == ["HuberLoss", "SmoothL1Loss"]
    assert all(params["lang"] == ["zh"] for _, _, params in found)


def test_typed_query_lands_on_the_worked_example_and_follows_a_language_switch():
    at = home("en")
    cards = len(at.get("plotly_chart"))
    assert cards > 10 and not results(at)                     # no query: the gallery of cards
    at.text_input(key="home.q").input("worked example cross entropy").run()
    assert not at.exception
    label, page, params = results(at)[0]
    assert (label, page, params["lang"]) == ("**CrossEntropyLoss** · Worked example", "cross_entropy", ["en"])
    assert not at.get("plotly_chart")                         # results replace the cards
    at.radio(key="lang").set_value("zh").run()
    assert not at.exception
    label, page, params = results(at)[0]
    assert (label, page, params["lang"]) == (f"**CrossEntropyLoss** · {t('search_place_example', 'zh')}",
                                             "cross_entropy", ["zh"])
    at.text_input(key="home.q").input("").run()
    assert len(at.get("plotly_chart")) == cards               # cleared: the cards are back


def test_kl_negative_names_the_pitfalls_and_shows_the_sentence():
    at = home("zh", Q["why_kl_negative"])
    label, page, _ = results(at)[0]
    assert (label, page) == (f"**KLDivLoss** · {pitfalls('kl_div')}", "kl_div")
    assert any(Q["negative"] in c.value for c in at.caption)


def test_quiz_lists_quiz_places_and_says_how_many():
    at = home("en", "quiz")
    found = results(at)
    assert len(found) == 12 and all(label.endswith("· Quiz: predict the value") for label, _, _ in found)
    assert any(c.value.startswith("22 pages match") for c in at.caption)


def test_nothing_found_says_so_in_the_readers_language():
    at = home("zh", Q["stop_words_and_nonsense"])
    assert not results(at) and at.info[0].value == t("search_none", "zh")
