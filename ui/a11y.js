// Accessibility repairs that Streamlit's own markup needs, applied in the page (ui/a11y.py):
//  - Streamlit's "skip to content" link (the sidebar holds ~30 links before the page) in the reader's language;
//  - the sidebar's navigation (ui/nav.js): the page shown is marked aria-current;
//  - where Streamlit's own sectioned navigation shows (teacher mode: the top bar, which folds into the
//    sidebar on a narrow screen), its <li>s sit in <div>s, outside any list: list semantics are removed;
//  - a region that scrolls (a wide formula, a table on a phone) but holds nothing focusable gets
//    tabindex=0, so a keyboard can scroll it (WCAG 2.1.1; axe-core's scrollable-region-focusable).
// Work is batched after the DOM settles; Plotly's own redraws (the live chart's slider) are ignored.
const SCROLLERS = '[data-testid="stMain"] :is(.katex-display, pre, table, [data-testid="stTable"] div, ' +
  '[data-testid="stMarkdownContainer"] > div)';
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
let labels = {};
let timer = null;

function scrolls(el) {
  if (el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1) return false;
  const s = getComputedStyle(el);
  return /auto|scroll/.test(s.overflowX + " " + s.overflowY);
}

function markScrollers() {
  for (const el of document.querySelectorAll(SCROLLERS)) {
    if (el.dataset.llScroll) { el.setAttribute("aria-label", labels.scroll); continue; }
    if (!scrolls(el) || el.querySelector(FOCUSABLE)) continue;
    el.tabIndex = 0;
    el.setAttribute("role", "group");
    el.setAttribute("aria-label", labels.scroll);
    el.dataset.llScroll = "1";
  }
}

function markNavigation() {
  // The sidebar's <nav> (ui/nav.js): the page shown is the current one, after every render and page switch.
  const here = location.pathname.split("/").pop();
  for (const a of document.querySelectorAll(".ll-nav a[data-page]")) {
    if (a.dataset.page === here) { if (!a.hasAttribute("aria-current")) a.setAttribute("aria-current", "page"); }
    else if (a.hasAttribute("aria-current")) a.removeAttribute("aria-current");
  }
}

function repairStreamlitNav() {
  for (const ul of document.querySelectorAll('ul[data-testid="stSidebarNavItems"]')) {
    if ([...ul.children].every((c) => c.tagName === "LI")) continue;  // a well-formed list stays one
    ul.setAttribute("role", "none");
    for (const li of ul.querySelectorAll("li")) li.setAttribute("role", "none");
  }
}

function skipLink() {
  // Streamlit's own skip link (first in the tab order, to #stMain) says "Skip to main content" in English.
  // Its text is constant in React, so a rerender leaves ours; only a change is written (a new text node is
  // a mutation, which would schedule this repair again).
  const link = document.querySelector('[data-testid="stSkipToContent"]');
  if (link && link.textContent !== labels.skip) link.textContent = labels.skip;
}

let resized = null;

function repair() {
  timer = null;
  // A region can start to scroll with no element added: the main column narrows when the sidebar folds on
  // a phone, or a web font widens a formula. Its size changing schedules a repair too.
  const main = document.querySelector('[data-testid="stMain"]');
  if (main && resized !== main && window.ResizeObserver) {
    resized = main;
    new ResizeObserver(schedule).observe(main);
  }
  skipLink();
  markNavigation();
  repairStreamlitNav();
  markScrollers();
}

function schedule() {
  if (timer === null) timer = setTimeout(repair, 120);
}

function outsidePlots(records) {
  return records.some((r) => !(r.target.closest && r.target.closest(".js-plotly-plot")));
}

let observer = null;

export default function ({ data }) {
  labels = data || labels;
  if (!observer) {
    observer = new MutationObserver((records) => { if (outsidePlots(records)) schedule(); });
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener("resize", schedule);
    window.addEventListener("popstate", schedule);
    if (document.fonts) document.fonts.addEventListener("loadingdone", schedule);  // text widths change
    window.llA11yIdle = () => timer === null;  // tests wait for this before they measure
  }
  repair();
}
