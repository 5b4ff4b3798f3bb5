"""CSS that every page gets (teacher mode adds its own, in ui/teacher.py)."""
from __future__ import annotations

# Every page: text blocks (markdown with KaTeX, code, tables) that are off screen skip layout and paint
# until scrolled to. A rerun replaces every element, and each Plotly redraw forces a synchronous layout
# of the whole document: on the Huber page this cut the time from a widget move to the redrawn plot
# from ~500 to ~370 ms (measured alone, before the other changes of issue 9). "auto" in
# contain-intrinsic-size keeps the last rendered height, so the page does not jump. Plots are not in the
# list: Plotly measures text while it draws.
BASE_CSS = """
<style>
/* Anything scrolled to (a #section link, a focused control) lands below the fixed top bar, not under it. */
[data-testid="stMain"] { scroll-padding-top: 4.5rem; }
[data-testid="stMain"] :target { scroll-margin-top: 4.5rem; }
[data-testid="stMain"] [data-testid="stMarkdown"], [data-testid="stMain"] [data-testid="stCode"],
[data-testid="stMain"] [data-testid="stTable"] {
  content-visibility: auto; contain-intrinsic-size: auto 80px; }
</style>
"""


def language_css(lang: str) -> str:
    """What Streamlit and Plotly write in English only, on a page in another language: the hints under a
    text field are replaced by ours (same meaning, the reader's language), and Plotly's toolbar, whose
    tooltips are English, is hidden (the main plot has its own translated PNG button)."""
    if lang == "en":
        return ""
    from .i18n import t

    def css_text(key: str) -> str:
        return t(key, lang).replace("\\", "").replace('"', "")
    return f"""<style>
[data-testid="InputInstructions"] {{ font-size: 0 !important; }}
[data-testid="stTextArea"] [data-testid="InputInstructions"]::after {{ content: "{css_text('input_instructions')}"; font-size: 0.75rem; }}
[data-testid="stTextInput"] [data-testid="InputInstructions"]::after {{ content: "{css_text('input_instructions_line')}"; font-size: 0.75rem; }}
.js-plotly-plot .modebar-container {{ display: none !important; }}
</style>"""


def apply_base_style(lang: str = "en") -> None:
    import streamlit as st
    st.html(BASE_CSS + language_css(lang))
