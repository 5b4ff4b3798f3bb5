"""What every panel rerun can reuse (not a panel itself).

A hyperparameter move reruns every panel of the page (they sit in its interactive fragment), and most of a
panel's inputs did not change: its computations and figures are kept once per argument values, and its small
tables are Markdown (ui/markdown_blocks.py).
Arguments must be small and hashable (numbers, strings, tuples, bytes): they are the key of each lookup (ui/memo.py).
Results are shared by every session: callers never mutate them.
"""
from __future__ import annotations

import streamlit as st

from ..figures import PrebuiltFigure
from ..markdown_blocks import plain_table
from ..memo import shared


@shared(maxsize=1024)
def _computed(_fn, name: str, args: tuple):
    # A function cannot be hashed: `name` stands for it in the key, `_fn` is not hashed.
    return _fn(*args)


def once(fn, *args):
    """fn(*args), computed on the first call with these argument values and shared afterwards."""
    return _computed(fn, f"{fn.__module__}.{fn.__qualname__}", args)


@shared(maxsize=1024)  # results and figures (keyed_figure)
def _keyed(_fn, name: str, key: tuple, _args: tuple):
    return _fn(*_args)


def keyed(fn, key: tuple, *args):
    """fn(*args) once per `key`: a small hashable tuple that determines the (big or unhashable) args."""
    return _keyed(fn, f"{fn.__module__}.{fn.__qualname__}", key, args)


def params_key(params: dict) -> tuple:
    """A page's hyperparameters as a hashable key (repr: tensor params such as weight are lists)."""
    return tuple(sorted((k, repr(v)) for k, v in params.items()))


@shared(maxsize=512)  # a figure is 10-100 kB: at most ~50 MB
def _figure(_builder, name: str, args: tuple) -> PrebuiltFigure:
    return PrebuiltFigure(_builder(*args).to_dict())


def figure(builder, *args) -> PrebuiltFigure:
    """builder(*args) as a ready figure dict, built once per argument values (st.plotly_chart sends it as is)."""
    return _figure(builder, f"{builder.__module__}.{builder.__qualname__}", args)


def _ready(builder, *args) -> PrebuiltFigure:
    return PrebuiltFigure.of(builder(*args))


def keyed_figure(builder, key: tuple, *args) -> PrebuiltFigure:
    """builder(*args) as a ready figure, built once per `key` (which must determine the args, labels included)."""
    return keyed(_ready, (f"{builder.__module__}.{builder.__qualname__}", *key), builder, *args)


def table(rows: list[dict]) -> None:
    """Small rows of plain text (the first row's keys are the header) as one Markdown table: st.table costs
    the server ~0.5 ms an element on every rerun (Arrow), Markdown ~0.15 ms (ui/markdown_blocks.py)."""
    st.markdown(plain_table(rows))
