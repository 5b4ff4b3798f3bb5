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
""" + """
<style>
/* WCAG 2.1 AA (issue 20). Grey captions: Streamlit draws them as body text at 60 % opacity, #828180 on
   white, 3.9:1; small text needs 4.5:1. #6b6a68, opaque, is 5.3:1 and still lighter than body text.
   Links in captions take the palette's blue (5.2:1). */
[data-testid="stCaptionContainer"] { color: #6b6a68; opacity: 1; }
[data-testid="stCaptionContainer"] a { color: #0072B2; }
/* Focus is always visible (2.4.7), also where Streamlit's theme removes the outline. */
[data-testid="stApp"] :is(a, button, summary, [role="slider"], [tabindex="0"], input[type="range"]):focus-visible { outline: 3px solid #0072B2 !important; outline-offset: 2px; }
/* The sidebar navigation (ui/nav.py, ui/nav.js): compact, one heading and list per section; the links look
   as st.page_link's did (14px text, 26.4px apart, 8px radius, the current page shaded and bold). */
.ll-nav h2.ll-nav-heading { font-size: 0.875rem; font-weight: 600; line-height: 1.4; margin: 0.9rem 0 0.2rem;
  padding: 0 0.5rem; color: #31333f; }
.ll-nav ul { list-style: none; margin: 0; padding: 0; }
.ll-nav li { margin: 0; padding: 0; }
.ll-nav a { display: block; margin: 0; padding: 2px 0.5rem; border-radius: 0.5rem; font-size: 0.875rem;
  line-height: 22.4px; color: rgb(47, 45, 43); text-decoration: none; }
.ll-nav a:hover { background: rgba(169, 169, 162, 0.15); }
.ll-nav a[aria-current="page"] { background: rgba(169, 169, 162, 0.15); font-weight: 600; }
.ll-nav a:focus-visible { outline: 2px solid #1c83e1; outline-offset: -2px; }
/* A collapsed sidebar (a phone, teacher mode) is moved off screen; hidden, its ~30 links leave the tab order. */
[data-testid="stSidebar"][data-collapsed="true"] { visibility: hidden; }
/* The repairs component draws nothing. */
.st-key-ll-a11y { display: none; }
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
