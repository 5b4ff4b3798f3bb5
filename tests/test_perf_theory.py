"""The theory page's interaction cost (issue 14) without losing anything taught: a widget reruns only the
fragment that depends on it, and after each move every plot and number shows the current values. Driven
through the real server as the browser drives it (bench/load_client.py): AppTest reruns the whole script and
would not see a fragment that keeps stale arguments. Also: the cached views and the template shortcut give
what the plain code gives."""
from __future__ import annotations

import asyncio
import base64
import json
import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pyarrow as pa
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from browser import run_coroutine, streamlit_server  # noqa: E402
from load_client import BrowserLikeSession, SessionLog  # noqa: E402

from losses import theory as th  # noqa: E402
from ui import theory_figures as tf  # noqa: E402
from ui import theory_view as tv  # noqa: E402
from ui.theory import P_DEFAULT, Q_DEFAULT  # noqa: E402


# ---- pure: the template shortcut and the caches ------------------------------------------------------------
def _figures(k: int) -> list[go.Figure]:
    rng = np.random.default_rng(k)
    p, q = th.normalise(rng.random(k)), th.normalise(rng.random(k))
    labels = {"p": "p", "q": "q", "base": 2.0, "unit": "bits", "prob": "P", "outcome": "x", "info": "I",
              "curve": "c", "pq": "a", "qp": "b", "term": "t", "ce": "c", "hp": "h", "t": "t", "sum": "s", "kl": "k"}
    return [tf.distributions_figure(p, q, labels), tf.information_figure(p, labels), tf.kl_terms_figure(p, q, labels),
            tf.likelihood_figure(p, q, labels), tf.identity_figure(th.numpy_values(p, q), labels)]


@pytest.mark.parametrize("k", [2, 4, 6])
def test_figures_carry_plotly_white_as_a_validated_assignment_would(k, monkeypatch):
    from ui.figures import chart_template
    fast = [json.loads(pio.to_json(fig)) for fig in _figures(k)]
    monkeypatch.setattr(tf, "white_template", lambda fig: fig.update_layout(template=chart_template()))  # the plain way
    plain = [json.loads(pio.to_json(fig)) for fig in _figures(k)]
    assert all(f["layout"]["template"]["layout"]["plot_bgcolor"] == "white" for f in fast)
    assert all(f["layout"]["template"]["layout"]["xaxis"]["ticklabeloverflow"] == "allow" for f in fast)
    assert fast == plain


def test_views_are_built_once_per_setting_and_follow_every_argument():
    p, q = tuple(th.normalise(P_DEFAULT[:3]).tolist()), tuple(th.normalise(Q_DEFAULT[:3]).tolist())
    first = tv.distributions(p, q, "bits", "en", False)
    assert tv.distributions(p, q, "bits", "en", False) is first                  # a rerun only looks it up
    assert tv.distributions(p, q, "nats", "en", False)["info_alt"] != first["info_alt"]
    assert tv.distributions(p, q, "bits", "zh", False)["dist_alt"] != first["dist_alt"]
    tall = tv.distributions(p, q, "bits", "en", True)["dist"].to_dict()["layout"]["height"]
    assert tall > first["dist"].to_dict()["layout"]["height"]                    # teacher mode: presented
    assert tv.likelihood(p, q, 7, "bits", "en", False)["nll"] != tv.likelihood(p, q, 8, "bits", "en", False)["nll"]


# ---- through the server ------------------------------------------------------------------------------------
class Recorder(BrowserLikeSession):
    """Keeps what each run sent: markdown bodies, tables (as pandas), plotly specs (JSON) with their alt."""

    def __init__(self, url):
        super().__init__(url, SessionLog())
        self.sent = []

    def _take(self, fwd, seen):
        super()._take(fwd, seen)
        if fwd.WhichOneof("type") != "delta" or fwd.delta.WhichOneof("type") != "new_element":
            return
        el = fwd.delta.new_element
        kind = el.WhichOneof("type")
        if kind == "markdown":
            self.sent.append(("markdown", el.markdown.body))
        elif kind == "table":
            self.sent.append(("table", pa.ipc.open_stream(el.table.arrow_data.data).read_pandas()))
        elif kind == "plotly_chart":
            self.sent.append(("plot", (json.loads(el.plotly_chart.spec), el.plotly_chart.alt)))
        else:
            self.sent.append((kind, None))

    def widget(self, key):
        return next(w for w in self.widgets.values() if w.id.endswith(key))

    async def move(self, key, value):
        widget = self.widget(key)
        self.values[widget.id] = value
        self.sent = []
        await self.run(fragment_id=widget.fragment_id)
        assert not self.log.errors, self.log.errors
        return widget


