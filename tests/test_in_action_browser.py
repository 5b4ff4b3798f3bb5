"""Loss in action in headless Chromium: every demo in both languages without exception, a progress bar while
a new setting trains, and the embedding animation playing in the browser. Screenshots: `make screenshots`."""

import pytest

from browser import assert_clean, have_chromium, open_page, wait_idle
from ui.i18n import t

pytestmark = pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
DEMOS = ("outliers", "imbalance", "embeddings")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("demo", DEMOS)
def test_demo_renders_in_chromium(server, page, demo, lang):
    open_page(page, f"{server}/in_action?lang={lang}&action.demo={demo}", timeout=180_000)
    assert_clean(page)
    body = page.inner_text("body")
    assert (t("page_in_action", "zh") in body) == (lang == "zh") and ("Loss in action" in body) == (lang == "en")
    assert page.locator(".js-plotly-plot").count() == 3
    assert page.locator('[data-testid="stProgress"]').count() == 0  # emptied once training is done


def test_a_progress_bar_shows_while_a_new_setting_trains(server, page):
    # A seed no other test uses and many steps: this setting is not cached and takes a moment to train.
    open_page(page, f"{server}/in_action?lang=en&action.demo=imbalance&action.imbalance.seed=9301"
                    f"&action.imbalance.steps=1000", plot=False, timeout=180_000)
    wait_idle(page, 180_000)
    assert_clean(page)
    page.locator('.st-key-action-imbalance-steps input[type="range"]').focus()
    page.keyboard.press("ArrowLeft")   # 990 steps: a new setting, so it trains, with a progress bar
    page.wait_for_selector('[data-testid="stProgress"]', timeout=60_000)
    wait_idle(page, 180_000)
    assert page.locator('[data-testid="stProgress"]').count() == 0
    assert_clean(page)


def test_embedding_animation_plays_in_the_browser(server, page):
    open_page(page, f"{server}/in_action?lang=zh&action.demo=embeddings", timeout=180_000)
    anim = page.locator(".js-plotly-plot").nth(1)
    points = anim.locator(".scatterlayer .trace").first.locator("path.point")
    before = points.first.get_attribute("transform")
    anim.locator(".updatemenu-button").filter(has_text=t("action_play", "zh")).click()
    page.wait_for_function(
        "([el, before]) => { const p = el.querySelector('.scatterlayer .trace path.point');"
        " return p && p.getAttribute('transform') !== before; }",
        arg=[anim.element_handle(), before], timeout=30_000)
    assert_clean(page)
