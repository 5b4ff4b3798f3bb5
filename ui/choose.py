"""Which loss should I use? A few questions (losses/chooser.py decides), the answer with its reason and a
link to its page, and a typical task -> loss table with LossLab's corrections."""
from __future__ import annotations

import streamlit as st

from losses import REGISTRY
from losses.chooser import NOTES_TABLE, QUESTIONS, TORCH_NAMES, recommend, visible_questions

from .errors import fragment
from .glossary import has_page
from .i18n import current_lang, t, tr
from .url_state import publish, seed


def loss_link(slug: str, lang: str) -> str:
    """Markdown: a link to the loss page when that slug is registered, else torch's name in a code span."""
    if has_page(slug):
        return f"[{REGISTRY[slug].title}]({slug}?lang={lang})"
    return f"`{TORCH_NAMES.get(slug, slug)}`"


def render_choose() -> None:
    lang = current_lang()
    st.title(t("page_choose"))
    st.markdown(t("course_choose_intro"))
    from .origins_link import render_origins_page_link
    render_origins_page_link(t("origins_choose_link"))
    _questions(lang)
    _notes_table(lang)


@fragment
def _questions(lang: str) -> None:
    """The questions and the answer: a fragment, so an answer reruns this alone, not the app and the table."""
    answers: dict = {}
    left, right = st.columns([1, 1], gap="large")
    with left:
        for q in QUESTIONS:
            if not q.applies(answers):
                continue
            key = f"choose.{q.key}"
            seed(key, q.values)
            labels = dict(q.options)
            answers[q.key] = st.radio(tr(q.label), q.values, key=key, format_func=lambda v, labels=labels: tr(labels[v], lang),
                                      horizontal=q.key != "task")
            publish(key, answers[q.key], q.values[0])
    shown = {q.key for q in visible_questions(answers)}
    for q in QUESTIONS:  # answers of hidden questions must not linger in the link
        if q.key not in shown and f"choose.{q.key}" in st.query_params:
            del st.query_params[f"choose.{q.key}"]
    rec = recommend(answers)
    with right, st.container(border=True):
        st.subheader(t("course_choose_answer"))
        st.markdown(f"### `{REGISTRY[rec.slug].title if rec.slug in REGISTRY else rec.torch_name}`")
        if has_page(rec.slug):
            st.page_link(f"pages/{rec.slug}.py", label=t("course_choose_open"), icon=":material/arrow_forward:")
        else:
            st.caption(t("course_choose_no_page"))
        st.markdown(tr(rec.reason))
        if rec.settings:
            st.code(rec.settings, language="python")
        if rec.alternatives:
            st.markdown(f"**{t('course_choose_alternatives')}**")
            for alt in rec.alternatives:
                st.markdown(f"- {loss_link(alt.slug, lang)}: {tr(alt.why)}")


def _notes_table(lang: str) -> None:
    st.divider()
    st.subheader(t("course_choose_table"))
    st.markdown(t("course_choose_table_intro"))
    header = [t("course_choose_col_task"), t("course_choose_col_notes"), t("course_choose_col_why"),
              t("course_choose_col_ours"), t("course_choose_col_fix")]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in NOTES_TABLE:
        ours = recommend(row.answers)
        fix = tr(row.correction) or t("course_choose_ok")
        lines.append(f"| {tr(row.task)} | `{row.notes_loss}` | {tr(row.notes_reason)} | {loss_link(ours.slug, lang)} | "
                     f"{fix} |")
    st.markdown("\n".join(lines))
