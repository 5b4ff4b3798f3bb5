"""Where losses come from, in headless Chromium: every part in both languages with no exception and no KaTeX
error; a slider moves the landscape; a click on the contour moves the start of gradient descent."""
import re

import pytest

from browser import assert_clean, have_chromium, open_page, wait_idle
from losses.text import language_name
from ui.i18n import t

pytestmark = pytest.mark.skipif(not have_chromium(), reason="Debian chromium is not installed (make test installs it)")
PARTS = ("nll", "surrogates", "landscapes")   # each part's header: the catalog's "origins_part_<part>"


def _main_text(page) -> str:
    return page.inner_text('[data-testid="stMain"]')


def _slider(page, key: str):
    return page.locator(f".st-key-{key.replace('.', '-')} input[type=range]")


def _wait_url(page, pattern: str) -> None:
    page.wait_for_function("p => new RegExp(p).test(location.href)", arg=pattern, timeout=60_000)
    wait_idle(page)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("part", PARTS)
def test_every_part_renders_in_both_languages(page, server, part, lang):
    query = f"lang={lang}" + ("" if part == "nll" else f"&origins.part={part}")
    open_page(page, f"{server}/origins?{query}")
    assert_clean(page)
    text = _main_text(page)
    assert t(f"origins_part_{part}", lang) in text
    # Chinese on the page only in Chinese (the language switch names Chinese in Chinese on every page)
    assert bool(re.search("[\u4e00-\u9fff]", text.replace(language_name("zh"), ""))) == (lang == "zh")
    assert page.locator(".katex").count() >= 1                     # the formulas rendered (and none failed)


def test_slider_and_click_move_gradient_descent(page, server):
    open_page(page, f"{server}/origins?lang=zh&origins.part=landscapes")
    path = '.st-key-origins-land-fig .js-plotly-plot'
    before = page.locator(f"{path} .scatterlayer").inner_html()
    _slider(page, "origins.land.b0.regression").focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")                          # b₀: 3.0 -> 2.5
    _wait_url(page, r"origins\.land\.b0\.regression=2\.5")
    page.wait_for_function("([sel, old]) => document.querySelector(sel + ' .scatterlayer').innerHTML !== old",
                           arg=[path, before], timeout=60_000)
    assert_clean(page)
    # a click near the plot's lower right corner: the start jumps there (w large, b small)
    page.locator(path).scroll_into_view_if_needed()              # a click outside the viewport hits nothing
    box = page.locator(f"{path} .nsewdrag").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.85, box["y"] + box["height"] * 0.85)
    _wait_url(page, r"origins\.land\.w0\.regression=")
    w0 = float(_slider(page, "origins.land.w0.regression").input_value())
    b0 = float(_slider(page, "origins.land.b0.regression").input_value())
    assert w0 > 2.5 and b0 < -1.0, (w0, b0)
    assert_clean(page)