def _array(v) -> np.ndarray:
    if isinstance(v, dict):  # plotly 6 sends numeric arrays as base64 typed arrays
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
    return np.asarray(v, dtype=float)


def _check_page(sent, p, q, n, unit):
    """Every number and plot that the run sent is the one for p, q, n and unit."""
    base = th.LOG_BASES[unit]
    plots = [spec for kind, spec in sent if kind == "plot"]
    texts = "\n".join(body for kind, body in sent if kind == "markdown")
    counts = th.counts_from(p, n)
    nll = th.dataset_nll_torch(th.labels_from_counts(counts), q)
    assert tv.fmt(nll) in texts and f"x1: {counts[0]}" in texts
    lik = next(spec for spec, _ in plots if spec["data"][0].get("name") == "H(p̂, q_t)")
    assert _array(lik["data"][0]["y"])[0] == pytest.approx(th.cross_entropy(counts / n, q, base))
    tables = [table for kind, table in sent if kind == "table"]
    if tables:
        torch_col = dict(zip(tables[0].iloc[:, 0], tables[0]["torch"]))
        assert float(torch_col["H(p, q)"]) == pytest.approx(th.torch_values(p, q, base)["H_pq"], abs=1e-4)
        bars = next(spec for spec, _ in plots if spec["layout"].get("barmode") == "group"
                    and spec["data"][0].get("hovertemplate"))
        np.testing.assert_allclose(_array(bars["data"][0]["y"]), p)
        np.testing.assert_allclose(_array(bars["data"][1]["y"]), q)
        assert tv.fmt(th.kl(p, q, base)) in texts


def test_each_widget_reruns_its_fragment_and_every_value_follows():
    async def scenario(url):
        s = Recorder(url)
        await s.connect()
        try:
            await s.visit("theory", "")
            await s.run()
            p, q = th.normalise(P_DEFAULT[:4]), th.normalise(Q_DEFAULT[:4])
            _check_page(s.sent, p, q, 20, "bits")

            n = await s.move("theory.n", [57])                               # section 4 only
            assert n.fragment_id
            assert not [k for k, _ in s.sent if k in ("table", "heading")]
            assert len([k for k, _ in s.sent if k == "plot"]) == 1
            _check_page(s.sent, p, q, 57, "bits")

            p0 = await s.move("theory.p0", [0.9])                            # everything that depends on p
            assert p0.fragment_id and p0.fragment_id != n.fragment_id
            p = th.normalise([0.9, *P_DEFAULT[1:4]])
            assert [k for k, _ in s.sent].count("table") == 1
            assert "radio" not in [k for k, _ in s.sent]                      # the unit above is not resent
            _check_page(s.sent, p, q, 57, "bits")                            # n kept, counts from the new p

            await s.move("theory.n", [33])                                   # the nested fragment got the new p
            _check_page(s.sent, p, q, 33, "bits")

            nats = next(o for o in s.widget("theory.unit").proto.options if o.startswith("nats"))
            await s.move("theory.unit", nats)                               # the radio sends its label
            _check_page(s.sent, p, q, 33, "nats")

            await s.move("theory.k", [3])                                    # one outcome fewer, bars kept
            p, q = th.normalise([0.9, *P_DEFAULT[1:3]]), th.normalise(Q_DEFAULT[:3])
            _check_page(s.sent, p, q, 33, "nats")
        finally:
            await s.close()

    with streamlit_server() as url:
        run_coroutine(asyncio.wait_for(scenario(url), timeout=120))
