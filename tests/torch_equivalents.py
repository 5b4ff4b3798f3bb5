"""What each loss must equal, written independently of the specs: the torch.nn.functional call
(or, for losses outside torch.nn, their reference implementation in torch)."""
from __future__ import annotations

import torch
import torch.nn.functional as F

# slug -> callable(tensors: dict, kwargs: dict) for losses whose torch function is not F.<slug>_loss
# with the spec's argument names (filled in by the families that need it, e.g. focal).
SPECIAL: dict = {}

FUNCTIONAL = {
    "l1": F.l1_loss, "mse": F.mse_loss, "smooth_l1": F.smooth_l1_loss, "huber": F.huber_loss,
}


def torch_value(spec, tensors: dict, kwargs: dict) -> torch.Tensor:
    if spec.slug in SPECIAL:
        return SPECIAL[spec.slug](tensors, kwargs)
    fn = FUNCTIONAL.get(spec.slug) or getattr(F, spec.functional)
    return fn(*(tensors[a] for a in spec.arg_names), **kwargs)
