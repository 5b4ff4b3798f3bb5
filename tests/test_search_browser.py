"""Headless Chromium at a laptop's 1366×768: the student of issue 13 types her questions into the home search in
Chinese, follows the first result and lands on the page, still in Chinese; the compare link opens the two losses."""
import re

import pytest

from browser import assert_clean, have_chromium, open_page, wait_idle
from ui.i18n import load_content
from words import data

pytestmark = pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
Q = data("zh_queries")   # what a Chinese student types (tests/data/zh_queries.toml)


@pytest.fixture()
def laptop(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768})
    yield ctx.new_page()
    ctx.close()


def ask(page, server: str, query: str, lang: str) -> list[str]:
    """Type the query on home, press Enter, return the result links' texts (best first)."""
    open_page(page, f"{server}/?lang={lang}")
    box = page.locator(".st-key-home-q input")
    box.fill(query)
    box.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).has('home.q')", timeout=30_000)
    wait_idle(page)
    page.locator('[data-testid="stPageLink"] a[href*="lang="]').first.wait_for(timeout=30_000)
    assert_clean(page)
    return page.locator('[data-testid="stPageLink"] a[href*="lang="]').all_inner_texts()


def test_student_questions_in_chinese_lead_to_the_right_places(laptop, server):
    pitfalls = load_content("kl_div", "zh")["pitfalls"][0]   # the heading of the place a result opens
    found = ask(laptop, server, Q["why_kl_negative"], "zh")
    assert re.sub(r"\s+", " ", found[0]).endswith(f"KLDivLoss · {pitfalls}"), found[:3]
    laptop.locator('[data-testid="stPageLink"] a[href*="lang="]').first.click()
    laptop.wait_for_function("() => location.pathname.endsWith('/kl_div')", timeout=30_000)
    laptop.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
    wait_idle(laptop)
    assert_clean(laptop)
    assert "lang=zh" in laptop.url and pitfalls in laptop.inner_text('[data-testid="stMain"]')

    found = ask(laptop, server, Q["smooth_l1_vs_huber"], "zh")
    assert {f.split(" · ")[0].split()[-1] for f in found[:2]} == {"HuberLoss", "SmoothL1Loss"}  # after the icon
    laptop.locator('[data-testid="stPageLink"] a[href*="lang="]').nth(2).click()
    laptop.wait_for_function("() => location.pathname.endsWith('/compare')", timeout=30_000)
    laptop.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
    wait_idle(laptop)
    assert_clean(laptop)
    chosen = laptop.locator('[data-testid="stMultiSelectTagsContainer"]').first.inner_text()
    assert "HuberLoss" in chosen and "SmoothL1Loss" in chosen and "MSELoss" not in chosen  # not the default four


def test_teacher_finds_the_worked_example_in_english(laptop, server):
    found = ask(laptop, server, "worked example cross entropy", "en")
    assert re.sub(r"\s+", " ", found[0]).endswith("CrossEntropyLoss · Worked example"), found[:3]
    assert "lang=en" in laptop.locator('[data-testid="stPageLink"] a[href*="lang="]').first.get_attribute("href")
