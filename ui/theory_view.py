"""Everything the theory page shows for one setting, computed once and shared by every rerun and session.

A widget rerun of the page then only looks these up and sends them: figures as ready dicts (PrebuiltFigure,
presented for teacher mode before caching), the table as an Arrow table (pandas -> Arrow is the costly part
of st.table), texts already formatted. Keyed by plain tuples of floats and strings, in functools.lru_cache:
hashing them is cheap, unlike st.cache_data's argument hashing. Results are shared: never mutate them.
"""
from __future__ import annotations

import math
from functools import lru_cache
from types import MappingProxyType

import numpy as np

from losses import theory as th

from . import theory_figures as tf
from .figures import PrebuiltFigure
from .i18n import t
from .teacher import columns_csv, present

QUANTITIES = (("H_p", "H(p)"), ("H_q", "H(q)"), ("H_pq", "H(p, q)"), ("H_qp", "H(q, p)"),
              ("KL_pq", "KL(p‖q)"), ("KL_qp", "KL(q‖p)"))


def fmt(v: float) -> str:
    return "∞" if math.isinf(v) else f"{v:.4f}"


def nums(values) -> str:
    """A short list of numbers for a plot's text alternative: 0.5, 0.25, 0.25."""
    return ", ".join("∞" if math.isinf(v) else f"{v:.3g}" for v in np.asarray(values, dtype=float))


@lru_cache(maxsize=1)
def _template_json() -> dict:
    from ui.figures import chart_template
    return chart_template().to_plotly_json()


def _ready(fig, teacher: bool) -> PrebuiltFigure:
    spec = present(fig, teacher).to_dict()
    if spec["layout"].get("template") == _template_json():  # one shared copy: ~70 kB a figure, hundreds cached
        spec["layout"]["template"] = _template_json()
    return PrebuiltFigure(spec)  # skips go.Figure's construction (ui/figures.py)


@lru_cache(maxsize=256)
def distributions(p: tuple, q: tuple, unit: str, lang: str, teacher: bool) -> MappingProxyType:
    """Section 2: the bars of p and q, their CSV, and −log p."""
    base, ulabel = th.LOG_BASES[unit], t(f"course_unit_{unit}_short", lang)
    k = len(p)
    labels = {"p": t("course_theory_p_short", lang), "q": t("course_theory_q_short", lang), "base": base,
              "unit": ulabel, "prob": t("course_theory_prob", lang), "outcome": t("course_theory_outcome", lang),
              "info": t("course_theory_info", lang, unit=ulabel), "curve": "−log p"}
    csv = columns_csv({"outcome": np.arange(1, k + 1), "p": p, "q": q, f"-log p ({unit})": th.information(p, base),
                       f"-log q ({unit})": th.information(q, base)})
    return MappingProxyType({
        "dist": _ready(tf.distributions_figure(p, q, labels), teacher), "csv": csv,
        "dist_alt": t("alt_theory_dist", lang, k=k, p=nums(p), q=nums(q)),
        "info": _ready(tf.information_figure(p, labels), teacher),
        "info_alt": t("alt_theory_info", lang, unit=ulabel, values=nums(th.information(p, base))),
    })


@lru_cache(maxsize=256)
def values(p: tuple, q: tuple, unit: str) -> tuple[MappingProxyType, MappingProxyType]:
    """H, cross-entropy and KL by NumPy and by torch."""
    base = th.LOG_BASES[unit]
    return MappingProxyType(th.numpy_values(p, q, base)), MappingProxyType(th.torch_values(p, q, base))


def _table(npv, tv, lang: str):
    import pandas as pd
    import pyarrow as pa
    rows = [{t("course_theory_quantity", lang): name, "NumPy": fmt(npv[key]), "torch": fmt(tv[key])}
            for key, name in QUANTITIES]
    return pa.Table.from_pandas(pd.DataFrame(rows))  # what st.table made of the rows, index included


@lru_cache(maxsize=256)
def identity(p: tuple, q: tuple, unit: str, lang: str, teacher: bool) -> MappingProxyType:
    """Section 3: the table, the identity H(p) + KL(p‖q) = H(p, q) checked in NumPy and torch, the code."""
    npv, tv = values(p, q, unit)
    out = {"table": _table(npv, tv, lang), "inf": math.isinf(npv["H_pq"]), "code": snippet(p, q)}
    if not out["inf"]:
        lhs = npv["H_p"] + npv["KL_pq"]
        ok = math.isclose(lhs, npv["H_pq"], rel_tol=1e-9, abs_tol=1e-12) and \
            math.isclose(tv["H_p"] + tv["KL_pq"], tv["H_pq"], rel_tol=1e-6, abs_tol=1e-9)
        rel = "=" if ok else r"\neq"
        ulabel = t(f"course_unit_{unit}_short", lang)
        fig = tf.identity_figure(npv, {"pq": "H(p, q)", "sum": "H(p) + KL(p‖q)", "hp": "H(p)", "kl": "KL(p‖q)",
                                       "unit": ulabel})
        out.update(ok=ok, fig=_ready(fig, teacher),
                   latex=rf"H(p) + \mathrm{{KL}}(p\,\|\,q) = {npv['H_p']:.4f} + {npv['KL_pq']:.4f} = {lhs:.4f}"
                         rf"\;{rel}\; H(p, q) = {npv['H_pq']:.4f}\ \text{{{unit}}}",
                   alt=t("alt_theory_identity", lang, pq=fmt(npv["H_pq"]), unit=ulabel, hp=fmt(npv["H_p"]),
                         kl=fmt(npv["KL_pq"])))
    return MappingProxyType(out)


