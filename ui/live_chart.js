// LossLab's live chart: one Plotly div that stays mounted across reruns, and the main hyperparameter's
// own range input over frames precomputed by torch. Moving the input redraws the curves in the browser
// (Plotly.restyle, no server round trip); releasing it (or any key press) commits the value to Python.
// Python sends `fig` as a JSON string that is the same object between reruns unless the figure changed,
// so a rerun that only commits a value costs the browser almost nothing.

// Added once to the document (the component's own css option did not reach the light DOM here).
const CSS = `.ll-chart { width: 100%; }
.ll-plot { width: 100%; }
.ll-control { display: grid; grid-template-columns: auto 1fr; gap: .2rem 1rem; align-items: center;
  margin: .25rem 0 .25rem 60px; max-width: calc(100% - 80px); }
.ll-control[hidden] { display: none; }
.ll-control label { font-size: 1rem; white-space: nowrap; }
.ll-value { font-variant-numeric: tabular-nums; font-weight: 600; }
.ll-range { width: 100%; accent-color: #0072B2; height: 1.6rem; cursor: pointer; }
.ll-range:focus-visible { outline: 3px solid #0072B2; outline-offset: 3px; }
.ll-ticks { grid-column: 2; font-size: .85rem; color: #4a4a4a; }
.ll-actions { display: flex; justify-content: flex-end; }
.ll-png { font: inherit; font-size: .9rem; padding: .25rem .75rem; border: 1px solid #c8c8c8;
  border-radius: .5rem; background: #fff; color: #262730; cursor: pointer; }
.ll-png:hover { border-color: #0072B2; color: #0072B2; }
.ll-png:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
.ll-teacher .ll-control label, .ll-teacher .ll-ticks, .ll-teacher .ll-png { font-size: 1rem; }`;

let plotlyLoading = null;
function loadPlotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!plotlyLoading) {
    plotlyLoading = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => { plotlyLoading = null; reject(new Error("plotly.js did not load")); };
      document.head.appendChild(s);
    });
  }
  return plotlyLoading;
}

