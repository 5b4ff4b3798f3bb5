"""Predict, then reveal: a short quiz on every loss page, made from the spec's worked examples.

The user types a guess; torch computes the answer; the NumPy steps are shown with the step where the guess
most likely went wrong marked. The diagnoses are found by asking torch what the common mistakes would have
given (another reduction, a single element, the default hyperparameters, swapped arguments, a sibling loss,
another divisor for 'mean', the wrong log base, a sign error) and checking which one the guess matches.
Grading is pure (no Streamlit call); render_quiz() draws it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from losses import REGISTRY
from losses.errors import InputError
from losses.parse import format_tensor_text, parse_tensor_text
from losses.spec import LossSpec
from losses.text import M, Msg, has_text

REL_TOL = 0.01     # a guess within 1 % ...
ABS_TOL = 0.005    # ... or within 0.005 (a value rounded to two decimals) counts as right


def close(a, b) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or not np.all(np.isfinite(b)):
        return False
    return bool(np.all(np.abs(a - b) <= np.maximum(ABS_TOL, REL_TOL * np.abs(b))))


@dataclass(frozen=True)
class QuizQuestion:
    example_index: int
    title: dict
    inputs: dict            # argument -> text, as the worked example shows it
    params: dict            # every hyperparameter, resolved


@dataclass(frozen=True)
class Diagnosis:
    key: str
    msg: Msg                         # what the mistake was, in words only when shown (losses/text.py)
    reduction_step: bool = False     # the mistake is in the reduction step (the last step)

    def text(self, lang: str) -> str:
        return self.msg.text(lang)

    # The two shipped languages by name (tests read them).
    en = property(lambda self: self.text("en"))
    zh = property(lambda self: self.text("zh"))


@dataclass
class Grade:
    correct: bool
    answer: np.ndarray
    guess: np.ndarray
    error: float                      # largest |guess − answer|
    diagnoses: list[Diagnosis] = field(default_factory=list)


def questions(spec: LossSpec) -> list[QuizQuestion]:
    """Each worked example with its own hyperparameters, then with another reduction (predicting 'sum' from
    a shown 'mean' is the classic check). Ordered so that the first question is not the one the page shows
    by default. Examples torch rejects are skipped."""
    try:
        red = spec.param("reduction")
    except KeyError:
        red = None
    own, alt = [], []
    for i, ex in enumerate(spec.examples):
        inputs = {n: format_tensor_text(np.asarray(ex.inputs[n]).tolist()) for n in spec.arg_names}
        try:
            params = spec.resolve_params(ex.params)
        except InputError:
            continue
        own.append(QuizQuestion(i, ex.title, inputs, params))
        if red is not None:
            other = next((r for r in ("sum", "mean", "batchmean") if r in red.choices and r != params["reduction"]
                          and r != "none"), None)
            if other is not None:
                alt.append(QuizQuestion(i, ex.title, inputs, {**params, "reduction": other}))
    ordered = (alt[:1] + own[1:] + alt[1:] + own[:1]) if alt else own[1:] + own[:1]
    out = []
    for q in ordered:
        try:
            value = spec.evaluate(q.inputs, q.params)
        except InputError:
            continue
        if np.all(np.isfinite(value.detach().cpu().double().numpy())):
            out.append(q)
    return out


@lru_cache(maxsize=None)
def questions_for(slug: str) -> tuple[QuizQuestion, ...]:
    """questions() of a registered loss, computed once per process (they depend only on the spec, and the
    registry is fixed for the life of the process; an unregistered spec calls questions() itself)."""
    return tuple(questions(REGISTRY[slug]))


def parse_guess(text: str) -> np.ndarray:
    """A number, or a nested list for reduction='none'. Raises InputError (bilingual) on bad text."""
    return np.asarray(parse_tensor_text(text, "guess"), dtype=np.float64)


def _value(spec: LossSpec, inputs: dict, params: dict):
    try:
        return spec.evaluate(inputs, params).detach().cpu().double().numpy()
    except (InputError, KeyError, ValueError):
        return None


def _fmt(v) -> str:
    v = np.asarray(v)
    return f"{float(v):.6g}" if v.ndim == 0 else format_tensor_text(np.round(v, 6).tolist())


def _reduction_mistakes(spec: LossSpec, q: QuizQuestion, guess: np.ndarray, answer: np.ndarray, add) -> None:
    """Mistakes in the reduction step: another reduction, a single element, another divisor for 'mean'."""
    red = q.params.get("reduction")
    scalar = guess.ndim == 0 and answer.ndim == 0
    for r in spec.param("reduction").choices:
        if r == red:
            continue
        v = _value(spec, q.inputs, {**q.params, "reduction": r})
        if v is not None and v.shape == guess.shape and close(guess, v) and not close(v, answer):
            add("reduction", M("quiz.diagnosis.reduction", other=r, value=_fmt(v), red=red), True)
    none = _value(spec, q.inputs, {**q.params, "reduction": "none"}) \
        if "none" in spec.param("reduction").choices else None
    if scalar and none is not None and none.size > 1:
        for idx in range(none.size):
            if close(guess, none.ravel()[idx]):
                add("element", M("quiz.diagnosis.element", idx=idx, value=_fmt(none.ravel()[idx]), red=red,
                                 n=none.size), True)
                break
        if red in ("mean", "batchmean"):
            total = float(none.sum())
            shape0 = np.asarray(parse_tensor_text(q.inputs[spec.arg_names[0]])).shape
            for n in sorted({none.size, shape0[0] if shape0 else 1, int(np.prod(shape0)) if shape0 else 1}):
                if n > 0 and close(guess, total / n) and not close(total / n, answer):
                    add("divisor", M("quiz.diagnosis.divisor", total=total, n=n, red=red, answer=_fmt(answer),
                                     by=total / float(answer))
                        if float(answer) else M("quiz.diagnosis.divisor_plain", n=n), True)


def diagnose(spec: LossSpec, q: QuizQuestion, guess: np.ndarray, answer: np.ndarray) -> list[Diagnosis]:
    """Which common mistake reproduces the guess? Every candidate value is computed by torch."""
    found: list[Diagnosis] = []
    red = q.params.get("reduction")
    scalar = guess.ndim == 0 and answer.ndim == 0

    def add(key, msg, reduction_step=False):
        if all(d.key != key for d in found):
            found.append(Diagnosis(key, msg, reduction_step))

    if "reduction" in q.params:
        _reduction_mistakes(spec, q, guess, answer, add)
    defaults = spec.defaults()
    changed = {k: v for k, v in q.params.items() if k != "reduction" and v != defaults.get(k)}
    if changed:
        v = _value(spec, q.inputs, {**defaults, "reduction": red} if red else defaults)
        if v is not None and v.shape == guess.shape and close(guess, v) and not close(v, answer):
            names = ", ".join(f"`{k}`={q.params[k]!r}" for k in changed)
            add("defaults", M("quiz.diagnosis.defaults", value=_fmt(v), names=names))
    floats = [a for a in spec.arg_names if spec.arg_dtypes.get(a, "float") == "float"]
    if len(floats) >= 2:
        a, b = floats[:2]
        v = _value(spec, {**q.inputs, a: q.inputs[b], b: q.inputs[a]}, q.params)
        if v is not None and v.shape == guess.shape and close(guess, v) and not close(v, answer):
            add("swapped", M("quiz.diagnosis.swapped", a=a, b=b, value=_fmt(v)))
    for other in REGISTRY.values():
        if other.slug == spec.slug or other.family != spec.family or other.arg_names != spec.arg_names:
            continue
        shared = {k: v for k, v in q.params.items() if k in other.defaults()}
        v = _value(other, q.inputs, shared)
        if v is not None and v.shape == guess.shape and close(guess, v) and not close(v, answer):
            add(f"sibling:{other.slug}", M("quiz.diagnosis.sibling", other=other.title, value=_fmt(v), title=spec.title))
    if scalar and float(answer) != 0:
        for base, word in ((2.0, "log₂"), (10.0, "log₁₀")):
            v = float(answer) / math.log(base)
            if close(guess, v):
                add("log_base", M("quiz.diagnosis.log_base", base=word, value=v))
        if close(-guess, answer):
            add("sign", _sign_message(spec.slug, float(answer)))
    return found


def _sign_message(slug: str, answer: float) -> Msg:
    """The sign slip, explained by the true answer's sign: a negative answer is not a bug, say why it happens."""
    if answer > 0:
        return M("quiz_sign_positive", answer=_fmt(answer))
    why = f"quiz_negative_why_{slug}" if has_text(f"quiz_negative_why_{slug}") else "quiz_negative_why"
    return M("quiz_sign_negative", answer=_fmt(answer), why=M(why))


