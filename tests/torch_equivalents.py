"""What each loss must equal, written independently of the specs: the torch.nn.functional call, or,
for a loss outside torch.nn or whose arguments need translating, an entry in SPECIAL.

Families add their entries in tests/equivalents_<family>.py, as SPECIAL = {slug: fn(tensors, kwargs)}.
"""
from __future__ import annotations

import importlib
from pathlib import Path

import torch
import torch.nn.functional as F

SPECIAL: dict = {}
for _path in sorted(Path(__file__).parent.glob("equivalents_*.py")):
    SPECIAL.update(importlib.import_module(_path.stem).SPECIAL)


def torch_value(spec, tensors: dict, kwargs: dict) -> torch.Tensor:
    if spec.slug in SPECIAL:
        return SPECIAL[spec.slug](tensors, kwargs)
    fn = getattr(F, spec.functional)
    return fn(*(tensors[a] for a in spec.arg_names), **kwargs)
