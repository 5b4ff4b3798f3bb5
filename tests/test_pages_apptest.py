"""Every page renders in both languages without exception; sliders change the figure; bad input is a message."""
from pathlib import Path

import pytest

from app_pages import curve_payload, curve_traces, open_page, set_param
from ui.i18n import t


def curve_payload_value(at):
    return curve_payload(at)["value"]
from losses import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
COURSE_PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem not in REGISTRY)


def test_pages_and_registry_are_one_to_one():
    files = {p.stem for p in (ROOT / "pages").glob("*.py")}
    assert set(REGISTRY) <= files
    for slug in REGISTRY:
        text = (ROOT / "pages" / f"{slug}.py").read_text()
        assert f'render_loss_page("{slug}")' in text and len(text.splitlines()) <= 3


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", COURSE_PAGES)
def test_course_page_renders(page, lang):
    open_page(page, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("slug", list(REGISTRY))
def test_loss_page_renders_and_sliders_change_the_figure(slug, lang):
    """One render per page and language: the page, then (Chinese) bad input, then every curve slider."""
    spec = REGISTRY[slug]
    at = open_page(slug, lang)
    assert any(spec.title in t.value for t in at.title)
    # The page is in the chosen language: the Chinese page shows Chinese headings, the English one does not.
    headers = " ".join(h.value for h in at.subheader)
    has_cjk = any("\u4e00" <= ch <= "\u9fff" for ch in headers)
    assert has_cjk == (lang == "zh"), headers
    assert not at.error, [e.value for e in at.error]
    if lang == "zh":
        bad_input_shows_a_message_not_a_traceback(at, slug)
    sliders = [p for p in spec.params if p.kind == "float" and p.curve]
    if spec.curve is None or not sliders:
        return
    for p in sliders:
        before = curve_traces(at)
        target = p.hi if p.default != p.hi else p.lo
        set_param(at, slug, p.name, target)
        assert not at.exception
        after = curve_traces(at)
        assert before != after, f"moving {p.name} did not change the plot"


def bad_input_shows_a_message_not_a_traceback(at, slug: str) -> None:
    """Each bad text is a message in Chinese, not a traceback; the example's own text then clears it."""
    box = at.text_area(key=f"{slug}.ex0.{REGISTRY[slug].arg_names[0]}")
    good = box.value
    for bad in ["[[1, 2], [3]]", "abc", "1e999", "<script>alert(1)</script>"]:
        at.text_area(key=box.key).input(bad).run()
        assert not at.exception
        assert at.error, f"no message for {bad!r}"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in at.error[0].value)
    at.text_area(key=box.key).input(good).run()
    assert not at.exception and not at.error, [e.value for e in at.error]


def test_language_switch_changes_the_page():
    at = open_page("huber", "en")
    en = [s.value for s in at.subheader]
    at.radio(key="lang").set_value("zh").run()
    zh = [s.value for s in at.subheader]
    assert en != zh and any(t("formula", "zh") in s for s in zh)


def test_example_choice_loads_its_hyperparameters():
    at = open_page("huber", "en")
    idx = next(i for i, ex in enumerate(REGISTRY["huber"].examples) if ex.params.get("delta") == 3.0)
    at.selectbox(key="huber.example").set_value(idx).run()
    assert at.session_state["huber.delta"] == 3.0 and curve_payload_value(at) == 3.0
    assert not at.exception
