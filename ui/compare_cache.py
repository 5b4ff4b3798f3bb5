"""The compare page's figures, built once per argument set and shared by every rerun and session.

Building the overlay figure (make_subplots, validation, template) cost ~30 ms of each rerun; a bundle holds
the ready figure (a PrebuiltFigure: st.plotly_chart serialises its dict as is), the curves themselves (for
the CSV, built only when the button is clicked) and which curves coincide.
"""
from __future__ import annotations

from typing import NamedTuple


from .figures import PrebuiltFigure
from .memo import shared


class Bundle(NamedTuple):
    fig: PrebuiltFigure
    entries: list          # (name, loss, grad[, x]): what the CSV is made of
    coinciding: list       # pairs of curve names that hide each other


def _prebuilt(fig, teacher: bool) -> PrebuiltFigure:
    from .teacher import present
    return PrebuiltFigure(present(fig, teacher).to_dict())


@shared(maxsize=256)
def family_bundle(slugs: tuple, items: tuple, lang: str, show_grad: bool, x_label: str, teacher: bool) -> Bundle:
    """items: ((slug, ((param, value), ...)), ...) as the sliders set them; labels in `lang`."""
    from .compare import coinciding, compare_figure, family_entries, labels
    entries = family_entries(list(slugs), {s: dict(p) for s, p in items}, lang)
    fig = compare_figure(entries[0][3], entries, labels(x_label, lang), show_grad)
    return Bundle(_prebuilt(fig, teacher), entries, coinciding(entries))


@shared(maxsize=256)
def margin_bundle(params: tuple, lang: str, show_grad: bool, teacher: bool) -> Bundle:
    """The "picking loss functions" preset: params ((key, value), ...) of the focal and hinge sliders."""
    from losses.theory import MARGIN_LOSSES

    from .compare import compare_figure, labels, margin_entries
    from .i18n import t
    names = {n: t(f"course_margin_{n}", lang) for n in MARGIN_LOSSES}
    x, entries = margin_entries(dict(params), names)
    fig = compare_figure(x, entries, labels(t("course_margin_axis", lang), lang), show_grad)
    return Bundle(_prebuilt(fig, teacher), [(n, loss, grad, x) for n, loss, grad in entries], [])
