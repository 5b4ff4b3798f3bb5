"""Predict, then reveal, for the page "Where losses come from": the reader picks an answer before the page
shows it, then torch's numbers say who was right. (ui/quiz.py grades typed numbers against a loss spec's
worked examples; these questions are about where a loss comes from, so they are multiple choice.)"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import fragment


@dataclass(frozen=True)
class Prediction:
    key: str                    # widget keys: <key>.guess, <key>.reveal; strings: origins_quiz_<name>_*
    name: str
    options: tuple[str, ...]
    answer: str                 # the option torch's numbers make right
    facts: dict                 # numbers for the explanation's placeholders


def is_right(prediction: Prediction, guess: str | None) -> bool | None:
    """None: no guess yet (the reveal asks for one first)."""
    return None if guess is None else guess == prediction.answer


@fragment
def render_prediction(prediction: Prediction) -> None:
    """A fragment: a guess or the reveal button reruns the quiz alone (its facts come from fixed inputs)."""
    import streamlit as st

    from .i18n import current_lang, t
    prefix = f"origins_quiz_{prediction.name}"
    with st.container(border=True):
        st.markdown(f"**{t('origins_quiz_title')}** · {t(prefix + '_question', **prediction.facts)}")
        guess = st.radio(t("origins_quiz_your_guess"), prediction.options, index=None, key=f"{prediction.key}.guess",
                         format_func=lambda o, lang=current_lang(): t(f"{prefix}_{o}", lang))
        revealed = f"{prediction.key}.revealed"
        if st.button(t("origins_quiz_reveal"), key=f"{prediction.key}.reveal", type="primary"):
            st.session_state[revealed] = True
        if not st.session_state.get(revealed):
            return
        right = is_right(prediction, guess)
        if right is None:
            st.info(t("origins_quiz_pick_first"))
            return
        answer = t(f"{prefix}_{prediction.answer}")
        (st.success if right else st.error)(t("origins_quiz_right" if right else "origins_quiz_wrong", answer=answer))
        st.markdown(t(f"{prefix}_why", **prediction.facts))
