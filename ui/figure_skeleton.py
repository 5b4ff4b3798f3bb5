"""A figure's fixed part built once, its data patched in: for figures rebuilt on every new setting.

Building a go.Figure (property validation, the template, subplot layout, `update_*` path parsing) costs
5-40 ms even for a few bars, and a cold rerun (a setting nobody has seen yet: what a class mostly does)
pays it for every panel. Most of it does not depend on the numbers: the same builder run on placeholder
data of the same shape gives the same dict but for the data arrays. So the builder runs once per `shape`
(its arguments that fix the structure: sizes, labels, titles) and each figure is that dict with its traces'
data fields replaced, in ~0.1 ms. Pure Python: no Streamlit.
"""
from __future__ import annotations

from .memo import shared


@shared(maxsize=256)
def _skeleton(_builder, name: str, shape: tuple) -> dict:
    # A function is not a cache key: `name` stands for it, `_builder` is not keyed.
    return _builder(*shape).to_dict()


def patched(builder, shape: tuple, traces: list[dict], layout: dict | None = None) -> dict:
    """builder(*shape)'s figure as a JSON-ready dict, with trace i's fields updated by traces[i] and each
    layout part (an axis, say) updated by layout[part]. The skeleton is shared: its untouched parts are
    never copied or mutated (callers must not mutate the result either)."""
    skeleton = _skeleton(builder, f"{builder.__module__}.{builder.__qualname__}", shape)
    data = list(skeleton["data"])
    for i, fields in enumerate(traces):
        data[i] = {**data[i], **fields}
    out = {**skeleton, "data": data}
    if layout:
        out["layout"] = {**skeleton["layout"], **{k: {**skeleton["layout"].get(k, {}), **v} for k, v in layout.items()}}
    return out