def grade(spec: LossSpec, q: QuizQuestion, guess_text: str, device: str = "cpu") -> Grade:
    """torch computes the answer; the guess is right within REL_TOL or ABS_TOL (elementwise for 'none')."""
    guess = parse_guess(guess_text)
    answer = spec.evaluate(q.inputs, q.params, device=device).detach().cpu().double().numpy()
    if guess.shape != answer.shape:
        if guess.size == answer.size:
            guess = guess.reshape(answer.shape)
        else:
            raise InputError("quiz.answer.shape_scalar" if answer.ndim == 0 else "quiz.answer.shape_list",
                             shape=str(tuple(answer.shape)))
    correct = close(guess, answer)
    error = float(np.max(np.abs(guess - answer))) if answer.size else 0.0
    return Grade(correct, answer, guess, error, [] if correct else diagnose(spec, q, guess, answer))


# ---- the widget -------------------------------------------------------------------------------------------
def render_quiz(spec: LossSpec, device: str, lang: str) -> bool:
    """Called by ui/loss_page.py before the worked example's results. Returns True while the quiz is open
    and its question not yet revealed: the page then keeps the numbers that would answer it hidden."""
    import streamlit as st

    from .glossary import glossary_link, terms_for
    from .i18n import t, tr
    from .url_state import publish, seed
    from .widgets import show_error

    qs = questions_for(spec.slug) if REGISTRY.get(spec.slug) is spec else questions(spec)
    terms = terms_for(spec.slug)
    if terms:
        st.caption(t("course_glossary_terms") + " " + " · ".join(glossary_link(term, lang) for term in terms))
    if not qs:
        return False
    key = f"{spec.slug}.quiz"
    box = st.expander(t("course_quiz_title"), expanded=st.session_state.get(f"{key}.revealed") is not None,
                      key=f"{key}.open", on_change="rerun")
    if not box.open:
        # Lazy: a closed quiz sends nothing but its header (its question list and form cost ~10 elements on
        # every rerun); the chosen question comes back from the URL when it is opened again.
        return False
    with box:
        st.caption(t("course_quiz_help", pct=int(REL_TOL * 100), tol=ABS_TOL))
        seed(key, range(len(qs)))
        idx = st.selectbox(t("course_quiz_question"), range(len(qs)), key=key,
                           format_func=lambda i, lang=lang: t("course_quiz_label", n=i + 1, title=tr(qs[i].title, lang),
                                                   reduction=qs[i].params.get("reduction", "—"), lang=lang))
        publish(key, idx, 0)
        q = qs[idx]
        st.markdown(t("course_quiz_prompt"))
        st.code(spec.code(q.inputs, q.params), language="python")
        with st.form(f"{key}.form", clear_on_submit=False, border=False):
            guess_text = st.text_input(t("course_quiz_guess"), key=f"{key}.guess",
                                       placeholder=t("course_quiz_placeholder"))
            if st.form_submit_button(t("course_quiz_reveal"), type="primary"):
                st.session_state[f"{key}.revealed"] = idx
        if st.session_state.get(f"{key}.revealed") != idx:
            return bool(box.open)
        return _reveal(spec, q, guess_text, device, lang)


