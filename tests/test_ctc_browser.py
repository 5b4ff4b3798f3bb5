"""The CTC page in headless Chromium: both languages render the trellis with no exception and no KaTeX error,
the T slider redraws the lattice, and a shared link with a too-short T shows the infinite case."""
import re

import pytest

from browser import assert_clean, have_chromium, open_page, wait_idle
from ui.i18n import LANGS, t

pytestmark = pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
TRELLIS = ".js-plotly-plot .heatmaplayer"


def trellis_columns(page) -> int:
    """Frames on the trellis: the x tick labels of the first heat map's plot."""
    plot = page.locator(".js-plotly-plot").filter(has=page.locator(".heatmaplayer")).first
    return plot.locator(".xtick").count()


@pytest.mark.parametrize("lang,title", [("en", "Trellis explorer"), ("zh", t("ctc_title", "zh"))])
def test_trellis_renders_and_follows_the_t_slider(server, page, lang, title):
    open_page(page, f"{server}/ctc?lang={lang}", plot=True)
    page.wait_for_selector(TRELLIS, timeout=60_000)
    assert_clean(page)
    assert title in page.inner_text("body")
    assert page.locator(".katex .arraycolsep, .katex .col-align-r").count() > 0   # the trellis in the steps
    assert trellis_columns(page) == 6
    frames = re.compile("|".join(re.escape(t("ctc_T", code)) for code in LANGS))   # "Frames T", either language
    slider = page.locator('[data-testid="stSlider"]').filter(has_text=frames).locator('input[type="range"]').first
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => { const p = [...document.querySelectorAll('.js-plotly-plot')].find(e => e.querySelector('.heatmaplayer'));"
        " return p && p.querySelectorAll('.xtick').length === 7; }", timeout=30_000)
    wait_idle(page)
    assert_clean(page)


def test_shared_link_with_too_few_frames_shows_inf(server, page):
    open_page(page, f"{server}/ctc?lang=zh&ctc.T=3&ctc.label=aab", plot=True)
    page.wait_for_selector(TRELLIS, timeout=60_000)
    assert_clean(page)
    body = page.inner_text("body")
    assert t("ctc_infeasible", "zh", T=3, need=4) in body and "inf" in body
