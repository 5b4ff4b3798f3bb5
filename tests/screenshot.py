"""Screenshots of pages in both languages: python tests/screenshot.py slug [slug ...] (into screenshots/)."""
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import CHROMIUM, CHROMIUM_ARGS, ROOT, open_page, streamlit_server  # noqa: E402

OUT = ROOT / "screenshots"


def main(slugs, langs=("en", "zh"), full=True):
    OUT.mkdir(exist_ok=True)
    with streamlit_server() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        for slug in slugs:
            for lang in langs:
                path = "" if slug == "home" else slug
                from losses import REGISTRY
                open_page(page, f"{url}/{path}?lang={lang}", plot=slug in REGISTRY and REGISTRY[slug].curve is not None)
                if full:  # Streamlit scrolls inside stMain: grow the viewport to the content's height
                    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
                    page.set_viewport_size({"width": 1440, "height": min(int(height) + 50, 12000)})
                    page.wait_for_timeout(500)
                page.screenshot(path=str(OUT / f"{slug}_{lang}.png"))
                page.set_viewport_size({"width": 1440, "height": 1000})
                print(OUT / f"{slug}_{lang}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:] or ["huber"])
