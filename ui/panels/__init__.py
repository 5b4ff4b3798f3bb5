"""Extra visualisations a spec can ask for by name (LossSpec.panels).

Each module ui/panels/<name>.py defines render(spec, params, device) and draws with Streamlit.
Its interface strings live in content/ui/<name>.toml.
"""
from __future__ import annotations

import importlib

from ..errors import fragment


@fragment
def _panel(name: str, spec, params: dict, device: str) -> None:
    """One panel as its own fragment: its own widgets (a logit, a point, a label) rerun this panel alone, not
    the page's plot, the other panels and the worked example. A hyperparameter still reruns it (the page's
    interactive fragment calls it again, with the new params)."""
    importlib.import_module(f"ui.panels.{name}").render(spec, params, device)


def render_panel(name: str, spec, params: dict, device: str) -> None:
    _panel(name, spec, params, device)
