"""bench/render_order.py: its page draws what the benchmark says, and one move's events are read right."""
import importlib.util
from pathlib import Path

from streamlit.testing.v1 import AppTest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _bench():
    spec = importlib.util.spec_from_file_location("render_order", BENCH / "render_order.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_page_has_a_slider_a_component_a_marker_then_n_markdown_elements(monkeypatch):
    monkeypatch.setenv("LOSSLAB_AFTER", "3")
    at = AppTest.from_file(str(BENCH / "render_order_app.py"), default_timeout=60).run()
    assert not at.exception
    assert len(at.slider) == 1 and len(at.markdown) == 3
    kinds = [node.type for node in at._tree[0].children[0].children.values()]   # the fragment's elements, in order
    assert kinds[:3] == ["slider", "bidi_component", "html"] and kinds[3:] == ["markdown"] * 3
    assert 'data-value="50"' in at.get("html")[0].proto.body


def test_one_move_is_timed_from_its_key_press():
    events = [[100.0, "key", None], [110.0, "message", None], [130.0, "message", None], [131.0, "marker", 51],
              [150.0, "message", None], [170.0, "component", 51], [171.0, "component", 52]]
    assert _bench().timings(events, 51) == {"first message": 10.0, "last message": 50.0, "component JS": 70.0,
                                            "marker in DOM": 31.0, "messages": 3}


def test_a_move_the_page_did_not_show_is_not_timed():
    events = [[100.0, "key", None], [110.0, "message", None], [170.0, "component", 51]]
    assert _bench().timings(events, 51) is None
