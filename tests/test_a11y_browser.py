"""Accessibility in headless Chromium (issue 20): axe-core (the pinned npm package in node_modules, installed
by `make test`, never a CDN) finds no WCAG 2.1 A/AA violation on any page in either language, reached
through the sidebar navigation; a keyboard alone moves a loss page's main hyperparameter; <html lang>
follows the language switch."""
from __future__ import annotations

import re

import pytest

from browser import ROOT, assert_clean, have_chromium, open_page, switch_language, wait_idle
from losses import REGISTRY
from losses.curves import main_param
from ui.i18n import t
from ui.nav import COURSE_PAGES

pytestmark = pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PATHS = ([""] + [stem for stem, _ in COURSE_PAGES if stem != "home" and (ROOT / "pages" / f"{stem}.py").exists()]
         + [slug for slug in REGISTRY if (ROOT / "pages" / f"{slug}.py").exists()])
RUN_AXE = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map(v => ({
  id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + '  ' + n.html.slice(0, 160))})))"""
A11Y_IDLE = "() => document.fonts.status === 'loaded' && window.llA11yIdle && window.llA11yIdle()"
FIRST_CURVE = "Array.from(document.querySelector('.ll-plot').data[0].y)"
# The page in view is the one the sidebar marks as current, after ui/a11y.js has repaired this render.
# Every plot's text alternative: Streamlit's charts (alt=) and the live chart (role=img).
PLOT_NAMES = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart], .ll-plot')].map(
  e => (e.getAttribute('aria-label') || '').trim())"""
CURRENT = """path => { const a = document.querySelector('.st-key-ll-nav a[aria-current=page]');
  return location.pathname === path && a && new URL(a.href).pathname === path; }"""


def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` (make test does)")
    return AXE.read_text(encoding="utf-8")


def violations(page) -> list:
    # ui/a11y.js has repaired the page as it stands, with its web fonts (formula widths) loaded.
    page.wait_for_function(A11Y_IDLE, timeout=30_000)
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN_AXE, TAGS)


def report(found: list) -> str:
    return "\n".join(f"{v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found)


@pytest.fixture(scope="module")
def nav_page(browser):
    """One page for the whole walk: each test reaches its page by the sidebar link, as a reader would."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def reach(page, server: str, path: str, lang: str) -> None:
    """Go to /path in `lang`: by the sidebar's link when the page already shows that language, else by URL."""
    here = page.evaluate("() => location.href") if page.url.startswith(server) else ""
    if f"lang={lang}" in here and page.locator(".st-key-ll-nav").count():
        page.locator(f'.st-key-ll-nav a[href="{path or "./"}"]').click()
        page.wait_for_function(f"() => location.pathname === '/{path}'", timeout=60_000)
        wait_idle(page)
    else:
        open_page(page, f"{server}/{path}?lang={lang}", plot=False)
    page.wait_for_function(CURRENT, arg=f"/{path}", timeout=30_000)
    wait_idle(page)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_axe_violations_on_any_page(server, nav_page, lang, path):
    reach(nav_page, server, path, lang)
    assert_clean(nav_page)
    assert f"lang={lang}" in nav_page.url or lang == "en"
    assert nav_page.evaluate("document.documentElement.lang") == {"en": "en", "zh": "zh-Hans"}[lang]
    found = violations(nav_page)
    assert not found, f"/{path}?lang={lang}\n" + report(found)
    names = nav_page.evaluate(PLOT_NAMES)
    assert all(names), f"a plot on /{path} has no text alternative: {names}"
    assert all(bool(re.search("[\u4e00-\u9fff]", n)) == (lang == "zh") for n in names), names  # reader's language


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
        assert page.locator(".st-key-ll-nav").get_attribute("aria-label") == t("a11y_nav", lang)
        assert_clean(page)
