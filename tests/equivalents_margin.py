"""TripletMarginWithDistanceLoss takes a callable; LossLab's spec exposes a `distance_function` choice.
This maps each choice to a callable written independently of losses/margin.py (nn modules, not F)."""
import torch
import torch.nn as nn


def _cosine_distance(x, y):
    return 1.0 - nn.CosineSimilarity(dim=-1)(x, y)


_DISTANCES = {
    "pairwise_l2": None,                    # torch's own default (pairwise_distance, p=2, eps=1e-6)
    "l1": nn.PairwiseDistance(p=1.0),       # eps=1e-6 added to the difference, like the default
    "cosine": _cosine_distance,
}


def _triplet_with_distance(tensors: dict, kwargs: dict) -> torch.Tensor:
    kw = dict(kwargs)
    loss = nn.TripletMarginWithDistanceLoss(distance_function=_DISTANCES[kw.pop("distance_function")], **kw)
    return loss(tensors["anchor"], tensors["positive"], tensors["negative"])


SPECIAL = {"triplet_margin_with_distance": _triplet_with_distance}
