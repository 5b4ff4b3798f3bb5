"""Watching a function while a page runs: how often it is called, and with what."""
from __future__ import annotations


def record_calls(monkeypatch, module, name: str) -> list:
    """Replace module.<name> for this test by a wrapper that calls through and records each call's keyword
    arguments (positional ones under their index), so a test can count calls and read their arguments."""
    calls = []
    real = getattr(module, name)

    def wrapper(*args, **kwargs):
        calls.append({**dict(enumerate(args)), **kwargs})
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, wrapper)
    return calls
