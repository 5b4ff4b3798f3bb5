"""ui/message_batching.py: a run's events reach the event loop in one callback per burst, in their order."""
from streamlit.runtime.app_session import AppSession

from ui import message_batching


class FakeSession:
    """What the batching uses of an AppSession: the loop hand-over and Streamlit's own event handling."""

    def __init__(self, fail_on=None):
        self.scheduled, self.handled, self.fail_on = [], [], fail_on
        self.wakes = []
        self._message_enqueued_callback = lambda: self.wakes.append(True)   # the runtime's send loop

    def _call_soon_on_event_loop(self, callback):
        self.scheduled.append(callback)

    def _handle_scriptrunner_event_on_event_loop(self, sender, event, forward_msg, *rest):
        if event == self.fail_on:
            raise RuntimeError(event)
        self.handled.append((event, forward_msg))
        if forward_msg is not None:   # as AppSession does for each message it queues for the browser
            self._message_enqueued_callback()


def send(session, event, msg=None):
    message_batching._on_scriptrunner_event(session, None, event, forward_msg=msg)


def test_it_is_installed_on_the_pinned_streamlit():
    assert message_batching.install() is True
    assert AppSession._on_scriptrunner_event is message_batching._on_scriptrunner_event
    assert message_batching.install() is True   # a second call (every rerun of app.py) changes nothing


def test_one_callback_per_burst_and_the_order_is_kept():
    session = FakeSession()
    for i in range(5):
        send(session, "enqueue", i)
    assert len(session.scheduled) == 1 and session.handled == []
    session.scheduled.pop()()
    assert session.handled == [("enqueue", i) for i in range(5)]
    assert len(session.wakes) == 1                # the send loop woken once for the five messages
    send(session, "finished")                   # after the list was emptied: a new callback
    assert len(session.scheduled) == 1
    session.scheduled.pop()()
    assert session.handled[-1] == ("finished", None)
    assert len(session.wakes) == 1                # no message queued: no wake-up
    session._message_enqueued_callback()          # the session's own callback is back in place
    assert len(session.wakes) == 2


def test_a_failing_event_does_not_drop_the_ones_after_it(caplog):
    session = FakeSession(fail_on="bad")
    for event in ("a", "bad", "c"):
        send(session, event)
    session.scheduled.pop()()
    assert [e for e, _ in session.handled] == ["a", "c"]
    assert "script-runner event failed" in caplog.text
