"""Every page in both languages, once each, in headless Chromium, reached through the sidebar as a reader
moves: no Streamlit exception or KaTeX error, no axe-core WCAG 2.1 A/AA violation, <html lang> and every
plot's text alternative in the reader's language, the main control moves the plot, a second worked example
loads, and switching the language twice keeps every setting. One visit per page and language does all of it
(issue 17: each page rendered once per language per tier). Screenshots: `make screenshots`."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from axe import PLOT_NAMES, report, violations
from browser import (CHARTS_DRAWN, ROOT, assert_clean, have_chromium, language_round_trip, open_page,
                     wait_idle)
from losses import REGISTRY
from losses.curves import main_param
from ui.i18n import t
from ui.nav import COURSE_PAGES

pytestmark = pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
PATHS = ([""] + [stem for stem, _ in COURSE_PAGES if stem != "home" and (ROOT / "pages" / f"{stem}.py").exists()]
         + [slug for slug in REGISTRY if (ROOT / "pages" / f"{slug}.py").exists()])
HAN = re.compile("[\u4e00-\u9fff]")
# The page in view is the one the sidebar marks as current, after ui/a11y.js has repaired this render.
CURRENT = """path => { const a = document.querySelector('.ll-nav a[aria-current=page]');
  return location.pathname === path && a && new URL(a.href).pathname === path; }"""
FIRST_TRACE = "() => { const p = document.querySelector('.js-plotly-plot .scatterlayer .trace path.js-line'); " \
              "return p && p.getAttribute('d'); }"


@pytest.fixture(scope="module")
def walk(browser):
    """One tab for the whole walk: each test reaches its page by the sidebar link, as a reader would."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def reach(page, server: str, path: str, lang: str) -> None:
    """Go to /path in `lang`: by the sidebar's link when the tab already shows that language, else by URL."""
    here = page.evaluate("() => location.href") if page.url.startswith(server) else ""
    if f"lang={lang}" in here and page.locator(".ll-nav").count():
        page.locator(f'.ll-nav a[href="{path or "./"}"]').click()
        page.wait_for_function(f"() => location.pathname === '/{path}'", timeout=60_000)
        assert f"lang={lang}" in page.url, page.url   # the app-wide choice stays in the link (ui/nav.py)
    else:
        open_page(page, f"{server}/{path}?lang={lang}", plot=False)
    page.wait_for_function(CURRENT, arg=f"/{path}", timeout=30_000)
    wait_idle(page)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)   # the live chart draws after the first idle state
    wait_idle(page)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_in_chromium(server, walk, lang, path):
    reach(walk, server, path, lang)
    assert_clean(walk)
    assert walk.evaluate("document.documentElement.lang") == {"en": "en", "zh": "zh-Hans"}[lang]
    found = violations(walk)
    assert not found, f"/{path}?lang={lang}\n" + report(found)
    names = walk.evaluate(PLOT_NAMES)
    assert all(names), f"a plot on /{path} has no text alternative: {names}"
    assert all(bool(HAN.search(n)) == (lang == "zh") for n in names), names   # the reader's language
    if path in REGISTRY:
        check_loss_page(walk, REGISTRY[path], lang)
    else:
        check_course_page(walk, lang)
    # Switching twice (to the other language and back) keeps every setting, and the walk goes on by the sidebar.
    if lang == "en" or path not in REGISTRY:
        language_round_trip(walk, lang)


def check_loss_page(page, spec, lang: str) -> None:
    body = page.inner_text("body")
    assert spec.title in body
    assert t("formula", lang) in body
    main = main_param(spec)
    if main is not None:   # the main hyperparameter's control lives in the plot
        before = page.evaluate(FIRST_TRACE)
        page.locator(".ll-range").focus()
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_function(f"before => ({FIRST_TRACE})() !== before", arg=before, timeout=30_000)
        page.wait_for_function(f"() => location.search.includes('{spec.slug}.{main.name}=')", timeout=30_000)
        wait_idle(page)
        assert_clean(page)
    if lang == "en" and len(spec.examples) > 1:
        pick_second_example(page, spec.slug)


def check_course_page(page, lang: str) -> None:
    """Headings in the page's language (the switch at the top names both languages on purpose), and a slider
    moved, so the language switches that follow must keep it."""
    headings = " ".join(page.locator('[data-testid="stMain"] :is(h1, h2, h3, label):not(.st-key-lang *)')
                        .all_inner_texts()).replace(t("language_name", "zh"), "")
    assert bool(HAN.search(headings)) == (lang == "zh"), headings
    sliders = page.locator('[data-testid="stSlider"] input[type="range"]')
    if sliders.count():
        sliders.first.focus()
        page.keyboard.press("ArrowRight")
        wait_idle(page)


def pick_second_example(page, slug: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=t("example", "en")).first
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