function decode(v) {
  // Plotly.js's typed-array spec {dtype: "f4", bdata}: decoded once, when a figure arrives.
  if (!v || typeof v !== "object" || !v.bdata) return v;
  const bin = atob(v.bdata);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

function decodeTrace(t) {
  const out = {};
  for (const [k, v] of Object.entries(t)) out[k] = decode(v);
  return out;
}

function build(root) {
  root.innerHTML = "";
  const wrap = document.createElement("div");
  wrap.className = "ll-chart";
  const plot = document.createElement("div");
  plot.className = "ll-plot";
  plot.setAttribute("role", "img");
  const control = document.createElement("div");
  control.className = "ll-control";
  const label = document.createElement("label");
  const name = document.createElement("span");
  name.className = "ll-name";
  const out = document.createElement("output");
  out.className = "ll-value";
  const input = document.createElement("input");
  input.type = "range";
  input.className = "ll-range";
  label.append(name, out);
  const ticks = document.createElement("div");
  ticks.className = "ll-ticks";
  const png = document.createElement("button");
  png.type = "button";
  png.className = "ll-png";
  control.append(label, input, ticks);
  const actions = document.createElement("div");
  actions.className = "ll-actions";
  actions.append(png);
  wrap.append(plot, control, actions);
  root.append(wrap);
  const id = "ll-range-" + Math.random().toString(36).slice(2);
  input.id = id;
  label.htmlFor = id;
  return {wrap, plot, control, name, out, input, ticks, png};
}

function fmt(v, st) {
  // st.exp: the parameter prints as 5.00e-1 (a tiny eps) rather than 0.50
  return st.exp ? Number(v).toExponential(st.digits) : Number(v).toFixed(st.digits);
}

// The element's payload (ui/live_chart.py: _draw): the JSON of its data, then a newline and the figure's
// JSON text when this browser does not hold that figure yet.
function unpack(bytes) {
  const text = new TextDecoder().decode(bytes);
  const cut = text.indexOf("\n");
  const data = JSON.parse(cut < 0 ? text : text.slice(0, cut));
  data.fig = cut < 0 ? null : text.slice(cut + 1);
  return data;
}

export default function (component) {
  const {parentElement, setStateValue, setTriggerValue} = component;
  if (!component.data) return;
  const data = unpack(component.data);
  if (!document.getElementById("ll-chart-css")) {
    const style = document.createElement("style");
    style.id = "ll-chart-css";
    style.textContent = CSS;
    document.head.appendChild(style);
  }
  let el = parentElement.__llChart;
  if (!el || !parentElement.contains(el.wrap)) {
    el = parentElement.__llChart = build(parentElement);
    el.state = {figText: null, frames: [], values: [], index: -1, own: 0};
    el.input.addEventListener("input", () => showFrame(el, Number(el.input.value)));
    el.input.addEventListener("change", () => {
      const v = el.state.values[Number(el.input.value)];
      if (v !== undefined) setStateValue("value", v);  // commit: URL, worked example, inspector, CSV
    });
    // A figure sent with one frame (the committed value's) gets the others when the reader reaches for the
    // control: a pointer over it, a touch, or keyboard focus. Asked once per curve.
    const want = () => {
      const st = el.state;
      if (st.lazy && st.asked !== st.curveId) {
        st.asked = st.curveId;
        el.trigger("need_frames", st.curveId);
      }
    };
    for (const type of ["pointerenter", "pointerdown", "focusin"]) el.control.addEventListener(type, want);
    el.png.addEventListener("click", () => {
      if (window.Plotly) window.Plotly.downloadImage(el.plot, {format: "png", scale: 2,
        filename: el.state.png, width: el.plot.clientWidth, height: el.plot.clientHeight});
    });
  }
  const st = el.state;
  el.trigger = setTriggerValue;
  st.exp = !!data.exp;
  st.digits = data.digits;
  st.png = data.png;
  el.png.textContent = data.texts.png;
  el.plot.setAttribute("aria-label", data.alt || "");
  el.plot.style.height = data.height + "px";
  el.wrap.classList.toggle("ll-teacher", !!data.teacher);

  loadPlotly(data.plotly).then((Plotly) => {
    // The server sends the figure only when it differs from the one this chart was last sent (fig_id);
    // a chart that does not have it (it was remounted) asks for it once.
    if (!data.fig && data.fig_id !== st.figId) {
      setTriggerValue("need_fig", data.fig_id);
      return;
    }
    const figChanged = !!data.fig && data.fig_id !== st.figId;
    // The same curve with its frames now (they were asked for): the thumb stays under the hand.
    const sameCurve = figChanged && !!data.curve_id && data.curve_id === st.curveId;
    st.lazy = !!data.lazy;
    st.curveId = data.curve_id;
    if (figChanged) {
      st.figId = data.fig_id;
      const fig = JSON.parse(data.fig);
      st.fig = fig;
      // Frames stay encoded until first shown: a figure change then costs one JSON.parse, not ~60 decodes.
      const byValue = new Map((fig.frames || []).map((f) => [Number(f.name), {traces: f.traces, raw: f.data}]));
      const grid = data.grid && data.grid.length ? data.grid : [...byValue.keys()];
      st.values = [...new Set([...grid, ...byValue.keys()])].sort((a, b) => a - b);
      st.frames = st.values.map((v) => byValue.get(v) || null);  // null: not sent yet (a lazy figure)
      el.wrap.dataset.frames = String(byValue.size);  // how many frames the browser holds (tests read it)
      const traces = fig.data.map(decodeTrace);
      Plotly.react(el.plot, traces, fig.layout, {displayModeBar: false, responsive: true, locale: data.locale});
      // The figure's own traces are its first frame's curves (ui/curve_view.py): showing that frame next
      // would redraw the same figure (~40 ms of the browser's main thread).
      const first = fig.frames && fig.frames.length ? Number(fig.frames[0].name) : NaN;
      st.index = st.values.indexOf(first);
    }
    if (data.extra) insertFrame(st, data.extra);  // a committed value between two precomputed frames
    el.control.hidden = st.values.length === 0;
    if (st.values.length) {
      el.name.textContent = data.label + " = ";
      el.input.min = 0;
      el.input.max = st.values.length - 1;
      el.input.step = 1;
      el.input.setAttribute("aria-label", data.label);
      el.ticks.textContent = fmt(st.values[0], st) + " … " + fmt(st.values[st.values.length - 1], st);
      const k = nearest(st.values, data.value);
      // A rerun does not move the thumb under a hand that is dragging it.
      if (document.activeElement !== el.input || (figChanged && !sameCurve)) el.input.value = k;
      showFrame(el, Number(el.input.value));
    }
  });
}

function nearest(values, v) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (Math.abs(values[i] - v) < Math.abs(values[best] - v)) best = i;
  return best;
}