def _reveal(spec: LossSpec, q: QuizQuestion, guess_text: str, device: str, lang: str) -> bool:
    """The revealed question: torch's answer, right or wrong, the diagnoses, and the NumPy steps with the step
    where the guess most likely went wrong marked."""
    import streamlit as st

    from .i18n import t
    from .widgets import show_error

    try:
        result = grade(spec, q, guess_text, device=device)
        value, steps = spec.reference(q.inputs, q.params)
    except InputError as err:
        show_error(err)
        return False
    st.markdown(f"**{t('torch_result')}**: `{_fmt(result.answer)}`")
    if result.correct:
        st.success(t("course_quiz_right", guess=_fmt(result.guess)))
    else:
        st.error(t("course_quiz_wrong", guess=_fmt(result.guess), answer=_fmt(result.answer), err=result.error))
        for d in result.diagnoses:
            st.warning(d.text(lang))
        if not result.diagnoses:
            st.info(t("course_quiz_no_diagnosis"))
    flag_reduction = any(d.reduction_step for d in result.diagnoses)
    st.markdown(f"**{t('numpy_steps')}**")
    for i, step in enumerate(steps, start=1):
        is_reduction = step.text("en").startswith("reduction=")
        text = f"{i}. {step.text(lang)}"
        if flag_reduction and is_reduction:
            st.error(f"{text}  ← {t('course_quiz_here')}", icon=":material/arrow_forward:")
        else:
            st.markdown(text)
        if step.latex:
            st.latex(step.latex)
    return False
