"""Extra visualisations a spec can ask for by name (LossSpec.panels).

Each module ui/panels/<name>.py defines render(spec, params, device) and draws with Streamlit.
Its interface strings live in content/ui/<name>.toml.
"""
from __future__ import annotations

import importlib


def render_panel(name: str, spec, params: dict, device: str) -> None:
    importlib.import_module(f"ui.panels.{name}").render(spec, params, device)
