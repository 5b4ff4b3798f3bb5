"""Copy-code snippets for losses called as nn.<Module>(...)(input, target), every tensor with its dtype."""
from __future__ import annotations

import numpy as np

from .parse import format_tensor_text, parse_tensor_text


def tensor_line(name: str, value, dtype: str, device: bool = False) -> str:
    if isinstance(value, str):
        value = parse_tensor_text(value, name)
    text = format_tensor_text(np.asarray(value).tolist()).replace("\n", "\n" + " " * (len(name) + 16))
    return f"{name} = torch.tensor({text}, dtype={dtype}{', device=device' if device else ''})"


def _as_array(value, name):
    return np.asarray(parse_tensor_text(value, name) if isinstance(value, str) else value)


def _kwargs(param_names: tuple, defaults: dict, params: dict) -> list[str]:
    kwargs = []
    for name in param_names:
        v = params[name]
        if name in ("weight", "pos_weight"):
            if v is not None:
                text = format_tensor_text(np.asarray(v).tolist()).replace("\n", "")
                kwargs.append(f"{name}=torch.tensor({text}, dtype=torch.float32)")
        elif v != defaults[name]:
            kwargs.append(f"{name}={v!r}")
    return kwargs


def module_snippet(title: str, param_names: tuple, defaults: dict, target_dtype=None):
    """nn.<title>(...)(input, target) with every tensor written with its dtype: a weight typed as [1, 2, 5]
    must still be float (torch.tensor([1, 2, 5]) would be int64 and torch would refuse it)."""
    def snippet(inputs: dict, params: dict) -> str:
        x, t = _as_array(inputs["input"], "input"), _as_array(inputs["target"], "target")
        long_target = target_dtype(x, t) if callable(target_dtype) else target_dtype == "long"
        # No comments in the code: the snippet is shown on pages in both languages; the dtype says the target kind.
        lines = ["import torch", "import torch.nn as nn", "", tensor_line("input", x, "torch.float32")]
        lines += [tensor_line("target", t, "torch.long" if long_target else "torch.float32"), ""]
        kwargs = _kwargs(param_names, defaults, params)
        lines += [f"loss_fn = nn.{title}({', '.join(kwargs)})", "loss = loss_fn(input, target)", "print(loss)"]
        return "\n".join(lines)
    return snippet
