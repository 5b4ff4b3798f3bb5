"""The reduction inspector's numbers: the elementwise ('none') loss, what every other reduction gives and
what it divides by, and the autograd gradient. Pure torch/NumPy; ui/loss_page.py formats it."""
from __future__ import annotations

import numpy as np

from .spec import LossSpec, gradient


def inspect_reductions(spec: LossSpec, inputs: dict, params: dict, device: str) -> dict | None:
    """The 'none' tensor, the value of every other reduction and what it divides by, and the gradient."""
    try:
        red = spec.param("reduction")
    except KeyError:
        return None
    if "none" not in red.choices:
        return None
    none = spec.evaluate(inputs, {**params, "reduction": "none"}, device=device).detach().cpu().double().numpy()
    rows = []
    for r in red.choices:
        if r == "none":
            continue
        v = float(spec.evaluate(inputs, {**params, "reduction": r}, device=device))
        how = None
        if r == "mean" and spec.mean_how is not None:  # not one sum ÷ one divisor (CTCLoss)
            how = ("words", spec.mean_how(spec.to_tensors(spec.to_arrays(inputs)), params, none))
        elif r != "sum":
            # Any averaging reduction ('mean', KLDivLoss's 'batchmean'): the spec may say what it divides by.
            found = spec.mean_divisor(spec.to_tensors(spec.to_arrays(inputs)), {**params, "reduction": r}) \
                if spec.mean_divisor is not None else None
            how = ("divisor", found)
        rows.append((r, v, how))
    wrt, grad = gradient(spec, inputs, params, device=device)
    return {"error": None, "none": none, "rows": rows, "wrt": wrt,
            "grad": np.round(grad.detach().cpu().double().numpy(), 6).tolist()}
