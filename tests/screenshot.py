"""Full-page screenshots of every page in both languages, into test-artifacts/screenshots/, so a reviewer can
compare them before and after a change: `make screenshots`, or python tests/screenshot.py [page ...].
A page is a path with its query (`in_action?action.demo=embeddings`); the default is every page, with each
in-action demo and each origins part. The browser tests take no screenshots."""
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import CHROMIUM, CHROMIUM_ARGS, ROOT, assert_clean, open_page, streamlit_server, wait_steady  # noqa: E402

sys.path.insert(0, str(ROOT))
from losses import REGISTRY  # noqa: E402

OUT = ROOT / "test-artifacts" / "screenshots"
WIDTH, HEIGHT = 1440, 1000
VARIANTS = {"in_action": ["action.demo=outliers", "action.demo=imbalance", "action.demo=embeddings"],
            "origins": ["origins.part=nll", "origins.part=surrogates", "origins.part=landscapes"]}


def every_page() -> list[str]:
    course = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem not in REGISTRY)
    pages = []
    for stem in course + list(REGISTRY):
        pages += [f"{stem}?{q}" for q in VARIANTS[stem]] if stem in VARIANTS else [stem]
    return pages


def file_name(target: str, lang: str) -> str:
    stem, _, query = target.partition("?")
    return "_".join([stem] + [q.split("=")[-1] for q in query.split("&") if q]) + f"_{lang}.png"


def shoot(page, url: str, target: str, lang: str) -> Path:
    stem, _, query = target.partition("?")
    path = "" if stem == "home" else stem
    open_page(page, f"{url}/{path}?lang={lang}" + (f"&{query}" if query else ""),
              plot=stem in REGISTRY and REGISTRY[stem].curve is not None, timeout=180_000)
    assert_clean(page)
    # Streamlit scrolls inside stMain: grow the viewport to the content's height, and let the plots relayout.
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": min(int(height) + 50, 12000)})
    wait_steady(page, "document.querySelector('[data-testid=stMain]').scrollHeight")
    out = OUT / file_name(target, lang)
    page.screenshot(path=str(out))
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    return out


def main(targets, langs=("en", "zh")):
    OUT.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for target in targets:
            for lang in langs:
                print(shoot(page, url, target, lang))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:] or every_page())
