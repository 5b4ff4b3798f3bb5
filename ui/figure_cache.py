"""Panel figures built once per distinct arguments and shared by every rerun and session.

Building a go.Figure (validation, subplots, template) costs 30-60 ms of every rerun; the JSON-ready dict
it turns into is what Streamlit sends. Identical arguments give an identical dict, so the browser keeps
the chart it has instead of drawing it again.
"""
from __future__ import annotations


from .figures import PrebuiltFigure
from .memo import shared


@shared(maxsize=512)  # a figure is 10-100 kB: at most ~50 MB
def _figure(_builder, name: str, args: tuple, kwargs: tuple) -> PrebuiltFigure:
    # A function is not a cache key: `name` stands for it, `_builder` is not keyed.
    # Shared, not copied per rerun: the same object for the same arguments, never mutated.
    return PrebuiltFigure.of(_builder(*args, **dict(kwargs)))


def prebuilt(builder, *args, **kwargs) -> PrebuiltFigure:
    """builder(*args, **kwargs) as a PrebuiltFigure, built on the first call with these arguments."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    return _figure(builder, name, args, tuple(sorted(kwargs.items())))
