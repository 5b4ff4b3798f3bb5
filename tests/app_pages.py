"""AppTest helpers shared by the page test modules: open a page of the real app in a language, and read a
Plotly chart's JSON by its key."""
import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.live_chart import read_payload

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(page: str, lang: str = "en", timeout: float = 120, **query) -> AppTest:
    """The app (sidebar, language) switched to pages/<page>.py, opened with ?lang= and `query` as a shared link
    would; fails on any exception in the page."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.query_params["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = str(value)
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart(at: AppTest, key: str) -> dict:
    """The JSON spec of the chart whose element id contains `key`."""
    for c in at.get("plotly_chart"):
        if key in c.proto.id:
            return json.loads(c.proto.spec)
    raise AssertionError(f"no chart {key}")


def figure_data(at: AppTest, index: int = 0) -> list:
    return json.loads(at.get("plotly_chart")[index].proto.spec)["data"]


def curve_payload(at: AppTest) -> dict:
    """What the live chart component (ui/live_chart.py) was sent: its data, with `fig` parsed."""
    comps = [c for c in at.get("bidi_component") if c.proto.component_name.endswith("losslab_live_chart")]
    assert comps, "no live chart on the page"
    data = read_payload(comps[0].proto.bytes)
    return {**data, "fig": json.loads(data["fig"])}


def want_frames(at: AppTest, slug: str) -> AppTest:
    """What the chart does when a hand or the keyboard reaches its control: ask for every frame of its curve."""
    at.session_state[f"{slug}.chart.frames"] = curve_payload(at)["curve_id"]
    return at.run()


def curve_traces(at: AppTest) -> list:
    """The main plot's traces as the browser shows them: the frame of the committed value applied (the
    component does that in JS), or the figure's own traces when it has no frames."""
    data = curve_payload(at)
    fig = data["fig"]
    frames = list(fig.get("frames") or [])
    if data.get("extra"):
        frames.append({"name": str(data["extra"]["value"]), "traces": data["extra"]["traces"],
                       "data": data["extra"]["data"]})
    traces = [dict(t) for t in fig["data"]]
    if frames:
        frame = min(frames, key=lambda f: abs(float(f["name"]) - data["value"]))
        for i, t in zip(frame["traces"], frame["data"]):
            traces[i].update(t)
    return traces


def set_param(at: AppTest, slug: str, name: str, value) -> AppTest:
    """Move a hyperparameter as a reader would: its st.slider, or the main one's control in the plot
    (which commits the value to session state '<slug>.<name>')."""
    key = f"{slug}.{name}"
    sliders = [s for s in at.slider if s.key == key]
    if sliders:
        return sliders[0].set_value(value).run()
    at.session_state[key] = value
    return at.run()


def markdown_tables(at: AppTest) -> list[list[list[str]]]:
    """Every Markdown table on the page (panel tables are Markdown: ui/markdown_blocks.py) as rows of cells,
    the header first, with Markdown escapes removed."""
    tables = []
    for m in at.markdown:
        rows = []
        for line in m.value.splitlines() + [""]:
            if line.startswith("|") and line.endswith("|"):
                cells = [c.strip() for c in re.split(r"(?<!\\)\|", line[1:-1])]
                if not all(set(c) <= {"-"} and c for c in cells):  # the |---| line
                    rows.append([re.sub(r"\\(.)", r"\1", c) for c in cells])
            elif rows:
                tables.append(rows)
                rows = []
    return tables


def tables_text(at: AppTest) -> str:
    """The text of every Markdown table on the page."""
    return " ".join(" ".join(cell for row in table for cell in row) for table in markdown_tables(at))


def headings(at: AppTest) -> str:
    """Every heading's text: st.subheader's and the panels' Markdown headings (ui/markdown_blocks.py)."""
    found = [h.value for h in at.subheader] + [h.value for h in at.header] + [h.value for h in at.title]
    for m in at.markdown:
        found += re.findall(r"^#{1,6} (.+)$", m.value, flags=re.MULTILINE)
    return " ".join(found)
