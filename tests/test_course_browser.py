"""Headless Chromium on the course pages (each page in both languages: tests/test_browser.py): a shared URL restores page, language and widget
state in a fresh browser session (new context = no cookies, no session); teacher mode; CSV download; quiz."""
import re

import pytest

from browser import IDLE, assert_clean, have_chromium, open_expander, open_page, wait_idle, wait_steady
from ui.i18n import t
from words import data, opening

pytestmark = pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
Q = data("zh_queries")   # what a Chinese student types (tests/data/zh_queries.toml)


@pytest.fixture()
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    yield ctx
    ctx.close()


def fresh(browser, url: str, plot: bool = True):
    """The link opened in a new browser session (a new context shares nothing with the old one)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    open_page(page, url, plot=plot)
    assert_clean(page)
    return ctx, page


def slider_value(page, key: str) -> str:
    return page.locator(f".st-key-{key.replace('.', '-')} input[type=range]").input_value()


def move_slider(page, key: str, presses: int):
    page.locator(f".st-key-{key.replace('.', '-')} input[type=range]").focus()
    for _ in range(presses):
        page.keyboard.press("ArrowRight")


def settled(page, key: str) -> str:
    """After key presses: wait until the URL holds the slider's value and Streamlit is idle; return it."""
    page.wait_for_function(SETTLED, arg=[key, IDLE], timeout=60_000)
    wait_idle(page)
    value = slider_value(page, key)
    assert f"{key}={value}" in page.url, f"{key}: URL {page.url} is not at the slider's {value}"
    return value


# The slider's value is in the URL, and Streamlit is idle with nothing stale (the key presses have all landed).
SETTLED = """([key, idle]) => { const i = document.querySelector('.st-key-' + key.replace(/\\./g, '-') + ' input[type=range]');
  return !!i && location.href.includes(key + '=' + i.value) && !!document.querySelector(idle)
         && !document.querySelector('[data-stale=true]') && !document.querySelector('[data-testid=stStatusWidget]'); }"""


def wait_url(page, pattern: str):
    page.wait_for_function("p => new RegExp(p).test(location.href)", arg=pattern, timeout=60_000)
    wait_idle(page)


def wait_main(page, has: str = "", lacks: str = ""):
    """A bound widget updates the URL before the rerun: wait for the page content itself."""
    page.wait_for_function(
        "([has, lacks]) => { const t = document.querySelector('[data-testid=stMain]').innerText;"
        " return (!has || t.includes(has)) && (!lacks || !t.includes(lacks)); }", arg=[has, lacks], timeout=60_000)
    wait_idle(page)


def test_shared_compare_link_restores_sliders_language_and_page(context, server, browser):
    page = context.new_page()
    open_page(page, f"{server}/compare?lang=zh")
    assert slider_value(page, "compare.huber.delta") == "1"
    move_slider(page, "compare.huber.delta", 5)                       # δ: 1.00 -> 1.25
    delta = settled(page, "compare.huber.delta")
    assert float(delta) > 1
    legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
    assert any(f"delta={float(delta):g}" in t for t in legend), legend
    link = page.url
    assert "/compare" in link and "lang=zh" in link
    ctx, other = fresh(browser, link)
    try:
        assert re.search(r"/compare\?", other.url)
        assert t("page_compare", "zh") in other.inner_text('[data-testid="stMain"]')
        assert slider_value(other, "compare.huber.delta") == delta
        assert slider_value(other, "compare.smooth_l1.beta") == "1"
        assert any(f"delta={float(delta):g}" in t for t in other.locator(".js-plotly-plot .legendtext").all_text_contents())
    finally:
        ctx.close()


def test_shared_theory_link_restores_bars_unit_and_numbers(context, server, browser):
    page = context.new_page()
    open_page(page, f"{server}/theory?lang=en")
    move_slider(page, "theory.q0", 20)                                  # q1 weight 0.25 -> 0.45
    q0 = settled(page, "theory.q0")
    assert float(q0) > 0.25
    page.locator(".st-key-theory-unit label").filter(has_text="nats").click()
    wait_url(page, r"theory\.unit=nats")
    table = page.locator('[data-testid="stTable"]').first.inner_text()
    link = page.url
    ctx, other = fresh(browser, link)
    try:
        assert slider_value(other, "theory.q0") == q0
        assert other.locator(".st-key-theory-unit input[type=radio]:checked + *, "
                             ".st-key-theory-unit label:has(input:checked)").first.inner_text().startswith("nats")
        assert other.locator('[data-testid="stTable"]').first.inner_text() == table
    finally:
        ctx.close()


def test_shared_chooser_and_search_links(context, server, browser):
    page = context.new_page()
    open_page(page, f"{server}/choose?lang=zh", plot=False)
    page.locator(".st-key-choose-task label").filter(has_text=t("chooser.question.task.answer.counts", "zh")).click()
    wait_url(page, r"choose\.task=counts")
    wait_main(page, has="PoissonNLLLoss")
    ctx, other = fresh(browser, page.url, plot=False)
    try:
        assert "PoissonNLLLoss" in other.inner_text('[data-testid="stMain"]')
        assert t("page_choose", "zh") in other.inner_text('[data-testid="stMain"]')
    finally:
        ctx.close()
    open_page(page, f"{server}/?lang=zh", plot=False)
    box = page.locator(".st-key-home-q input")
    box.fill(Q["cross_entropy"])
    box.press("Enter")
    wait_url(page, r"home\.q=")
    wait_main(page, has="CrossEntropyLoss", lacks="HuberLoss")
    main = page.inner_text('[data-testid="stMain"]')
    assert "CrossEntropyLoss" in main and "HuberLoss" not in main
    ctx, other = fresh(browser, page.url, plot=False)
    try:
        # The box is filled from the URL on the script's first run; under load the first paint can come
        # before that run's result, so wait for it (bounded) rather than read the first frame.
        other.wait_for_function("q => document.querySelector('.st-key-home-q input')?.value === q",
                                arg=Q["cross_entropy"], timeout=30_000)
        wait_idle(other)
        main = other.inner_text('[data-testid="stMain"]')
        assert "CrossEntropyLoss" in main and "HuberLoss" not in main
    finally:
        ctx.close()


