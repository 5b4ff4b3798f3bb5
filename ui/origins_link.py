"""Links into /origins: from a loss page to the part that covers that loss (in the reader's language), and
a plain link for other pages. The loss page calls render_origins_link(slug)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/origins.py"
# slug -> the query string that opens its part (and, in part 1, its noise model; in part 3, its loss)
COVERED = {
    "mse": {"origins.part": "nll", "origins.nll.case": "gaussian"},
    "l1": {"origins.part": "nll", "origins.nll.case": "laplace"},
    "binary_cross_entropy": {"origins.part": "nll", "origins.nll.case": "bernoulli"},
    "cross_entropy": {"origins.part": "nll", "origins.nll.case": "categorical"},
    "nll": {"origins.part": "nll", "origins.nll.case": "categorical"},
    "poisson_nll": {"origins.part": "nll", "origins.nll.case": "poisson"},
    "gaussian_nll": {"origins.part": "nll", "origins.nll.case": "gaussian_var"},
    "multi_margin": {"origins.part": "surrogates"},
    "soft_margin": {"origins.part": "surrogates"},
    "hinge_embedding": {"origins.part": "surrogates"},
    "margin_ranking": {"origins.part": "surrogates"},
    "huber": {"origins.part": "landscapes", "origins.land.loss": "huber"},
    "binary_cross_entropy_with_logits": {"origins.part": "landscapes", "origins.land.loss": "bce"},
}


def origins_query(slug: str, lang: str) -> dict | None:
    """The query parameters of the link for this loss, or None when /origins does not cover it. Defaults
    (part 1, its first case) are left out, like the page itself leaves them out of its URL."""
    if slug not in COVERED:
        return None
    defaults = {"origins.part": "nll", "origins.nll.case": "gaussian", "origins.land.loss": "mse"}
    query = {k: v for k, v in COVERED[slug].items() if defaults.get(k) != v}
    return {"lang": lang, **query}


def render_origins_link(slug: str) -> bool:
    """An st.page_link to the part of /origins that covers this loss; nothing when it covers none, or when
    the page is not there. Returns whether a link was drawn."""
    import streamlit as st

    from .i18n import current_lang, t
    lang = current_lang()
    query = origins_query(slug, lang)
    if query is None or not (ROOT / PAGE).exists():
        return False
    part = t(f"origins_part_{COVERED[slug]['origins.part']}", lang)
    st.page_link(PAGE, label=t("origins_link", lang, part=part), icon=":material/account_tree:", query_params=query)
    return True


def render_origins_page_link(label: str) -> None:
    """A plain link to /origins in the reader's language (the chooser uses it)."""
    import streamlit as st

    from .i18n import current_lang
    if (ROOT / PAGE).exists():
        st.page_link(PAGE, label=label, icon=":material/account_tree:", query_params={"lang": current_lang()})
