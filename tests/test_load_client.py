"""The load client drives each widget kind as Streamlit 1.67's browser does (bench/widget_kinds.py,
bench/load_client.py), stays on loopback and bounded; the nginx template fills only its own names."""
from __future__ import annotations

import asyncio
import random
import sys
import time
from pathlib import Path

import pytest
from streamlit.proto.Selectbox_pb2 import Selectbox
from streamlit.proto.Slider_pb2 import Slider

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from load_client import BrowserLikeSession, SessionLog, require_loopback  # noqa: E402
from servers import free_port, render_nginx_template, start_streamlit, stop, wait_healthy  # noqa: E402
from browser import run_coroutine  # noqa: E402
from widget_kinds import Widget, initial_value, next_value, to_state  # noqa: E402

LOG = ROOT / "test-artifacts" / "load" / "widget_kinds_app.log"
# What the page must receive, as Python, for the wire value the client sent (tests/widget_kinds_app.py).
AS_PYTHON = {
    "slider": lambda v: float(v[0]),
    "select_slider": lambda v: float(v[0]),           # options 0.5, 1, 3, 10 formatted with :g
    "selectbox": str,
    "radio": lambda v: int(v.removeprefix("y = ")),   # options 0, 1, 2 formatted "y = n"
    "checkbox": bool,
    "number_input": int,
    "multiselect": list,
    "button_group": lambda v: v[0],                   # segmented_control, single select
}


class EchoSession(BrowserLikeSession):
    """Also records what the page echoes with st.text ("kind=repr(value)")."""

    def __init__(self, url):
        super().__init__(url, SessionLog())
        self.echo = {}

    def _take(self, fwd, seen):
        super()._take(fwd, seen)
        if fwd.WhichOneof("type") == "delta" and fwd.delta.new_element.WhichOneof("type") == "text":
            name, _, value = fwd.delta.new_element.text.body.partition("=")
            self.echo[name] = value

    def widget(self, kind):
        return next(w for w in self.widgets.values() if w.id.endswith(f"k.{kind}"))


@pytest.fixture(scope="module")
def kinds_server():
    port = free_port()
    proc = start_streamlit("tests/widget_kinds_app.py", port, LOG)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc=proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)
        print(f"server output ({LOG}):\n{LOG.read_text()[-2000:]}")


def run(coro):
    return run_coroutine(asyncio.wait_for(coro, timeout=60))


def server_log() -> str:
    return LOG.read_text()[-1500:]


def test_every_widget_kind_reaches_the_page_as_its_own_python_type(kinds_server):
    async def scenario():
        session = EchoSession(kinds_server)
        await session.connect()
        try:
            await session.visit("", "")
            assert not session.log.errors, session.log.errors
            rng = random.Random(3)
            for kind, as_python in AS_PYTHON.items():
                widget = session.widget(kind)
                assert widget.kind == kind
                before = session.values[widget.id]
                new = next_value(widget, before, rng)
                assert new != before, (kind, before)  # a move changes something
                session.values[widget.id] = new
                await session.run(fragment_id=widget.fragment_id)
                assert not session.log.errors, (kind, session.log.errors, server_log())
                assert session.echo[kind] == repr(as_python(new)), (kind, new, session.echo[kind])
        finally:
            await session.close()
    run(scenario())


def test_a_fragment_widget_reruns_only_its_fragment(kinds_server):
    async def scenario():
        session = EchoSession(kinds_server)
        await session.connect()
        try:
            await session.visit("", "")
            widget = session.widget("frag")
            assert widget.fragment_id  # the delta carried the fragment it lives in
            session.echo.clear()
            session.values[widget.id] = [7.0]
            await session.run(fragment_id=widget.fragment_id)
            assert session.echo == {"frag": "7"}, session.echo  # the rest of the page did not run
            assert not session.log.errors
        finally:
            await session.close()
    run(scenario())


def test_a_float_sent_to_a_select_slider_breaks_the_page_as_in_the_old_load_test(kinds_server):
    """The negative control: the old client's wire form reproduces issue 14's error message exactly."""
    async def scenario():
        session = EchoSession(kinds_server)
        await session.connect()
        try:
            await session.visit("", "")
            widget = session.widget("select_slider")
            widget.kind = "slider"  # send it as a plain slider's double_array_value
            session.values[widget.id] = [10.0]
            await session.run()
            return session.log.errors
        finally:
            await session.close()
    errors = run(scenario())
    assert any("TypeError: must be real number, not str" in e for e in errors), errors


def test_slider_moves_stay_on_the_step_grid_inside_the_range():
    proto = Slider(id="s", min=0.05, max=5.0, step=0.05, data_type=Slider.FLOAT, type=Slider.SLIDER)
    proto.default[:] = [1.0]
    widget = Widget("s", "slider", proto)
    value, rng = initial_value(widget), random.Random(0)
    assert value == [1.0]
    for _ in range(200):
        value = next_value(widget, value, rng)
        assert 0.05 <= value[0] <= 5.0
        assert abs(value[0] / 0.05 - round(value[0] / 0.05)) < 1e-6
    assert to_state(widget, value).WhichOneof("value") == "double_array_value"