def test_teacher_mode_link_csv_and_png_export(server, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    page = context.new_page()
    open_page(page, f"{server}/huber?lang=zh&teacher=true&huber.delta=2.5")
    assert_clean(page)
    assert page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true"
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "21px"
    chart = page.locator(".ll-chart").first
    chart.evaluate("e => e.scrollIntoView()")                             # as a #plot link or scroll snap does
    wait_steady(page, "document.querySelector('.ll-plot').getBoundingClientRect().top")  # scrolling settles
    plot, control = page.locator(".ll-plot").first.bounding_box(), page.locator(".ll-range").first.bounding_box()
    bar = page.locator('[data-testid="stHeader"]').bounding_box()
    assert plot["height"] > 700                                           # one plot per screen...
    assert plot["y"] >= bar["y"] + bar["height"] - 1                      # ...not under the fixed top bar...
    assert control["y"] + control["height"] <= 1080                       # ...with its control on the same screen
    assert page.locator(".ll-value").first.inner_text() == "2.50"
    # PNG and CSV: the same name, saying what they hold, and the same settings
    with page.expect_download() as png:
        page.locator(".ll-png").first.click()
    assert png.value.suggested_filename == "losslab_huber_delta-2.5.png"
    assert open(png.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as info:
        page.locator('[data-testid="stDownloadButton"] button').first.click()
    raw = open(info.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")                               # UTF-8 with BOM
    lines = raw.decode("utf-8-sig").splitlines()
    assert "delta=2.5" in lines[0] and lines[1].startswith("residual") and len(lines) > 100
    assert info.value.suggested_filename == "losslab_huber_delta-2.5.csv"
    # the sidebar opens again, and turning teacher mode off restores the normal layout
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.wait_for_function("() => document.querySelector('[data-testid=stSidebar]').dataset.collapsed === 'false'",
                           timeout=60_000)
    page.locator('[data-testid="stMain"]').evaluate("e => e.scrollTo(0, 0)")  # the switches head the page
    page.locator(".st-key-teacher label").click()
    page.wait_for_function("() => !location.search.includes('teacher=')", timeout=60_000)
    page.wait_for_function("() => getComputedStyle(document.documentElement).fontSize === '16px'", timeout=60_000)
    wait_idle(page)
    context.close()
    ctx, other = fresh(browser, f"{server}/compare?teacher=true&lang=en")
    try:
        assert other.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true"
        assert other.locator('[data-testid="stPlotlyChart"]').first.bounding_box()["height"] > 700
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_quiz_in_the_browser(context, server, lang):
    page = context.new_page()
    open_page(page, f"{server}/huber?lang={lang}")
    quiz = page.locator('[data-testid="stExpander"]').filter(has_text=t("course_quiz_title", lang)).first
    open_expander(page, quiz)
    quiz.locator('[data-testid="stTextInput"] input').fill("1.63625")   # the mean; Q1 asks for the sum
    quiz.locator('[data-testid="stFormSubmitButton"] button').click()
    wait_main(page, has="6.545")
    page.wait_for_selector('[data-testid="stExpander"] [data-testid="stAlert"]', timeout=60_000)
    assert_clean(page)
    text = quiz.inner_text()
    assert ("6.545" in text) and ("'mean'" in text)
    assert opening("course_quiz_wrong", lang) in text                  # "Not quite: you said ..."


@pytest.mark.parametrize("locale, lang", [("zh-CN", "zh"), ("en-US", "en")])
def test_a_first_visit_follows_the_browsers_language(server, browser, locale, lang):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale=locale)
    try:
        page = ctx.new_page()
        open_page(page, f"{server}/huber")                                    # no ?lang= in the link
        assert (t("formula", "zh") in page.inner_text('[data-testid="stMain"]')) == (lang == "zh")
        assert page.evaluate("document.documentElement.lang") == ("zh-Hans" if lang == "zh" else "en")
        switch = page.locator(".st-key-lang").bounding_box()                 # in view on a laptop, no scrolling
        assert switch["y"] + switch["height"] <= 768
        open_page(page, f"{server}/huber?lang={'en' if lang == 'zh' else 'zh'}")   # the link wins
        assert (t("formula", "zh") in page.inner_text('[data-testid="stMain"]')) == (lang != "zh")
    finally:
        ctx.close()


def test_the_quiz_does_not_give_its_answer_away(context, server):
    from losses import REGISTRY
    from ui.quiz import grade, questions_for
    q = questions_for("cross_entropy")[0]
    answer = f"{float(grade(REGISTRY['cross_entropy'], q, '0').answer):.5g}"
    page = context.new_page()
    open_page(page, f"{server}/cross_entropy?lang=en")
    quiz = page.locator('[data-testid="stExpander"]').filter(has_text="Predict").first
    open_expander(page, quiz)
    wait_main(page, has="hidden while the quiz")
    assert answer not in page.inner_text('[data-testid="stMain"]')       # not in the inspector, not anywhere
    quiz.locator('[data-testid="stTextInput"] input').fill("1.0")
    quiz.locator('[data-testid="stFormSubmitButton"] button').click()
    wait_main(page, lacks="hidden while the quiz")
    assert answer in page.inner_text('[data-testid="stMain"]')           # revealed: now the numbers are back
    assert_clean(page)
