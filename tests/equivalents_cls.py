"""Torch equivalents for the classification family, written from torch's / torchvision's documentation and
independently of losses/classification.py.

- cross_entropy: torch reads a float target as class probabilities and a long target as class indices. Typed
  tensors carry no dtype, so a target without the input's shape is given to torch as long.
- focal: not in torch.nn. torchvision.ops.sigmoid_focal_loss (torchvision/ops/focal_loss.py) computes
      p = sigmoid(x); ce = BCEWithLogits(x, y, 'none'); p_t = p*y + (1-p)*(1-y)
      loss = ce * (1 - p_t)**gamma;  if alpha >= 0: loss *= alpha*y + (1-alpha)*(1-y)
  then 'none' | 'mean' | 'sum'. torchvision is not installed here; this is that formula, with the BCE term
  written through logsigmoid instead of calling binary_cross_entropy_with_logits.
"""
import torch
import torch.nn.functional as F


def _cross_entropy(t, kw):
    target = t["target"]
    if target.shape != t["input"].shape:
        target = target.to(torch.long)
    return F.cross_entropy(t["input"], target, **kw)


def _sigmoid_focal_loss(t, kw):
    x, y = t["inputs"], t["targets"]
    ce = -(y * F.logsigmoid(x) + (1 - y) * F.logsigmoid(-x))
    p = torch.sigmoid(x)
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * (1 - p_t) ** kw["gamma"]
    if kw["alpha"] >= 0:
        loss = (kw["alpha"] * y + (1 - kw["alpha"]) * (1 - y)) * loss
    return {"none": lambda v: v, "mean": torch.mean, "sum": torch.sum}[kw["reduction"]](loss)


SPECIAL = {"cross_entropy": _cross_entropy, "focal": _sigmoid_focal_loss}
