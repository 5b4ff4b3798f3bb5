"""Accessibility in headless Chromium beyond the walk over every page (tests/test_pages_browser.py runs axe-core
on each page in both languages): a phone's width and teacher mode, a keyboard alone moving a loss page's main
hyperparameter, <html lang> and the landmarks' labels following the language switch."""
from __future__ import annotations

import pytest

from axe import A11Y_IDLE, report, violations
from browser import assert_clean, have_chromium, open_page, switch_language, wait_idle
from losses import REGISTRY
from losses.curves import main_param
from ui.i18n import t

pytestmark = pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
FIRST_CURVE = "Array.from(document.querySelector('.ll-plot').data[0].y)"


@pytest.mark.parametrize("path, lang, width", [("huber", "zh", 390), ("ctc", "en", 390), ("theory", "en", 390),
                                               ("huber", "en", 700), ("mse", "zh", 1400)])
def test_no_axe_violations_on_a_phone_and_in_teacher_mode(server, browser, path, lang, width):
    """390 px (a phone) makes tables and formulas scroll. Teacher mode (700 and 1400 px) shows Streamlit's top
    navigation, folded into the sidebar on a narrow screen."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    teacher = "&teacher=true" if width > 390 else ""
    open_page(page, f"{server}/{path}?lang={lang}{teacher}", plot=False)
    assert_clean(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling of the page
    found = violations(page)
    context.close()
    assert not found, f"/{path}?lang={lang} at {width} px\n" + report(found)


def test_keyboard_alone_moves_the_main_hyperparameter(server, page):
    slug = "huber"
    name = main_param(REGISTRY[slug]).name
    open_page(page, f"{server}/{slug}?lang=en")
    page.wait_for_function(A11Y_IDLE, timeout=30_000)                    # ui/a11y.js has repaired this render
    # The first Tab reaches the skip link, visible; Enter jumps past the ~30 navigation links.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "stSkipToContent"
    skip = page.locator('[data-testid="stSkipToContent"]')
    assert skip.bounding_box()["y"] >= 0 and skip.inner_text() == t("a11y_skip", "en")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.dataset.testid") == "stMain"
    presses = 0
    while not page.evaluate("document.activeElement.classList.contains('ll-range')"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses < 60, "the plot's range input is not reachable by Tab from the page's start"
    # Focus is visible on it (WCAG 2.4.7).
    outline = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); "
                            "return [s.outlineStyle, s.outlineWidth]; })()")
    assert outline[0] != "none" and outline[1] != "0px", outline
    before = page.evaluate(FIRST_CURVE)
    value = page.locator(".ll-value").inner_text()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => new URLSearchParams(location.search).has('{slug}.{name}')", timeout=30_000)
    wait_idle(page)
    # The curve follows once the frames (asked for on focus) or the committed value's figure have arrived.
    page.wait_for_function(f"before => JSON.stringify({FIRST_CURVE}) !== JSON.stringify(before)", arg=before,
                           timeout=30_000)
    after = page.evaluate(FIRST_CURVE)
    committed = float(page.evaluate(f"new URLSearchParams(location.search).get('{slug}.{name}')"))
    assert after != before                                              # the curve changed
    assert page.locator(".ll-value").inner_text() != value              # the readout changed
    assert committed == pytest.approx(float(page.locator(".ll-value").inner_text()))  # and the URL holds it
    assert_clean(page)


def test_document_language_and_labels_follow_the_switch(server, page):
    open_page(page, f"{server}/huber?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    for lang, html_lang in (("zh", "zh-Hans"), ("en", "en")):
        switch_language(page, lang)
        page.wait_for_function("want => document.documentElement.lang === want", arg=html_lang, timeout=30_000)
        page.wait_for_function("want => document.querySelector('[data-testid=stSkipToContent]').textContent === want",
                               arg=t("a11y_skip", lang), timeout=30_000)
        assert page.locator(".ll-nav").get_attribute("aria-label") == t("a11y_nav", lang)
        assert_clean(page)
