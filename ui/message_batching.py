"""One event-loop wake-up per burst of a script run's messages, not one per message.

Every element a script run draws reaches the browser through Streamlit's AppSession._on_scriptrunner_event,
called on the script's thread, which hands each event to the server's event loop with its own
call_soon_threadsafe: a write to the loop's self-pipe, a wake-up of the loop thread and a trip of the GIL
between the two threads, per element. A loss page draws 50-120 elements a run; under a class's load (py-spy
on the server) those hand-overs were the largest single cost of a run after our own code, in both threads.

install() keeps Streamlit's handling and its order, and changes only the hand-over: events wait in a
per-session list, and one loop callback handles every event waiting when it runs (a new callback is asked
for only when the list was empty), and that callback wakes the runtime's send loop once, not once per
message. The browser still gets each message as soon as the loop is free.
Streamlit's version is pinned (requirements.txt); install() leaves Streamlit as it is if the method it
wraps has changed shape, and tests/test_message_batching.py checks it is installed.
"""
from __future__ import annotations

import inspect
import logging
import threading

_PARAMS = ["self", "sender", "event", "forward_msg", "exception", "client_state", "page_script_hash",
           "fragment_ids_this_run", "pages", "run_descriptor"]
_lock = threading.Lock()
_replaced = []  # Streamlit's own method: sessions already running hold it by a weak reference (signal_util)


def _on_scriptrunner_event(self, sender, event, forward_msg=None, exception=None, client_state=None,
                           page_script_hash=None, fragment_ids_this_run=None, pages=None, run_descriptor=None):
    args = (sender, event, forward_msg, exception, client_state, page_script_hash, fragment_ids_this_run,
            pages, run_descriptor)
    with _lock:
        pending = self.__dict__.setdefault("_ll_pending_events", [])
        pending.append(args)
        if len(pending) > 1:
            return  # a callback is already asked for: it will handle this event too, in order
    self._call_soon_on_event_loop(lambda: _handle_pending(self))


def _handle_pending(session) -> None:
    with _lock:
        batch = session._ll_pending_events[:]
        session._ll_pending_events.clear()
    # Each message queued for the browser also wakes the runtime's send loop, again by call_soon_threadsafe:
    # once for the whole batch is enough (the loop sends everything queued when it wakes).
    wake = getattr(session, "_message_enqueued_callback", None)
    queued = []
    if wake is not None:
        session._message_enqueued_callback = lambda: queued.append(True)
    try:
        for args in batch:
            try:  # as separate callbacks were: one event's failure is logged, the next ones still run
                session._handle_scriptrunner_event_on_event_loop(*args)
            except Exception:
                logging.getLogger(__name__).exception("a script-runner event failed")
    finally:
        if wake is not None:
            session._message_enqueued_callback = wake
            if queued:
                wake()


def install() -> bool:
    """Patch AppSession once per process; False (and Streamlit untouched) if its method is not the known one."""
    from streamlit.runtime.app_session import AppSession

    if getattr(AppSession._on_scriptrunner_event, "_ll_batched", False):
        return True
    if list(inspect.signature(AppSession._on_scriptrunner_event).parameters) != _PARAMS \
            or not hasattr(AppSession, "_handle_scriptrunner_event_on_event_loop") \
            or not hasattr(AppSession, "_call_soon_on_event_loop"):
        return False
    _replaced.append(AppSession._on_scriptrunner_event)
    _on_scriptrunner_event._ll_batched = True
    AppSession._on_scriptrunner_event = _on_scriptrunner_event
    return True
