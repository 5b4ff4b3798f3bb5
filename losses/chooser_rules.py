"""When the chooser (losses/chooser.py) recommends each loss: its rules, by slug, until the family modules carry
them on their specs (LossSpec.chooser). Words by key in content/<lang>/messages/chooser.toml:
rule.<id>.reason and rule.<id>.alternative.<slug>."""
from __future__ import annotations

from .spec import ChooserRule
from .text import M


def rule(rid: str, when: dict, settings: str, alternatives: tuple = (), *, rank: int = 0, addenda: tuple = (),
         reason: str = "") -> ChooserRule:
    """A rule whose words are under rule.<rid> (its reason may be another rule's: `reason`)."""
    return ChooserRule(tuple(when.items()), M(f"chooser.rule.{reason or rid}.reason"), settings,
                       tuple((slug, M(f"chooser.rule.{rid}.alternative.{slug}")) for slug in alternatives),
                       addenda, rank)


def _addendum(question: str, answer: str, name: str) -> tuple:
    return (question, answer, M(f"chooser.addendum.{name}"))


_NO_SOFTMAX = _addendum("output", "probabilities", "remove_softmax")

# Ties between two rules that both hold (as many conditions) go to the higher rank.
RULES: dict[str, tuple[ChooserRule, ...]] = {
    "gaussian_nll": (rule("gaussian_nll", {"task": "regression", "uncertainty": "yes"},
                          "nn.GaussianNLLLoss()(mean, target, var)", ("mse",), rank=1),),
    "huber": (rule("huber", {"task": "regression", "outliers": "yes"}, "nn.HuberLoss(delta=1.0)",
                   ("smooth_l1", "l1")),),
    "mse": (rule("mse", {"task": "regression"}, "nn.MSELoss()", ("huber",)),),
    "soft_margin": (rule("soft_margin", {"task": "binary", "labels": "pm1", "output": "logits"}, "nn.SoftMarginLoss()",
                         ("binary_cross_entropy_with_logits",)),),
    "binary_cross_entropy": (rule("binary_cross_entropy", {"task": "binary", "output": "probabilities"}, "nn.BCELoss()",
                                  ("binary_cross_entropy_with_logits",), rank=1),),
    "focal": (rule("focal", {"task": "binary", "imbalance": "yes"},
                   "torchvision.ops.sigmoid_focal_loss(logits, target, alpha=0.25, gamma=2.0, reduction='mean')",
                   ("binary_cross_entropy_with_logits",)),),
    "binary_cross_entropy_with_logits": (
        rule("binary_cross_entropy_with_logits", {"task": "binary"}, "nn.BCEWithLogitsLoss()",
             ("binary_cross_entropy",)),
        rule("multilabel_pos_weight", {"task": "multilabel", "imbalance": "yes"},
             "nn.BCEWithLogitsLoss(pos_weight=pos_weight)", ("focal",)),
    ),
    "nll": (rule("nll", {"task": "multiclass", "output": "log_probabilities"}, "nn.NLLLoss()", ("cross_entropy",),
                 rank=1),),
    "cross_entropy": (
        rule("cross_entropy_weighted", {"task": "multiclass", "imbalance": "yes"},
             "nn.CrossEntropyLoss(weight=class_weights)",
             ("focal", "multi_margin"), reason="cross_entropy",
             addenda=(_NO_SOFTMAX, _addendum("imbalance", "yes", "class_weight"))),
        rule("cross_entropy", {"task": "multiclass"}, "nn.CrossEntropyLoss()", ("nll", "multi_margin"),
             addenda=(_NO_SOFTMAX,)),
        rule("cross_entropy_per_step", {"task": "sequence", "aligned": "yes"},
             "nn.CrossEntropyLoss()(logits_NCT, labels_NT)",
             ("ctc",)),
    ),
    "multilabel_soft_margin": (rule("multilabel_soft_margin", {"task": "multilabel"}, "nn.MultiLabelSoftMarginLoss()",
                                    ("binary_cross_entropy_with_logits", "multilabel_margin")),),
    "kl_div": (rule("kl_div", {"task": "distribution"}, "nn.KLDivLoss(reduction='batchmean')(log_probs, target_probs)",
                    ("cross_entropy",)),),
    "poisson_nll": (rule("poisson_nll", {"task": "counts"}, "nn.PoissonNLLLoss(log_input=True)", ("mse",)),),
    "triplet_margin": (rule("triplet_margin", {"task": "embedding", "pairs": "triplets", "distance": "euclidean"},
                            "nn.TripletMarginLoss(margin=1.0, p=2)", ("triplet_margin_with_distance",)),),
    "triplet_margin_with_distance": (rule(
        "triplet_margin_with_distance", {"task": "embedding", "pairs": "triplets"},
        "nn.TripletMarginWithDistanceLoss(distance_function=lambda a, b: 1 - F.cosine_similarity(a, b))",
        ("triplet_margin",), rank=1),),
    "cosine_embedding": (rule("cosine_embedding", {"task": "embedding", "distance": "cosine"},
                              "nn.CosineEmbeddingLoss(margin=0.0)", ("hinge_embedding",)),),
    "hinge_embedding": (rule("hinge_embedding", {"task": "embedding"},
                             "nn.HingeEmbeddingLoss(margin=1.0)(torch.pairwise_distance(x1, x2), y)",
                             ("cosine_embedding", "triplet_margin")),),
    "margin_ranking": (rule("margin_ranking", {"task": "ranking"}, "nn.MarginRankingLoss(margin=0.0)"),),
    "ctc": (rule("ctc", {"task": "sequence"},
                 "nn.CTCLoss(blank=0, zero_infinity=True)(log_probs_TNC, targets, input_lengths, target_lengths)",
                 ("cross_entropy",)),),
}
