"""A protocol-level Streamlit client that behaves like one browser tab, for classroom load tests.

It speaks the websocket protocol of Streamlit 1.67 (BackMsg / ForwardMsg protobufs) the way the
frontend does: it first GETs the page (which sets the `_streamlit_xsrf` cookie a balancer hashes on),
keeps the state of every widget on the page and sends all of them with each rerun, sends each widget
kind in its own wire form (bench/widget_kinds.py), reruns only the fragment a widget lives in, and
carries the query string the app writes back (page_info_changed) into the next run. When the
connection drops it reconnects and reruns with the same state, as the browser does.
"""
from __future__ import annotations

import asyncio
import ipaddress
import random
import socket
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.util import calc_hash

from widget_kinds import (DRIVEN_KINDS, Widget, initial_value, next_value, to_state, trigger_state,
                          widget_from_element)

RUN_TIMEOUT = 60.0      # s: one rerun that takes longer counts as an error
RECONNECT_WINDOW = 20.0  # s: how long a dropped session keeps trying, as the browser's "Connecting"
IGNORED_AFTER = 5.0      # s: no reply to a fragment rerun by then = the server ignored it (see move())
FINISHED_OK = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


def require_loopback(url: str) -> None:
    """Load tests run on this machine only: refuse any host outside 127.0.0.0/8."""
    host = urllib.parse.urlsplit(url).hostname or ""
    addresses = {info[4][0] for info in socket.getaddrinfo(host, None, socket.AF_INET)}
    if not addresses or not all(ipaddress.ip_address(a) in ipaddress.ip_network("127.0.0.0/8") for a in addresses):
        raise SystemExit(f"refusing {url}: load tests only target loopback addresses (127.0.0.0/8)")


def _cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


@dataclass
class SessionLog:
    """What one simulated student saw."""
    page_loads: list = field(default_factory=list)   # seconds per page visit
    reruns: list = field(default_factory=list)       # seconds per widget move
    errors: list = field(default_factory=list)       # tracebacks, failed runs, failed reconnects
    reconnects: list = field(default_factory=list)   # seconds from the drop to connected again
    no_effect: int = 0                                # moves the server ignored (after a failover)
    moves: dict = field(default_factory=dict)        # widget kind -> moves sent


