"""Panel figures built once per distinct arguments and shared by every rerun and session.

Building a go.Figure (validation, subplots, template) costs 30-60 ms of every rerun; the JSON-ready dict
it turns into is what Streamlit sends. Identical arguments give an identical dict, so the browser keeps
the chart it has instead of drawing it again.
"""
from __future__ import annotations


from .figures import PrebuiltFigure
from .memo import shared


@shared(maxsize=512)
def _figure_dict(_builder, name: str, args: tuple, kwargs: tuple) -> dict:
    # Streamlit cannot hash a function: `name` stands for it in the cache key, `_builder` is not hashed.
    # Shared, not copied per rerun: PrebuiltFigure hands it to Streamlit as is, never mutated.
    return _builder(*args, **dict(kwargs)).to_dict()


def prebuilt(builder, *args, **kwargs) -> PrebuiltFigure:
    """builder(*args, **kwargs) as a PrebuiltFigure, built on the first call with these arguments."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    return PrebuiltFigure(_figure_dict(builder, name, args, tuple(sorted(kwargs.items()))))
