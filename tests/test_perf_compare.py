"""Interaction cost of the compare and course pages (issue 14), checked at the protocol level and in AppTest:
each widget of these pages reruns a fragment (never the whole app), a slider reruns only its own plot's
fragment, and after the move the plot, its name and its numbers follow the new value. The CPU numbers
themselves are measured by bench/rerun_cpu.py, not here."""
from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from browser import run_coroutine  # noqa: E402
from load_client import BrowserLikeSession, SessionLog  # noqa: E402

APP_WIDE = {"lang", "teacher", "device"}      # app.py's switches rerun the whole app by design


class Recorder(BrowserLikeSession):
    """Also keeps what each run sent: (element type, fragment id, element) per new element."""

    def __init__(self, url):
        super().__init__(url, SessionLog())
        self.sent: list[tuple[str, str, object]] = []

    def _take(self, fwd, seen):
        if fwd.WhichOneof("type") == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            element = fwd.delta.new_element
            self.sent.append((element.WhichOneof("type"), fwd.delta.fragment_id, element))
        super()._take(fwd, seen)

    async def fresh_run(self, fragment_id: str = "") -> list:
        self.sent = []
        await self.run(fragment_id=fragment_id)
        assert not self.log.errors, self.log.errors
        return self.sent


def _key(widget) -> str:
    return widget.id.rsplit("-", 1)[-1]


async def _open(url: str, page: str, query: str = "") -> Recorder:
    session = Recorder(url)
    await session.connect()
    await session.visit(page, query)
    await session.fresh_run()
    return session


@pytest.fixture(scope="module")
def app_url():
    from browser import streamlit_server
    with streamlit_server() as url:
        yield url


@pytest.mark.parametrize("page, query", [
    ("compare", ""), ("compare", "compare.view=classification"),
    ("compare", "compare.view=family&compare.family=margin"),
    ("origins", ""), ("origins", "origins.part=surrogates"), ("origins", "origins.part=landscapes"),
    ("choose", ""), ("", ""), ("glossary", "")])
def test_every_widget_of_the_page_reruns_a_fragment(app_url, page, query):
    async def check():
        session = await _open(app_url, page, query)
        try:
            widgets = [w for w in session.widgets.values() if _key(w) not in APP_WIDE and not w.in_sidebar]
            assert widgets or page in ("", "glossary")   # home and glossary: a text box only (not driven)
            assert all(w.fragment_id for w in widgets), [_key(w) for w in widgets if not w.fragment_id]
        finally:
            await session.close()
    run_coroutine(check())


def _plot(sent) -> dict:
    return json.loads(next(e.plotly_chart.spec for kind, _, e in sent if kind == "plotly_chart"))


def test_a_compare_slider_reruns_its_plot_alone_and_the_plot_follows(app_url):
    async def check():
        session = await _open(app_url, "compare")
        try:
            by_key = {_key(w): w for w in session.widgets.values()}
            delta, view = by_key["compare.huber.delta"], by_key["compare.view"]
            assert delta.fragment_id != view.fragment_id          # the view and pickers are not rerun by δ
            session.values[delta.id] = [2.5]
            sent = await session.fresh_run(fragment_id=delta.fragment_id)
            kinds = [kind for kind, _, _ in sent]
            assert "radio" not in kinds and "multiselect" not in kinds and len(sent) < 20
            names = [t["name"] for t in _plot(sent)["data"]]
            assert any("delta=2.5" in n for n in names) and any("beta=1" in n for n in names)
            alt = next(e.plotly_chart.alt for kind, _, e in sent if kind == "plotly_chart")
            assert "delta=2.5" in alt
            session.values[delta.id] = [1.0]                       # and back: SmoothL1 and Huber coincide again
            sent = await session.fresh_run(fragment_id=delta.fragment_id)
            assert any(kind == "alert" for kind, _, _ in sent)
        finally:
            await session.close()
    run_coroutine(check())


def test_the_view_radio_reruns_the_page_body_without_the_app(app_url):
    async def check():
        session = await _open(app_url, "compare")
        try:
            view = next(w for w in session.widgets.values() if _key(w) == "compare.view")
            session.values[view.id] = "CE vs focal vs MSE on probabilities vs hinge"
            sent = await session.fresh_run(fragment_id=view.fragment_id)
            assert all(fragment for _, fragment, _ in sent)          # nothing outside a fragment was redrawn
            keys = {_key(w) for w in session.widgets.values()}
            assert {"compare.focal.gamma", "compare.hinge.margin"} <= keys
            assert len(_plot(sent)["data"]) == 8
        finally:
            await session.close()
    run_coroutine(check())


# ---- the cached figures (no server) ---------------------------------------------------------------------------
def test_family_bundle_is_built_once_and_holds_the_same_figure_as_before():
    from ui.compare import coinciding, compare_figure, family_entries, labels
    from ui.compare_cache import family_bundle
    items = (("mse", ()), ("huber", (("delta", 0.5),)))
    first = family_bundle(("mse", "huber"), items, "en", True, "residual", False)
    assert family_bundle(("mse", "huber"), items, "en", True, "residual", False) is first
    entries = family_entries(["mse", "huber"], {"huber": {"delta": 0.5}}, "en")
    expected = compare_figure(entries[0][3], entries, labels("residual", "en"), True).to_dict()
    assert json.dumps(first.fig.to_dict(), sort_keys=True, default=str) == \
        json.dumps(expected, sort_keys=True, default=str)
    assert first.coinciding == coinciding(entries) == []
    other = family_bundle(("mse", "huber"), (("mse", ()), ("huber", (("delta", 2.0),))), "en", True, "residual", False)
    assert other is not first and other.fig.to_dict() != first.fig.to_dict()


def test_margin_bundle_csv_columns_match_torch_curves():
    from losses.theory import MARGIN_LOSSES, margin_curves
    from ui.compare import entries_csv
    from ui.compare_cache import margin_bundle
    params = (("gamma", 0.0), ("alpha", 0.25), ("margin", 1.0))
    bundle = margin_bundle(params, "en", True, False)
    rows = list(csv.reader(io.StringIO(entries_csv(bundle.entries, "margin_z"))))
    header, grid = rows[0], np.array(rows[1:], dtype=float)
    x, curves = margin_curves(MARGIN_LOSSES, dict(params))
    assert header[0] == "margin_z" and len(header) == 1 + 2 * len(MARGIN_LOSSES)
    np.testing.assert_allclose(grid[:, 0], x, rtol=1e-9)
    for i, name in enumerate(MARGIN_LOSSES):
        np.testing.assert_allclose(grid[:, 1 + 2 * i], curves[name][0], rtol=1e-8, atol=1e-12)
        np.testing.assert_allclose(grid[:, 2 + 2 * i], curves[name][1], rtol=1e-8, atol=1e-12)
