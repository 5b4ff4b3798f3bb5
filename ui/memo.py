"""shared(maxsize): a function's results kept once per process, for every rerun and every session.

What st.cache_resource does for the hot lookups of a rerun, at a fraction of its cost: Streamlit hashes each
argument with its own hasher and inspects the function's signature on every call (~0.3-0.6 ms a lookup,
~12% of a panel page's rerun under a class's load, py-spy), while this key is a plain tuple that Python
hashes. Arguments whose name starts with "_" are left out of the key, as Streamlit does (a builder function,
arrays that another argument already determines). Exceptions are not kept. Results are shared: callers
never mutate them.
"""
from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict

import numpy as np


def freeze(value):
    """`value` as a hashable key: lists/tuples, dicts and arrays by their contents, the rest as they are."""
    if isinstance(value, bool):  # True == 1 == 1.0 as dict keys: keep the types apart, as Streamlit does
        return ("bool", value)
    if isinstance(value, float):  # repr also keeps -0.0 apart from 0.0
        return ("float", repr(value))
    if isinstance(value, (str, int, bytes, type(None))):
        return value
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, freeze(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(freeze(v) for v in value))
    hash(value)  # anything else must be hashable itself (numpy scalars, enums, frozen dataclasses)
    return value


def shared(maxsize: int = 256):
    def decorate(fn):
        signature = inspect.signature(fn)
        names = list(signature.parameters)
        kept = [i for i, name in enumerate(names) if not name.startswith("_")]
        entries: OrderedDict = OrderedDict()
        lock = threading.Lock()
        hits_misses = [0, 0]

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if kwargs:  # rare here: bind to positions, so f(a, b=1) and f(a, 1) share an entry
                args = signature.bind(*args, **kwargs).args
            key = tuple(freeze(args[i]) for i in kept if i < len(args))
            with lock:
                if key in entries:
                    entries.move_to_end(key)
                    hits_misses[0] += 1
                    return entries[key]
            value = fn(*args)  # outside the lock: sessions compute different keys in parallel
            with lock:
                hits_misses[1] += 1
                entries[key] = value
                while len(entries) > maxsize:
                    entries.popitem(last=False)
            return value

        def cache_clear() -> None:
            with lock:
                entries.clear()

        wrapper.cache_clear = wrapper.clear = cache_clear
        wrapper.cache_info = lambda: {"hits": hits_misses[0], "misses": hits_misses[1], "size": len(entries)}
        return wrapper
    return decorate
