"""Loss in action, interaction cost (issue 14): a setting seen before is shown from its cached view (no figure
rebuilt, no retraining) and still shows the current values, the element tree is the same after a training
run and after a cache hit (nothing shifts, nothing is remounted for it), teacher mode has its own view, and
the page's modules stay small. Timings themselves are measured by bench/rerun_cpu.py (every demo), not here."""
import ast
import json
from pathlib import Path

import pytest

from losses import training as T
from app_pages import open_page
from spies import record_calls

ROOT = Path(__file__).resolve().parent.parent


def _page(**params):
    return open_page("in_action", "en", timeout=180, **params)


def _names(at, i: int) -> list[str]:
    return [tr.get("name") for tr in json.loads(at.get("plotly_chart")[i].proto.spec)["data"]]


def _tree(node, out=None) -> list[str]:
    out = [] if out is None else out
    out.append(getattr(node, "type", type(node).__name__))
    for child in getattr(node, "children", {}).values():
        _tree(child, out)
    return out


def test_a_setting_seen_before_reuses_its_figures_and_shows_the_current_values(monkeypatch):
    from ui import in_action_figures as figs
    built = record_calls(monkeypatch, figs, "line_figure")
    trained = record_calls(monkeypatch, T, "fit_lines")
    at = _page(**{"action.outliers.seed": 7101, "action.outliers.steps": 40})
    assert len(built) == 1 and len(trained) == 1
    at.slider(key="action.outliers.delta").set_value(2.0).run()
    assert len(built) == 2 and len(trained) == 2
    assert "HuberLoss (δ=2)" in _names(at, 0)
    at.slider(key="action.outliers.delta").set_value(1.0).run()       # back: from the cache
    assert len(built) == 2 and len(trained) == 2 and not at.exception
    # Every plot and the table show delta = 1 again, not the last figures built.
    assert "HuberLoss (δ=1)" in _names(at, 0) and "HuberLoss (δ=2)" not in _names(at, 0)
    assert "HuberLoss (δ=1)" in json.loads(at.get("plotly_chart")[1].proto.spec)["data"][0]["x"]
    assert "HuberLoss (δ=1)" in set(at.table[0].value.iloc[:, 0])


def test_the_language_builds_new_figures_without_retraining(monkeypatch):
    trained = record_calls(monkeypatch, T, "fit_classifiers")
    at = _page(**{"action.demo": "imbalance", "action.imbalance.seed": 7102, "action.imbalance.steps": 40})
    en = at.table[0].value.columns.tolist()
    at.radio(key="lang").set_value("zh").run()
    assert len(trained) == 1 and not at.exception
    assert at.table[0].value.columns.tolist() != en   # translated headers: a view per language


@pytest.mark.parametrize("demo", ["outliers", "imbalance", "embeddings"])
def test_the_element_tree_is_the_same_after_training_and_from_the_cache(demo):
    at = _page(**{"action.demo": demo, f"action.{demo}.seed": 7103, f"action.{demo}.steps": 30})
    trained = _tree(at.main)
    assert "empty" in trained   # the progress bar, emptied once the training finished
    at.slider(key=f"action.{demo}.steps").set_value(40).run()
    at.slider(key=f"action.{demo}.steps").set_value(30).run()        # a cache hit: no progress bar drawn
    assert _tree(at.main) == trained and not at.exception


def test_teacher_mode_gets_the_presentation_sized_figures():
    at = _page(**{"action.outliers.seed": 7104, "action.outliers.steps": 30})
    normal = [json.loads(c.proto.spec)["layout"]["height"] for c in at.get("plotly_chart")]
    at.toggle(key="teacher").set_value(True).run()
    big = [json.loads(c.proto.spec)["layout"]["height"] for c in at.get("plotly_chart")]
    assert all(h < 760 for h in normal) and all(h >= 760 for h in big) and not at.exception


def test_the_table_keeps_its_columns_and_hides_the_index():
    at = _page(**{"action.outliers.seed": 7105, "action.outliers.steps": 30})
    table = at.table[0]
    assert table.proto.hide_index and not table.proto.hide_header
    from ui.i18n import t
    assert list(table.value.columns) == [t("action_col_loss", "en"), "w", "b", t("action_col_error", "en")]
    assert len(table.value) == len(T.REG_LOSSES) + 1   # one row per loss and the true line


def test_the_page_modules_are_small():
    for path in sorted((ROOT / "ui").glob("in_action*.py")):
        src = path.read_text(encoding="utf-8")
        assert len(src.splitlines()) <= 300, path.name
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno - node.lineno + 1 <= 60, (path.name, node.name)
