"""Headless Chromium: every page in both languages, no Streamlit exception, no KaTeX error, a slider moves
the plot, and a shared URL restores the view. Screenshots: `make screenshots` (tests/screenshot.py)."""
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser import ROOT, assert_clean, have_chromium, language_round_trip, open_page, wait_idle
from losses import REGISTRY
from losses.curves import main_param

pytestmark = pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
COURSE = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem not in REGISTRY)


def first_trace_path(page) -> str:
    return page.locator(".js-plotly-plot .scatterlayer .trace path.js-line").first.get_attribute("d")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("slug", list(REGISTRY))
def test_loss_page_in_chromium(server, page, slug, lang):
    spec = REGISTRY[slug]
    open_page(page, f"{server}/{slug}?lang={lang}", plot=spec.curve is not None)
    assert_clean(page)
    body = page.inner_text("body")
    assert spec.title in body
    assert ("公式" in body) == (lang == "zh")
    if main_param(spec) is not None:  # the main hyperparameter's control lives in the plot
        before = first_trace_path(page)
        page.locator(".ll-range").focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "before => { const p = document.querySelector('.js-plotly-plot .scatterlayer .trace path.js-line');"
            " return p && p.getAttribute('d') !== before; }", arg=before, timeout=30_000)
        page.wait_for_function(f"() => location.search.includes('{slug}.{main_param(spec).name}=')", timeout=30_000)
        wait_idle(page)
        assert_clean(page)
        assert first_trace_path(page) != before
    if lang == "en":
        if len(spec.examples) > 1:
            pick_second_example(page, slug)
        language_round_trip(page, "en")


def pick_second_example(page, slug: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Example").first
    box.scroll_into_view_if_needed()
    wait_idle(page)
    option = page.locator('[role="option"]').nth(1)
    for _ in range(3):  # a click that lands while the element re-renders opens nothing: open it again
        box.locator('input').click()
        try:
            option.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            box.locator('input').press("ArrowDown")  # the keyboard opens the list too
            try:
                option.wait_for(timeout=5_000)
                break
            except PlaywrightTimeout:
                continue
    option.click()
    page.wait_for_function("slug => location.search.includes(slug + '.example=1')", arg=slug, timeout=30_000)
    wait_idle(page)
    assert_clean(page)


# Course page -> text its main area shows in English, in Chinese (once its script has run).
COURSE_TEXT = {
    "home": ("Search losses", "搜索损失函数"),
    "choose": ("Which loss should I use?", "该用哪个损失函数？"),
    "compare": ("Compare losses", "损失函数对比"),
    "theory": ("Information content", "信息量"),
    "glossary": ("Glossary", "术语表"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", COURSE)
def test_course_page_in_chromium(server, page, name, lang):
    path = "" if name == "home" else name  # the default page lives at /, not at its url_path
    open_page(page, f"{server}/{path}?lang={lang}", plot=name in ("compare", "theory"))
    assert_clean(page)
    if name in COURSE_TEXT:
        page.wait_for_function("t => document.querySelector('[data-testid=stMain]').innerText.includes(t)",
                               arg=COURSE_TEXT[name][lang == "zh"], timeout=60_000)
        wait_idle(page)
        # The headings are in the page's language; the switch at the top names both languages on purpose.
        headings = " ".join(page.locator('[data-testid="stMain"] :is(h1, h2, h3, label):not(.st-key-lang *)')
                            .all_inner_texts()).replace("中文", "")
        assert bool(re.search("[\u4e00-\u9fff]", headings)) == (lang == "zh"), headings
    sliders = page.locator('[data-testid="stSlider"] input[type="range"]')
    if sliders.count():  # a widget moved before the switches, and kept through them
        sliders.first.focus()
        page.keyboard.press("ArrowRight")
        wait_idle(page)
    language_round_trip(page, lang)


def test_shared_link_restores_language_and_sliders(server, browser):
    slug = "huber"
    context = browser.new_context()
    p = context.new_page()
    open_page(p, f"{server}/{slug}?lang=zh&huber.delta=2.5&huber.reduction=sum")
    assert "公式" in p.inner_text("body")
    assert p.locator(".ll-value").first.inner_text() == "2.50"
    # The value is the one torch uses: the copy-code snippet (built when its expander opens) shows it.
    p.locator('[data-testid="stExpander"] summary').filter(has_text="PyTorch").click()
    p.wait_for_selector('[data-testid="stCode"]', timeout=30_000)
    assert "delta=2.5" in p.locator('[data-testid="stCode"]').last.inner_text()
    context.close()


def test_language_switch_keeps_state_across_pages(server, page):
    open_page(page, f"{server}/huber?lang=en")
    page.get_by_text("中文", exact=True).click()
    page.wait_for_function("() => document.body.innerText.includes('公式')", timeout=30_000)
    wait_idle(page)
    assert "lang=zh" in page.url
    page.get_by_role("link", name="MSELoss").click()
    page.wait_for_function("() => location.pathname.endsWith('/mse')", timeout=30_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    wait_idle(page)
    assert "公式" in page.inner_text("body")


def test_typed_script_is_not_executed(server, page):
    open_page(page, f"{server}/mse?lang=en")
    page.evaluate("window.__pwned = false")
    area = page.locator("textarea").first
    area.fill("<img src=x onerror=\"window.__pwned=true\"><script>window.__pwned=true</script>")
    area.press("Control+Enter")
    page.wait_for_selector('[data-testid="stAlert"]', timeout=30_000)
    wait_idle(page)
    assert page.evaluate("window.__pwned") is False
    assert_clean(page)
