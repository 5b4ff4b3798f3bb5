"""Widget states as Streamlit 1.67's browser sends them, for protocol-level load clients.

Each widget kind has one wire form (checked against the 1.67 Python serdes, `value_type=` in
streamlit/elements/widgets/*.py, and the bundled frontend, static/js/{Slider,Selectbox,Radio,Checkbox}.*.js):

| kind | WidgetState field | value |
|---|---|---|
| st.slider | double_array_value | [v] or [lo, hi] |
| st.select_slider (a Slider proto, type SELECT_SLIDER) | string_array_value | the formatted option(s) |
| st.selectbox, st.radio | string_value | the formatted option (not its index) |
| st.checkbox, st.toggle | bool_value | True / False |
| st.number_input | int_value / double_value | by the proto's data_type |
| st.multiselect, st.segmented_control / st.pills (ButtonGroup) | string_array_value | formatted options |
| st.text_input, st.text_area | string_value | the text |
| LossLab's live chart (components v2, ui/live_chart.py) | json_value | {"value": v}, v one of its frames |

Sending a float to a widget that holds options (what the first load test did to a select_slider) is
something no browser does; the server then hands the page a string where it expects a number.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

SIDEBAR = 1  # RootContainer.SIDEBAR: the first entry of a ForwardMsg's delta_path
STRING_KINDS = ("selectbox", "radio", "text_input", "text_area")
STRING_ARRAY_KINDS = ("select_slider", "multiselect", "button_group")
# What a student moves on a page. Text boxes hold typed tensors and buttons start work: not driven.
DRIVEN_KINDS = ("slider", "select_slider", "selectbox", "radio", "checkbox", "number_input", "multiselect",
                "button_group", "live_chart")
LIVE_CHART = "losslab_live_chart"  # the component's name (its proto names it with a module prefix)


@dataclass
class Widget:
    id: str
    kind: str
    proto: object          # the element's own proto (Slider, Selectbox, ...): options, ranges
    fragment_id: str = ""  # set when the widget lives in an st.fragment: moving it reruns only that
    in_sidebar: bool = False
    values: tuple = ()     # live_chart: the values its control moves over
    current: object = None  # live_chart: the committed value the server drew it with
    curve_id: str | None = None  # live_chart sent without its frames: the curve whose frames it would ask for


def widget_from_element(element, fragment_id: str = "", delta_path=()) -> Widget | None:
    """A Widget for an Element proto that is a widget with state, else None."""
    kind = element.WhichOneof("type")
    if kind == "bidi_component" and element.bidi_component.component_name.endswith(LIVE_CHART):
        return _live_chart(element.bidi_component, fragment_id, delta_path)
    if kind not in ("slider", "selectbox", "radio", "checkbox", "number_input", "multiselect", "button_group",
                    "text_input", "text_area"):
        return None
    proto = getattr(element, kind)
    if kind == "slider" and proto.type == Slider.SELECT_SLIDER:
        kind = "select_slider"
    in_sidebar = bool(delta_path) and delta_path[0] == SIDEBAR
    return Widget(proto.id, kind, proto, fragment_id, in_sidebar)


def _live_chart(proto, fragment_id: str, delta_path) -> Widget | None:
    """The main hyperparameter's control inside the plot: its values are the grid it moves over (or, from an
    older server, the figure's frames)."""
    import json

    from ui.live_chart import read_payload
    # bytes since the charts' payload change (ui/live_chart.py); JSON from an older server
    data = read_payload(proto.bytes) if proto.WhichOneof("data") == "bytes" else json.loads(proto.json)
    if not data.get("fig"):  # a rerun that did not resend the figure: the widget is as it was
        return None
    values = tuple(data.get("grid") or ()) or tuple(float(f["name"]) for f in json.loads(data["fig"]).get("frames") or [])
    if not values:
        return None
    return Widget(proto.id, "live_chart", proto, fragment_id, bool(delta_path) and delta_path[0] == SIDEBAR,
                  values=values, current=data.get("value"), curve_id=data.get("curve_id") if data.get("lazy") else None)


def trigger_state(w: Widget, event: str, value) -> WidgetState:
    """What a components-v2 setTriggerValue(event, value) sends: a JSON list on the component's trigger
    aggregator widget (streamlit/components/v2/bidi_component/main.py)."""
    import json

    from streamlit.components.v2.bidi_component.main import _make_trigger_id
    return WidgetState(id=_make_trigger_id(w.id, "events"), json_trigger_value=json.dumps([{"event": event, "value": value}]))


def option_labels(w: Widget) -> list[str]:
    """The formatted options, which is what the browser sends (ButtonGroup options are protos)."""
    if w.kind == "button_group":
        return [o.content for o in w.proto.options]
    return list(w.proto.options)


