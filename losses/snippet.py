"""The default PyTorch snippet of a loss page: the tensors as typed, nn.<Title>(**changed params)(*args)."""
from __future__ import annotations

import numpy as np

from .parse import format_tensor_text, parse_tensor_text


def default_snippet(spec: LossSpec, inputs: dict, params: dict) -> str:
    lines = ["import torch", "import torch.nn as nn", ""]
    for name in spec.arg_names:
        value = inputs[name]
        if isinstance(value, str):
            value = parse_tensor_text(value, name)
        arr = np.asarray(value)
        text = format_tensor_text(arr.tolist()).replace("\n", "\n" + " " * (len(name) + 16))
        dtype = "torch.long" if spec.arg_dtypes.get(name, "float") == "long" else "torch.float32"
        lines.append(f"{name} = torch.tensor({text}, dtype={dtype})")
    kwargs = []
    for p in spec.params:
        if p.ui_only:
            continue
        v = params[p.name]
        if v == p.default and p.kind != "tensor":
            continue
        if p.kind == "tensor":
            if v is None:
                continue
            kwargs.append(f"{p.name}=torch.tensor({format_tensor_text(np.asarray(v).tolist())}, dtype=torch.float32)")
        else:
            kwargs.append(f"{p.name}={v!r}")
    lines.append("")
    lines.append(f"loss_fn = nn.{spec.title}({', '.join(kwargs)})")
    lines.append(f"loss = loss_fn({', '.join(spec.arg_names)})")
    lines.append("print(loss)")
    return "\n".join(lines)