class BrowserLikeSession:
    def __init__(self, base_url: str, log: SessionLog):
        self.base_url = base_url.rstrip("/")
        self.log = log
        self.ws = None
        self.widgets: dict[str, Widget] = {}
        self.values: dict[str, object] = {}
        self.query_string = ""
        self.page = ""
        self.jar: dict = {}  # cookies, kept across reconnects as a browser keeps them
        self.in_run = False
        self.fresh_session = False  # reconnected to a server session that has not run this page yet
        self.last_messages = 0      # ForwardMsgs the last run received
        self.triggers: list = []     # one-shot trigger states for the next run (a component's events)

    # ---- connection ------------------------------------------------------------------------------------
    def _cookies(self) -> dict:
        """GET the page, then /_stcore/health as the frontend does before it connects: that response sets
        the `_streamlit_xsrf` cookie, which the balancer hashes on to keep this tab on one replica."""
        jar = {}
        for path in (f"/{self.page}", "/_stcore/health"):
            request = urllib.request.Request(self.base_url + path, headers={"Cookie": _cookie_header(jar)})
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                for header in response.headers.get_all("Set-Cookie") or []:
                    name, _, value = header.split(";", 1)[0].partition("=")
                    jar[name.strip()] = value.strip()
        return jar

    async def connect(self) -> None:
        import websockets
        jar = self.jar = self.jar or await asyncio.to_thread(self._cookies)
        ws_url = self.base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        # As the frontend: subprotocols "streamlit", then the XSRF token; Origin and Cookie headers.
        token = jar.get("_streamlit_xsrf") or "PLACEHOLDER_AUTH_TOKEN"
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit", token], max_size=None,
                                           open_timeout=30, origin=self.base_url,
                                           additional_headers={"Cookie": _cookie_header(jar)})

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    # ---- one run ---------------------------------------------------------------------------------------
    def _back_msg(self, fragment_id: str, sidebar_only: bool) -> BackMsg:
        msg = BackMsg()
        run = msg.rerun_script
        run.query_string = self.query_string
        run.page_script_hash = calc_hash(self.page) if self.page else ""
        run.page_name = self.page
        run.fragment_id = fragment_id
        for wid, value in self.values.items():
            widget = self.widgets[wid]
            state = to_state(widget, value) if widget.in_sidebar or not sidebar_only else None
            if state is not None:
                run.widget_states.widgets.append(state)
        run.widget_states.widgets.extend(self.triggers)
        self.triggers = []
        return msg

    def _take(self, fwd: ForwardMsg, seen: set) -> None:
        kind = fwd.WhichOneof("type")
        if kind == "page_info_changed":
            self.query_string = fwd.page_info_changed.query_string
        if kind != "delta" or fwd.delta.WhichOneof("type") != "new_element":
            return
        element = fwd.delta.new_element
        if element.WhichOneof("type") == "exception":
            self.log.errors.append(f"{self.page}: {element.exception.type}: {element.exception.message[:160]}")
            return
        widget = widget_from_element(element, fwd.delta.fragment_id, tuple(fwd.metadata.delta_path))
        if widget is not None:
            seen.add(widget.id)
            self.widgets[widget.id] = widget
            # A new widget starts at its default; a value the server sets (a callback, the language switch
            # re-asserting choices in the new language's labels) is adopted, as the browser's widget does.
            if widget.id not in self.values or getattr(widget.proto, "set_value", False):
                self.values[widget.id] = initial_value(widget)

    async def run(self, fragment_id: str = "", sidebar_only: bool = False, first_reply: float = RUN_TIMEOUT) -> float:
        """Send one rerun (all widget states, as the browser does) and read until it finishes; seconds."""
        start = time.perf_counter()
        await self.ws.send(self._back_msg(fragment_id, sidebar_only).SerializeToString())
        self.in_run = True  # stays set if the connection drops before the run finishes
        seen: set[str] = set()
        timeout = first_reply
        self.last_messages = 0  # what this run sent: each element costs the server (bench/element_cost.py)
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout=timeout))
            self.last_messages += 1
            timeout = RUN_TIMEOUT
            self._take(fwd, seen)
            if fwd.WhichOneof("type") != "script_finished":
                continue
            status = fwd.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # st.rerun(): the next run follows
                continue
            if status not in FINISHED_OK:
                self.log.errors.append(f"{self.page}: script finished with status {status}")
            self.in_run = False
            if status == ForwardMsg.FINISHED_SUCCESSFULLY:  # a full run: widgets not drawn are gone
                self.fresh_session = False
                for gone in set(self.widgets) - seen:
                    self.widgets.pop(gone)
                    self.values.pop(gone, None)
            return time.perf_counter() - start

    # ---- what a student does ---------------------------------------------------------------------------
    async def visit(self, page: str, query_string: str) -> float:
        """Open a page from the navigation: the sidebar's widgets keep their state, the page's start fresh."""
        self.page, self.query_string = page, query_string
        return await self.run(sidebar_only=True)

    def page_widgets(self) -> list[Widget]:
        return [w for w in self.widgets.values() if w.kind in DRIVEN_KINDS and not w.in_sidebar]

    async def move(self, rng: random.Random) -> float | None:
        """Give one widget of the page a new value, as a hand would; None when the page has none."""
        widgets = self.page_widgets()
        if not widgets:
            return None
        widget = rng.choice(widgets)
        if widget.kind == "live_chart" and widget.curve_id:
            # The hand reaches the control before it moves it: the chart asks for its frames (ui/live_chart.js).
            self.triggers.append(trigger_state(widget, "need_frames", widget.curve_id))
            self.log.moves["need_frames"] = self.log.moves.get("need_frames", 0) + 1
            await self.run(fragment_id=widget.fragment_id)
            widget = self.widgets.get(widget.id, widget)
        self.values[widget.id] = next_value(widget, self.values.get(widget.id), rng)
        self.log.moves[widget.kind] = self.log.moves.get(widget.kind, 0) + 1
        if not (widget.fragment_id and self.fresh_session):
            return await self.run(fragment_id=widget.fragment_id)
        # After a failover the new session holds no fragments, and Streamlit ignores a rerun of a fragment it
        # does not hold (AppSession.request_rerun): nothing comes back, the page does not change. The student
        # then reloads the tab, which runs the whole page from its state.
        try:
            return await self.run(fragment_id=widget.fragment_id, first_reply=IGNORED_AFTER)
        except asyncio.TimeoutError:
            self.log.no_effect += 1
            return await self.run()

    async def reconnect(self, dropped_at: float) -> bool:
        """After a drop: connect again through the balancer. Like the 1.67 frontend, no rerun follows unless
        a run was cut off: the tab keeps its drawn page and sends its widget states with the next move."""
        last = "timeout"
        while time.perf_counter() - dropped_at < RECONNECT_WINDOW:
            try:
                await self.connect()
                self.fresh_session = True
                if self.in_run:  # the frontend asks for a full run when the drop cut one off
                    await self.run()
                self.log.reconnects.append(time.perf_counter() - dropped_at)
                return True
            except Exception as exc:  # refused, reset, or a replica still starting: try again
                last = type(exc).__name__
                await asyncio.sleep(0.5)
        self.log.errors.append(f"{self.page}: no reconnect within {RECONNECT_WINDOW:.0f} s ({last})")
        return False


