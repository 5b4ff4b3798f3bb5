"""The page "Where losses come from" (/origins): three parts, one shown at a time (?origins.part=…), each in
its own fragment so that its sliders rerun that part only. The part selector reruns a fragment too (never
the whole app); inside a part, the sliders rerun the live section only, the quiz reruns itself only.

    nll          losses as negative log-likelihoods          ui/origins_nll.py
    surrogates   convex surrogates of the 0-1 loss           ui/origins_surrogates.py
    landscapes   loss surfaces over (w, b), gradient descent ui/origins_landscape.py
"""
from __future__ import annotations

import streamlit as st

from .errors import fragment
from .i18n import current_lang, t
from .url_state import publish, seed

PARTS = ("nll", "surrogates", "landscapes")
PART_KEY = "origins.part"


def _next_part(part: str) -> None:
    """A button to the next part (the last part goes back to the first)."""
    following = PARTS[(PARTS.index(part) + 1) % len(PARTS)]

    def go():
        st.session_state[PART_KEY] = following
    st.button(t("origins_next", part=t(f"origins_part_{following}")), key=f"origins.next.{part}", on_click=go,
              icon=":material/arrow_forward:")


def render_origins() -> None:
    st.title(t("page_origins"))
    st.markdown(t("origins_intro"))
    _parts()


@fragment
def _parts() -> None:
    from .origins_landscape import render_landscapes
    from .origins_nll import render_nll
    from .origins_surrogates import render_surrogates
    seed(PART_KEY, PARTS)
    if st.session_state.get(PART_KEY) not in PARTS:
        st.session_state[PART_KEY] = PARTS[0]
    part = st.segmented_control(t("origins_choose_part"), PARTS, key=PART_KEY, required=True,
                                format_func=lambda p, lang=current_lang(): t(f"origins_part_{p}", lang))
    part = part if part in PARTS else PARTS[0]
    publish(PART_KEY, part, PARTS[0])
    {"nll": render_nll, "surrogates": render_surrogates, "landscapes": render_landscapes}[part]()
    st.divider()
    _next_part(part)
