"""Headless Chromium across pages and sessions: a shared URL restores the view, the language follows the
reader from page to page, typed text is never run as script. Every page in both languages: tests/test_pages_browser.py."""
import pytest

from browser import assert_clean, have_chromium, open_page, wait_idle
from losses.text import language_name
from ui.i18n import t

pytestmark = pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
FORMULA_ZH = t("formula", "zh")   # a heading every loss page shows


def test_shared_link_restores_language_and_sliders(server, browser):
    slug = "huber"
    context = browser.new_context()
    p = context.new_page()
    open_page(p, f"{server}/{slug}?lang=zh&huber.delta=2.5&huber.reduction=sum")
    assert FORMULA_ZH in p.inner_text("body")
    assert p.locator(".ll-value").first.inner_text() == "2.50"
    # The value is the one torch uses: the copy-code snippet (built when its expander opens) shows it.
    p.locator('[data-testid="stExpander"] summary').filter(has_text="PyTorch").click()
    p.wait_for_selector('[data-testid="stCode"]', timeout=30_000)
    assert "delta=2.5" in p.locator('[data-testid="stCode"]').last.inner_text()
    context.close()


def test_language_switch_keeps_state_across_pages(server, page):
    open_page(page, f"{server}/huber?lang=en")
    page.get_by_text(language_name("zh"), exact=True).click()
    page.wait_for_function("word => document.body.innerText.includes(word)", arg=FORMULA_ZH, timeout=30_000)
    wait_idle(page)
    assert "lang=zh" in page.url
    page.get_by_role("link", name="MSELoss").click()
    page.wait_for_function("() => location.pathname.endsWith('/mse')", timeout=30_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    wait_idle(page)
    assert FORMULA_ZH in page.inner_text("body")


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
