import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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

_script_runner._mpa_v1 = _run_app_as_v2