def test_option_widgets_send_formatted_options_not_indices():
    box = Selectbox(id="b", default=1)
    box.options[:] = ["mean", "sum", "none"]
    widget = Widget("b", "selectbox", box)
    assert initial_value(widget) == "sum"
    moved = next_value(widget, "sum", random.Random(0))
    assert moved in ("mean", "none")
    state = to_state(widget, moved)
    assert state.WhichOneof("value") == "string_value" and state.string_value == moved
    select = Slider(id="p", type=Slider.SELECT_SLIDER, data_type=Slider.INT, min=0, max=3, step=1)
    select.options[:] = ["0.5", "1", "3", "10"]
    select.default[:] = [2]
    widget = Widget("p", "select_slider", select)
    assert initial_value(widget) == ["3"]
    state = to_state(widget, next_value(widget, ["3"], random.Random(1)))
    assert state.WhichOneof("value") == "string_array_value" and state.string_array_value.data[0] in select.options


@pytest.mark.parametrize("url", ["http://127.0.0.1:8501", "http://127.0.0.9:80", "http://localhost:1"])
def test_loopback_targets_are_accepted(url):
    require_loopback(url)


@pytest.mark.parametrize("url", ["http://10.0.0.1:8501", "http://192.168.1.5", "http://8.8.8.8:80"])
def test_other_targets_are_refused(url):
    with pytest.raises(SystemExit, match="loopback"):
        require_loopback(url)


def test_load_test_refuses_unbounded_runs():
    sys.path.insert(0, str(ROOT / "bench"))
    from load_test import parse_args
    assert parse_args(["--sessions", "5", "--seconds", "10"]).sessions == 5
    assert parse_args(["--replicas", "2"]).replicas == 2
    assert parse_args(["--targets", "losslab,bare,bare_nodelay"]).targets == "losslab,bare,bare_nodelay"
    for argv in (["--sessions", "500"], ["--seconds", "3600"], ["--sessions", "0"], ["--replicas", "0"],
                 ["--replicas", "64"], ["--targets", "losslab,nonsense"]):
        with pytest.raises(SystemExit):
            parse_args(argv)


def test_nginx_template_fills_its_names_and_keeps_nginx_variables():
    text = render_nginx_template({"LOSSLAB_LISTEN": "127.0.0.1:9", "LOSSLAB_ACCESS_LOG": "/tmp/a.log",
                                  "LOSSLAB_UPSTREAM_SERVERS": "server 127.0.0.1:1; server 127.0.0.1:2;"})
    assert "${" not in text
    assert "listen 127.0.0.1:9;" in text and "server 127.0.0.1:1; server 127.0.0.1:2;" in text
    for nginx_own in ("hash $cookie__streamlit_xsrf consistent;", "proxy_set_header Upgrade $http_upgrade;",
                      "proxy_set_header Connection $connection_upgrade;", "proxy_http_version 1.1;"):
        assert nginx_own in text
    with pytest.raises(ValueError, match="LOSSLAB_LISTEN"):
        render_nginx_template({"LOSSLAB_ACCESS_LOG": "x", "LOSSLAB_UPSTREAM_SERVERS": "x"})


def test_after_a_reconnect_to_a_fresh_session_a_fragment_move_is_ignored_until_a_full_run(kinds_server):
    """What a failover does to a tab (bench/serve_test.py): the new server session holds no fragment, so
    Streamlit drops the fragment rerun; the client counts it and reruns the whole page, as a reload would."""
    async def scenario():
        session = EchoSession(kinds_server)
        await session.connect()
        try:
            await session.visit("", "")
            frag = session.widget("frag")
            await session.close()                        # the replica's socket goes away
            assert await session.reconnect(time.perf_counter())
            assert session.fresh_session and session.log.reconnects
            session.page_widgets = lambda: [frag]        # the student moves the fragment's slider
            session.echo.clear()
            await session.move(random.Random(0))
            assert session.log.no_effect == 1            # ignored by the server ...
            assert "slider" in session.echo and not session.fresh_session  # ... then a full run drew it all
            session.echo.clear()
            await session.move(random.Random(1))         # from now on fragment reruns work again
            assert session.echo.keys() == {"frag"} and session.log.no_effect == 1
            assert not session.log.errors
        finally:
            await session.close()
    run(scenario())


def test_the_client_asks_for_the_frames_before_it_moves_the_live_chart(server):
    """LossLab's chart arrives with one frame and asks for the others when a hand reaches its control
    (ui/live_chart.js): the client does the same, so a class's load counts that work where a browser causes it."""
    async def scenario():
        session = BrowserLikeSession(server, SessionLog())
        await session.connect()
        try:
            await session.visit("huber", "lang=en")
            chart = next(w for w in session.page_widgets() if w.kind == "live_chart")
            assert chart.curve_id and len(chart.values) > 10        # one frame sent, the whole grid to move over
            session.page_widgets = lambda: [chart]
            await session.move(random.Random(0))
            assert session.log.moves == {"need_frames": 1, "live_chart": 1} and not session.log.errors
            assert session.widgets[chart.id].curve_id is None          # the figure now holds every frame
            assert session.values[chart.id] != chart.current            # and the move committed a new value
        finally:
            await session.close()
    run(scenario())