@dataclass
class Plan:
    """The same classroom for every target: pages, query string, moves per visit, think times."""
    pages: list
    query_strings: tuple = ("lang=en", "lang=zh")
    moves_per_visit: int = 5
    think: tuple = (0.2, 0.8)  # s between two moves


async def student(base_url: str, plan: Plan, deadline: float, log: SessionLog, rng: random.Random) -> None:
    """One student until the deadline: visit a page, look, move its widgets a few times, go on."""
    from websockets.exceptions import ConnectionClosed
    session = BrowserLikeSession(base_url, log)
    query = rng.choice(plan.query_strings)  # a student keeps one language
    try:
        await session.connect()
        while time.perf_counter() < deadline:
            try:
                log.page_loads.append(await session.visit(rng.choice(plan.pages), query))
                for _ in range(plan.moves_per_visit):
                    await asyncio.sleep(rng.uniform(*plan.think))
                    if time.perf_counter() >= deadline:
                        break
                    seconds = await session.move(rng)
                    if seconds is None:
                        break
                    log.reruns.append(seconds)
            except (ConnectionClosed, ConnectionError) as exc:
                if not await session.reconnect(time.perf_counter()):
                    log.errors.append(f"session ended after {type(exc).__name__}")
                    return
    except Exception as exc:  # a refused connection or a timeout is a finding to report, not a crash
        log.errors.append(f"session: {type(exc).__name__}: {str(exc)[:160]}")
    finally:
        await session.close()


async def classroom(base_url: str, plan: Plan, sessions: int, seconds: float, seed: int = 0,
                    logs: list | None = None) -> list[SessionLog]:
    """`sessions` students for `seconds` (their logs filled in place, so another thread can watch);
    always returns, at the latest a grace period after the deadline."""
    logs = logs if logs is not None else [SessionLog() for _ in range(sessions)]
    deadline = time.perf_counter() + seconds
    tasks = [asyncio.ensure_future(student(base_url, plan, deadline, logs[i], random.Random(seed + i)))
             for i in range(sessions)]
    done, pending = await asyncio.wait(tasks, timeout=seconds + RUN_TIMEOUT + RECONNECT_WINDOW)
    for task in pending:  # bounded in time whatever the server does
        task.cancel()
        logs[tasks.index(task)].errors.append("session still running after the grace period: cancelled")
    await asyncio.gather(*pending, return_exceptions=True)
    return logs
