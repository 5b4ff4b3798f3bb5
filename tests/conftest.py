import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
# Any exception fails a test, even one that ui/errors.py turns into a message for the reader.
os.environ.setdefault("LOSSLAB_RAISE_ERRORS", "1")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Hypothesis example counts per tier: `make test` runs the full counts written in each test, `make test-fast`
# (LOSSLAB_HYPOTHESIS=fast) a tenth of them. Tests write `max_examples=examples(n)` with their full count n.
settings.register_profile("full", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fast", parent=settings.get_profile("full"), max_examples=10)
PROFILE = os.environ.get("LOSSLAB_HYPOTHESIS", "full")
settings.load_profile(PROFILE)


def examples(full: int) -> int:
    """The example count of a property test in the loaded profile: `full` as written, or a tenth in `fast`."""
    return full if PROFILE == "full" else max(10, full // 10)


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


# --- Tiers: markers applied from what a test uses, so a new test file needs no marker of its own ------------
BROWSER_FIXTURES = {"server", "browser"}        # every browser fixture below depends on one of these


def _apptest_names(module) -> set:
    """Names in a test module that run Streamlit's AppTest: AppTest itself, what it imports from app_pages,
    and (to a fixed point) its own functions and fixtures whose code uses one of those."""
    import inspect
    names = {"AppTest"} | {n for n, v in vars(module).items() if getattr(v, "__module__", "") == "app_pages"}
    own = {}
    for n, v in vars(module).items():
        fn = getattr(v, "__wrapped__", v)
        if inspect.isfunction(fn) and fn.__module__ == module.__name__:
            own[n] = inspect.getsource(fn)
    grown = True
    while grown:
        new = {n for n, src in own.items() if n not in names and _mentions(src, names)}
        names |= new
        grown = bool(new)
    return names


def _function_source(item) -> str:
    import inspect
    fn = getattr(item, "function", None)
    return inspect.getsource(fn) if fn else ""


def _uses_apptest(item, names: set) -> bool:
    src = _function_source(item)
    return _mentions(src, names) or bool(names & set(getattr(item, "fixturenames", ())))


def _mentions(source: str, names: set) -> bool:
    import re
    return bool(names) and re.search(r"\b(" + "|".join(map(re.escape, names)) + r")\b", source) is not None


def pytest_collection_modifyitems(config, items):
    """browser: drives Chromium (uses the shared fixtures, or its module starts Playwright, or is a *browser*
    file); apptest: runs the app through Streamlit's AppTest (directly, or by a helper or fixture that does);
    slow: starts a Python subprocess (a copy-code snippet run as the reader would, a module imported alone)."""
    by_module = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is None:
            continue
        if module not in by_module:
            by_module[module] = (Path(module.__file__).read_text(encoding="utf-8"), _apptest_names(module))
        source, names = by_module[module]
        if (BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())) or "sync_playwright" in source
                or "browser" in item.path.stem):
            item.add_marker(pytest.mark.browser)
        elif _uses_apptest(item, names):
            item.add_marker(pytest.mark.apptest)
        if "subprocess" in _function_source(item):   # a fresh interpreter that imports torch: seconds each
            item.add_marker(pytest.mark.slow)


# --- Browser fixtures: ONE LossLab server and ONE Chromium for the whole run, a fresh context per test --------
@pytest.fixture(scope="session")
def server():
    from browser import streamlit_server
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
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


LOG_START = pytest.StashKey[int]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test shows what its Streamlit server wrote while the test ran (tests/browser.py logs
    every server's output to test-artifacts/server-*.log; the shared server's log is shown from this test on)."""
    outcome = yield
    report = outcome.get_result()
    url = getattr(item, "funcargs", {}).get("server")
    from browser import SERVER_LOGS
    log = SERVER_LOGS.get(url) if isinstance(url, str) else None
    if log is None or not log.exists():
        return
    if report.when == "setup":
        item.stash[LOG_START] = log.stat().st_size
    elif report.when == "call" and report.failed:
        text = log.read_bytes()[item.stash.get(LOG_START, 0):].decode(errors="replace")
        report.sections.append((f"streamlit server output during this test ({log.name}, tail)",
                                text[-3000:] or "(nothing)"))
