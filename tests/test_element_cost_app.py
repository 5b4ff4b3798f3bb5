"""bench/element_cost.py measures what its page draws: each kind's page has the bare page's slider and plot
plus exactly `count` elements of that kind (the benchmark's numbers are per element)."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "bench" / "element_cost_app.py")
KINDS = ("markdown", "markdown_joined", "markdown_table", "table", "columns", "horizontal", "slider", "selectbox",
         "text_area")


def _page(monkeypatch, kind: str, count: int) -> AppTest:
    monkeypatch.setenv("LOSSLAB_ELEMENTS", f"{kind}:{count}")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    return at


def _rows(at: AppTest) -> int:
    """Horizontal containers on the page (st.columns draws one too, holding its column blocks)."""
    from streamlit.proto.Block_pb2 import Block
    found, todo = 0, [at._tree]
    while todo:
        node = todo.pop()
        todo += list(getattr(node, "children", {}).values())
        if getattr(node, "type", "") == "flex_container" and \
                node.proto.flex_container.direction == Block.FlexContainer.Direction.HORIZONTAL:
            found += 1
    return found


def test_the_benchmark_knows_every_kind_its_page_draws():
    import importlib.util
    spec = importlib.util.spec_from_file_location("element_cost", Path(APP).with_name("element_cost.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.KINDS == KINDS


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_adds_count_elements(monkeypatch, kind):
    bare = _page(monkeypatch, kind, 0)
    at = _page(monkeypatch, kind, 3)
    assert len(at.slider) == len(bare.slider) == 1 or kind == "slider"
    found = {
        "markdown": len(at.markdown) - len(bare.markdown),
        "markdown_joined": len(at.markdown) - len(bare.markdown),
        "markdown_table": sum("|---|" in m.value for m in at.markdown),
        "table": len(at.table),
        "columns": len(at.columns) // 2,
        "horizontal": _rows(at) - _rows(bare) if not at.columns else -1,  # rows, and no column blocks
        "slider": len(at.slider) - 1,
        "selectbox": len(at.selectbox),
        "text_area": len(at.text_area),
    }[kind]
    assert found == (1 if kind == "markdown_joined" else 3)


def test_an_unknown_kind_stops_the_page(monkeypatch):
    monkeypatch.setenv("LOSSLAB_ELEMENTS", "nonsense:1")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.exception and "unknown element kind" in at.exception[0].message
