"""AppTest helpers shared by the page test modules: open a page of the real app in a language, and read a
Plotly chart's JSON by its key."""
import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(page: str, lang: str = "en") -> AppTest:
    """The app (sidebar, language) switched to pages/<page>.py; fails on any exception in the page."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart(at: AppTest, key: str) -> dict:
    """The JSON spec of the chart whose element id contains `key`."""
    for c in at.get("plotly_chart"):
        if key in c.proto.id:
            return json.loads(c.proto.spec)
    raise AssertionError(f"no chart {key}")


def figure_data(at: AppTest, index: int = 0) -> list:
    return json.loads(at.get("plotly_chart")[index].proto.spec)["data"]
