"""Headless Chromium on the probabilistic pages: the KL panel recomputes when a distribution is typed, and a
shared link with a large eps shows the clamped Gaussian curves, with no exception and no KaTeX error."""
import json

import pytest

from browser import assert_clean, have_chromium, open_page, wait_idle
from ui.i18n import t

pytestmark = pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")


def metrics(page):
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_kl_panel_recomputes_in_the_browser(server, page, lang):
    open_page(page, f"{server}/kl_div?lang={lang}")
    assert_clean(page)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=stMetricValue]').length >= 4", timeout=30_000)
    before = metrics(page)
    assert len(before) == 4
    field = page.locator('[data-testid="stTextInput"] input').first
    field.fill("[0.2, 0.3, 0.5]")
    field.press("Enter")
    page.wait_for_function("b => JSON.stringify([...document.querySelectorAll('[data-testid=stMetricValue]')]"
                           ".map(e => e.innerText)) !== b", arg=json.dumps(before, separators=(",", ":"), ensure_ascii=False), timeout=30_000)
    wait_idle(page)
    assert metrics(page) != before
    assert_clean(page)
    assert "kl_div.kl_p=" in page.url


def test_gaussian_shared_link_with_large_eps(server, page):
    open_page(page, f"{server}/gaussian_nll?lang=zh&gaussian_nll.eps=0.5")
    assert_clean(page)
    body = page.inner_text("body")
    assert t("prob_gauss_clamped", "zh") in body and page.locator(".ll-value").inner_text() == "5.00e-1"   # "clamped"
