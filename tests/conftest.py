import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Any exception fails a test, even one that ui/errors.py turns into a message for the reader.
os.environ.setdefault("LOSSLAB_RAISE_ERRORS", "1")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _run_app_as_v2(main_script_path: str) -> None:
    """AppTest resets Streamlit's 'pages/ folder means v1 multipage app' flag before every run, so its
    runs would execute a page file alone, without app.py (no sidebar, no language switch). A real server
    leaves v1 mode for good on its first run (ui/__init__.py); make AppTest behave like that server."""
    import runpy

    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False
    runpy.run_path(main_script_path, run_name="__main__")


import streamlit.runtime.scriptrunner.script_runner as _script_runner  # noqa: E402
from streamlit import config as _st_config  # noqa: E402

_st_config.set_option("client.showErrorDetails", "full")  # readers see no traceback; a failing test shows it all

_script_runner._mpa_v1 = _run_app_as_v2


# Browser-test fixtures shared by every tests/test_*browser*.py module: one LossLab server and one
# Chromium per module, a fresh context per test.
import pytest  # noqa: E402


@pytest.fixture(scope="module")
def server():
    from browser import streamlit_server
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM, CHROMIUM_ARGS
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    yield p
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test shows the tail of its Streamlit server's output (tests/browser.py logs it)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "server" in getattr(item, "fixturenames", ()):
        logs = sorted((ROOT / "test-artifacts").glob("server-*.log"), key=os.path.getmtime)
        if logs:
            report.sections.append((f"streamlit server output ({logs[-1].name}, tail)",
                                    logs[-1].read_text(errors="replace")[-3000:]))
