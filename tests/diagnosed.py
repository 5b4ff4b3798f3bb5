"""Issue 19's check, shared by the family tests: an input torch accepts silently is computed exactly as
torch computes it (evaluate and the NumPy reference), and spec.diagnose() names the mistake."""
from __future__ import annotations

import numpy as np
import torch

from losses import REGISTRY
from torch_equivalents import torch_value


def assert_computed_and_warned(slug: str, inputs: dict, params: dict | None = None, key: str | None = None):
    """Returns the diagnoses; `key` must be among them (None: there must be none)."""
    spec = REGISTRY[slug]
    params = params or {}
    resolved = spec.resolve_params(params)
    expected = torch_value(spec, spec.to_tensors(spec.to_arrays(inputs)), spec.torch_kwargs(resolved))
    value = spec.evaluate(inputs, params)
    torch.testing.assert_close(value, expected, rtol=1e-5, atol=1e-6)
    ref, _ = spec.reference(inputs, params)
    np.testing.assert_allclose(np.asarray(ref, dtype=float), expected.double().numpy(), rtol=1e-4, atol=1e-5)
    found = spec.diagnose(inputs, params)
    keys = [d.key for d in found]
    if key is None:
        assert keys == [], keys
    else:
        assert key in keys, keys
    return found