def _options_at(options, indices) -> list[str]:
    return [options[int(i)] for i in indices if 0 <= int(i) < len(options)]


def initial_value(w: Widget):
    """The value the browser holds when the widget mounts: the server's value if it set one, else the default."""
    p = w.proto
    if w.kind == "live_chart":
        return w.current
    if w.kind == "slider":
        return list(p.value) if p.set_value else list(p.default)
    if w.kind == "select_slider":
        return list(p.raw_value) if p.set_value and p.raw_value else _options_at(p.options, p.default)
    if w.kind in ("selectbox", "radio"):
        if p.set_value and p.HasField("raw_value"):
            return p.raw_value
        return p.options[p.default] if p.HasField("default") and p.default < len(p.options) else None
    if w.kind == "checkbox":
        return bool(p.value) if p.set_value else bool(p.default)
    if w.kind == "number_input":
        return p.value if p.set_value else (p.default if p.HasField("default") else None)
    if w.kind in ("multiselect", "button_group"):
        return list(p.raw_values) if p.set_value else _options_at(option_labels(w), p.default)
    return p.value if p.set_value else p.default  # text_input / text_area


def to_state(w: Widget, value) -> WidgetState | None:
    """The WidgetState the 1.67 browser sends for this widget holding `value` (None: it sends none)."""
    if value is None:
        return None
    state = WidgetState(id=w.id)
    if w.kind == "live_chart":  # what setStateValue("value", v) sends: the component's whole state as JSON
        import json
        state.json_value = json.dumps({"value": value})
    elif w.kind == "slider":
        state.double_array_value.data.extend(float(v) for v in value)
    elif w.kind in STRING_ARRAY_KINDS:
        state.string_array_value.data.extend(str(v) for v in value)
    elif w.kind in STRING_KINDS:
        state.string_value = str(value)
    elif w.kind == "checkbox":
        state.bool_value = bool(value)
    elif w.kind == "number_input":
        if w.proto.data_type == w.proto.INT:
            state.int_value = int(value)
        else:
            state.double_value = float(value)
    else:
        raise ValueError(f"no wire form for {w.kind}")
    return state


def _on_grid(lo: float, step: float, value: float, is_int: bool) -> float:
    value = lo + round((value - lo) / step) * step
    return float(int(round(value))) if is_int else round(value, 10)


def _slider_move(p, current: list, rng: random.Random) -> list[float]:
    step = p.step or 1.0
    is_int = p.data_type == Slider.INT
    moved = list(current) or list(p.default)
    i = rng.randrange(len(moved))
    for _ in range(20):  # a move changes the value (unless the range has one point)
        value = min(p.max, max(p.min, _on_grid(p.min, step, rng.uniform(p.min, p.max), is_int)))
        if value != moved[i]:
            break
    moved[i] = value
    return sorted(moved)


def _pick_other(options, current, rng: random.Random):
    others = [o for o in options if o != current]
    return rng.choice(others) if others else current


def _toggle_member(options, current: list, rng: random.Random, limit: int = 0) -> list[str]:
    chosen = rng.choice(list(options))
    if chosen in current:
        return [o for o in current if o != chosen]
    if limit and len(current) >= limit:
        return current[1:] + [chosen]
    return current + [chosen]


def next_value(w: Widget, current, rng: random.Random):
    """A new value a student could give this widget with a mouse or keyboard."""
    p = w.proto
    if w.kind == "live_chart":  # a release somewhere else on the range
        return _pick_other(w.values, current, rng)
    if w.kind == "slider":
        return _slider_move(p, current, rng)
    if w.kind == "select_slider":
        moved = list(current) or _options_at(p.options, p.default)
        i = rng.randrange(len(moved))
        moved[i] = _pick_other(p.options, moved[i], rng)
        return sorted(moved, key=list(p.options).index)
    if w.kind in ("selectbox", "radio"):
        return _pick_other(p.options, current, rng)
    if w.kind == "checkbox":
        return not current
    if w.kind == "number_input":
        step = p.step or 1
        value = (current if current is not None else 0) + rng.choice((-step, step))
        value = min(value, p.max) if p.has_max else value
        value = max(value, p.min) if p.has_min else value
        return int(value) if p.data_type == p.INT else value
    if w.kind == "multiselect":
        return _toggle_member(p.options, list(current or []), rng, p.max_selections)
    if w.kind == "button_group":
        if p.click_mode == p.SINGLE_SELECT:
            return [_pick_other(option_labels(w), (current or [None])[0], rng)]
        return _toggle_member(option_labels(w), list(current or []), rng)
    raise ValueError(f"{w.kind} is not driven")
