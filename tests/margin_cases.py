"""Shared by the margin family's test modules (tests/test_margin.py, test_margin_diagnosis.py,
test_margin_builders.py): a tensor maker, a brute-force MultiLabelMarginLoss written from torch's documentation,
and the inputs of the three losses that take ±1 targets."""
import numpy as np
import torch


def t32(a, dtype=torch.float32):
    """A tensor of `a` (float32 unless told)."""
    return torch.as_tensor(np.asarray(a), dtype=dtype)


def brute_multilabel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Written from torch's documentation, independently of losses/reference/margin.py."""
    x2, y2 = np.atleast_2d(x), np.atleast_2d(y)
    out = []
    for xr, yr in zip(x2, y2):
        j_list = []
        for v in yr:
            if v == -1:
                break
            j_list.append(int(v))
        total = sum(max(0.0, 1.0 - (xr[j] - xr[i])) for j in j_list for i in range(len(xr)) if i not in j_list)
        out.append(total / len(xr))
    return np.array(out)


# Inputs of the three losses whose target is ±1, without their target (the tests add one).
PM1_CASES = {
    "margin_ranking": {"input1": [0.5, 0.1, 0.3], "input2": [0.2, 0.4, 0.3]},
    "hinge_embedding": {"input": [0.2, 0.4, 1.5]},
    "cosine_embedding": {"input1": [[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]], "input2": [[1.0, 0.0], [1.0, 1.0], [1.0, 1.0]]},
}