@lru_cache(maxsize=512)
def likelihood(p: tuple, q: tuple, n: int, unit: str, lang: str, teacher: bool) -> MappingProxyType:
    """Section 4: a data set of n draws from p, its negative log-likelihood under q, H(p̂, q_t) along q -> p̂."""
    base, ulabel = th.LOG_BASES[unit], t(f"course_unit_{unit}_short", lang)
    counts = th.counts_from(p, n)
    labels = th.labels_from_counts(counts)
    p_hat = counts / counts.sum()
    nll_np, nll_t = th.dataset_nll(labels, q), th.dataset_nll_torch(labels, q)
    ce_nats = th.cross_entropy(p_hat, q, math.e)
    fig = tf.likelihood_figure(p_hat, q, {"base": base, "unit": ulabel, "ce": "H(p̂, q_t)", "hp": "H(p̂)",
                                          "t": t("course_theory_t", lang)})
    return MappingProxyType({
        "counts": t("course_theory_counts", lang, counts=", ".join(f"x{i + 1}: {c}" for i, c in enumerate(counts))),
        "nll": t("course_theory_nll", lang, nll=fmt(nll_np), nll_t=fmt(nll_t), n=n, ce=fmt(ce_nats),
                 nce=fmt(n * ce_nats)),
        "fig": _ready(fig, teacher),
        "alt": t("alt_theory_likelihood", lang, n=n, start=fmt(th.cross_entropy(p_hat, q, base)),
                 end=fmt(th.entropy(p_hat, base)), unit=ulabel),
    })


@lru_cache(maxsize=256)
def kl_terms(p: tuple, q: tuple, unit: str, lang: str, teacher: bool) -> MappingProxyType:
    """Section 5: KL(p‖q) and KL(q‖p) term by term."""
    npv, _ = values(p, q, unit)
    ulabel = t(f"course_unit_{unit}_short", lang)
    fig = tf.kl_terms_figure(p, q, {"pq": "p·log(p/q)  [KL(p‖q)]", "qp": "q·log(q/p)  [KL(q‖p)]",
                                    "base": th.LOG_BASES[unit], "term": t("course_theory_term", lang, unit=ulabel)})
    return MappingProxyType({
        "text": t("course_theory_kl_values", lang, pq=fmt(npv["KL_pq"]), qp=fmt(npv["KL_qp"]), unit=ulabel),
        "fig": _ready(fig, teacher),
        "alt": t("alt_theory_kl", lang, pq=fmt(npv["KL_pq"]), qp=fmt(npv["KL_qp"]), unit=ulabel),
    })


@lru_cache(maxsize=4)
def convexity(lang: str) -> tuple[str, str, str]:
    """Section 6: a fixed counterexample and second derivatives (they depend on nothing on the page)."""
    ce = th.convexity_counterexample()
    h = th.second_derivative("mse_prob", [-3.0, 0.0, 2.0])
    hce = th.second_derivative("ce", [-3.0, 0.0, 2.0])
    return (t("course_theory_convex", lang, la=f"{ce['L_a']:.4f}", lb=f"{ce['L_b']:.4f}", lm=f"{ce['L_mid']:.4f}",
              bound=f"{ce['convex_bound']:.4f}"),
            t("course_theory_convex2", lang, m1=f"{h[0]:.4f}", m2=f"{h[1]:.4f}", m3=f"{h[2]:.4f}",
              c1=f"{hce[0]:.4f}", c2=f"{hce[1]:.4f}", c3=f"{hce[2]:.4f}"),
            t("course_theory_corrections", lang))


def snippet(p, q) -> str:
    fp = ", ".join(f"{v:.4f}" for v in p)
    fq = ", ".join(f"{v:.4f}" for v in q)
    return "\n".join([
        "import torch",
        "import torch.nn.functional as F",
        "from torch.distributions import Categorical",
        "",
        f"p = torch.tensor([{fp}], dtype=torch.float64)",
        f"q = torch.tensor([{fq}], dtype=torch.float64)",
        "H_p = Categorical(probs=p).entropy()                       # nats; divide by log(2) for bits",
        "H_pq = F.cross_entropy(q.log()[None], p[None])              # logits log q, probability target p",
        "KL_pq = F.kl_div(q.log(), p, reduction='sum')               # kl_div(input, target) = KL(target‖input)",
        "print(H_p + KL_pq, H_pq)                                    # equal",
    ])