function insertFrame(st, extra) {
  if (st.values.some((v) => Math.abs(v - extra.value) < 1e-12)) return;
  let at = st.values.findIndex((v) => v > extra.value);
  if (at < 0) at = st.values.length;
  st.values.splice(at, 0, extra.value);
  st.frames.splice(at, 0, {traces: extra.traces, data: extra.data.map(decodeTrace)});
  st.index = -1;
}

// A frame that only moves curves (y) and guides (x, their labels) inside fixed axes: y axes have fixed
// ranges (ui/curve_skeleton.py sets them over every frame), and the x axis keeps its range when each moved
// guide stays strictly inside the span of the traces that do not move. Plotly.animate without a redraw then
// skips the relayout a restyle does (~40% of its time) and draws the same picture.
function animatable(gd, frame) {
  const moved = new Set(frame.traces);
  let lo = Infinity, hi = -Infinity;  // the x span of the visible traces this frame leaves alone
  gd._fullData.forEach((t, i) => {
    if (moved.has(i) && !frame.data[frame.traces.indexOf(i)].x) moved.delete(i);
    if (moved.has(i) || t.visible !== true || !t.x) return;
    for (const v of t.x) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  });
  return frame.data.every((t, j) => {
    const trace = gd._fullData[frame.traces[j]];
    if (!trace || !Object.keys(t).every((a) => a === "y" || a === "x" || a === "text")) return false;
    if (trace.visible !== true) return true;  // a hidden trace (the gradient's, unticked) moves no axis
    if (t.x && !Array.from(t.x).every((v) => v > lo && v < hi)) return false;
    const axis = gd._fullLayout["yaxis" + (trace.yaxis || "y").slice(1)];
    return !!axis && axis.autorange === false;
  });
}

function showFrame(el, k) {
  const st = el.state;
  const v = st.values[k];
  if (v === undefined) return;
  el.out.textContent = fmt(v, st);
  el.input.setAttribute("aria-valuetext", el.name.textContent + fmt(v, st));
  const frame = st.frames[k];
  if (k === st.index || !frame) return;  // no frame yet: the readout follows, the curve waits for them
  st.index = k;
  if (!frame.data) frame.data = frame.raw.map(decodeTrace);
  const gd = el.plot;
  if (animatable(gd, frame)) {
    // Only curves move, inside fixed axes: the lines are redrawn in place (~40% of a restyle's time).
    window.Plotly.animate(gd, {data: frame.data, traces: frame.traces},
      {transition: {duration: 0}, frame: {duration: 0, redraw: false}, mode: "immediate"});
    return;
  }
  // One restyle for every changed trace: each attribute is given for all of them (unchanged ones keep
  // their current arrays), so the browser lays the figure out once.
  const keys = new Set();
  frame.data.forEach((t) => Object.keys(t).forEach((a) => keys.add(a)));
  const update = {};
  keys.forEach((a) => {
    update[a] = frame.traces.map((ti, j) => (a in frame.data[j] ? frame.data[j][a] : gd.data[ti][a]));
  });
  window.Plotly.restyle(gd, update, frame.traces);
}
