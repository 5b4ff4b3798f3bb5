"""The sidebar navigation (ui/nav.py, ui/nav.js): one element listing every page under its section, in the
reader's language; a link's `go` trigger switches pages (clicked in Chromium by tests/test_pages_browser.py)."""
import json

import pytest
from app_pages import open_page

from losses import FAMILIES, REGISTRY
from ui.i18n import t
from ui.nav import COURSE_PAGES, ROOT


def nav_data(at) -> dict:
    navs = [c for c in at.sidebar.get("bidi_component") if c.proto.component_name.endswith("losslab_nav")]
    assert len(navs) == 1, "the sidebar navigation is one element"
    return json.loads(navs[0].proto.json)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_is_listed_under_its_section_in_the_readers_language(lang):
    data = nav_data(open_page("huber", lang))
    assert data["label"] == t("a11y_nav", lang)
    sections = dict((heading, entries) for heading, entries in data["sections"])
    course = [stem for stem, _ in COURSE_PAGES if (ROOT / "pages" / f"{stem}.py").exists()]
    assert [path or "home" for path, _ in sections["LossLab"]] == course
    assert [title for _, title in sections["LossLab"]] == [t(key, lang) for stem, key in COURSE_PAGES if stem in course]
    for family in FAMILIES:
        listed = {path: title for path, title in sections[t(f"family_{family}", lang)]}
        assert listed == {s.slug: s.title for s in REGISTRY.values() if s.family == family}
    # no page link elements besides it: the ~37 elements it replaced are gone from every full run
    assert not at_sidebar_links(open_page("mse", lang))


def at_sidebar_links(at) -> list:
    return list(at.sidebar.get("page_link")) + [h for h in at.sidebar.get("html") if "ll-nav-heading" in h.proto.body]
