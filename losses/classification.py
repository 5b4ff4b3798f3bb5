"""The classification family's specs, in page order: BCELoss, BCEWithLogitsLoss (binary.py),
CrossEntropyLoss, NLLLoss (multiclass.py) and sigmoid focal loss (focal.py)."""
from __future__ import annotations

from . import binary, focal, multiclass
from .focal import FOCAL_SOURCE, focal_torch  # noqa: F401  (ui/panels and tests import them from here)

SPECS = binary.SPECS + multiclass.SPECS + focal.SPECS
