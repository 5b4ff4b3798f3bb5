"""Tiny trainings that show why the choice of loss matters (the "Loss in action" page).

Pure torch + NumPy, importable without Streamlit. Every function is deterministic for a given seed
(data from NumPy's Generator, initial weights from a CPU torch.Generator, then moved to `device`), and
device-agnostic: tensors are created on the CPU and moved with `.to(device)`; results come back as
NumPy arrays so they can be cached and plotted.

Three demos:
- outliers:   fit y = w·x + b with MSE, L1, SmoothL1 and Huber on data with a few gross outliers;
- imbalance:  a small MLP classifier on 2-D data with few positives, trained with BCE, BCE with
              `pos_weight`, and sigmoid focal loss (torchvision.ops.sigmoid_focal_loss's formula);
- embeddings: a small encoder into 2-D trained with triplet margin loss, random, semi-hard or hard negatives.

The models of a demo train side by side (one parameter tensor, the sum of their losses): exactly as
separate trainings, since each model only sees its own loss and Adam works elementwise, at about the
cost of one.

`progress`, where accepted, is called with a fraction in [0, 1] a few times during training.
"""
from __future__ import annotations

from .training_common import (Progress, REG_LOSSES, CLS_LOSSES, MINING, PROGRESS_UPDATES, OUTLIER_DEFAULTS, IMBALANCE_DEFAULTS, EMBEDDING_DEFAULTS, warm_up, is_warm, one_thread, _ticks, _report, _generator)  # noqa: F401 (the demos' API)
from .training_embeddings import (ClassData, make_class_data, make_triplets, knn_accuracy, separation_ratio, EmbeddingFit, fit_embedding)  # noqa: F401
from .training_imbalance import (BlobData, make_blob_data, classification_loss, FlatMLP, Scores, scores, ClassifierFit, grid_axes, fit_classifiers, fit_classifier, sigmoid_focal_loss)  # noqa: F401
from .training_outliers import (LineData, make_line_data, regression_loss, LineFit, fit_lines, fit_line)  # noqa: F401

# ---------------------------------------------------------------------------------------------------
# Whole demos (what the page shows at given settings; used by the benchmark and the tests)
# ---------------------------------------------------------------------------------------------------

def run_outliers(seed: int = 0, device: str = "cpu", **settings) -> tuple[LineData, dict[str, LineFit]]:
    s = {**OUTLIER_DEFAULTS, **settings}
    data = make_line_data(seed, s["outlier_frac"], s["outlier_size"])
    return data, fit_lines(data, REG_LOSSES, lr=s["lr"], steps=s["steps"], delta=s["delta"], beta=s["beta"],
                           device=device)


def run_imbalance(seed: int = 0, device: str = "cpu", **settings) -> tuple[BlobData, dict[str, ClassifierFit]]:
    s = {**IMBALANCE_DEFAULTS, **settings}
    data = make_blob_data(seed, s["pos_frac"])
    return data, fit_classifiers(data, CLS_LOSSES, lr=s["lr"], steps=s["steps"], alpha=s["alpha"],
                                 gamma=s["gamma"], seed=seed, device=device)


def run_embeddings(seed: int = 0, device: str = "cpu", **settings) -> tuple[ClassData, EmbeddingFit]:
    s = {**EMBEDDING_DEFAULTS, **settings}
    data = make_class_data(seed, s["n_classes"])
    return data, fit_embedding(data, margin=s["margin"], mining=s["mining"], lr=s["lr"], steps=s["steps"],
                               seed=seed, device=device)
