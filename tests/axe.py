"""axe-core in headless Chromium (the pinned npm package in node_modules, installed by `make test`, never a
CDN): the WCAG 2.1 A/AA violations of the page as it stands."""
from __future__ import annotations

import pytest

from browser import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map(v => ({
  id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + '  ' + n.html.slice(0, 160))})))"""
A11Y_IDLE = "() => document.fonts.status === 'loaded' && window.llA11yIdle && window.llA11yIdle()"
# Every plot's text alternative: Streamlit's charts (alt=) and the live chart (role=img).
PLOT_NAMES = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart], .ll-plot')].map(
  e => (e.getAttribute('aria-label') || '').trim())"""


def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` (make test does)")
    return AXE.read_text(encoding="utf-8")


def violations(page) -> list:
    # ui/a11y.js has repaired the page as it stands, with its web fonts (formula widths) loaded. axe stays
    # loaded while the reader moves between pages by the sidebar (one document).
    page.wait_for_function(A11Y_IDLE, timeout=30_000)
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN_AXE, TAGS)


def report(found: list) -> str:
    return "\n".join(f"{v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found)
