"""The training loop of each "Loss in action" demo, as code a reader can copy (the page's settings filled in)."""
from __future__ import annotations


def training_code_outliers(lr: float, steps: int, delta: float, beta: float) -> str:
    return f"""import torch
import torch.nn.functional as F

device = "cuda" if torch.cuda.is_available() else "cpu"
x, y = x.to(device), y.to(device)              # 1-D inputs and targets
losses = {{
    "mse": lambda p, t: F.mse_loss(p, t),
    "l1": lambda p, t: F.l1_loss(p, t),
    "smooth_l1": lambda p, t: F.smooth_l1_loss(p, t, beta={beta:g}),
    "huber": lambda p, t: F.huber_loss(p, t, delta={delta:g}),
}}
for name, loss_fn in losses.items():
    wb = torch.zeros(2, device=device, requires_grad=True)   # same start for every loss
    opt = torch.optim.Adam([wb], lr={lr:g})
    for step in range({steps}):
        opt.zero_grad()
        loss = loss_fn(wb[0] * x + wb[1], y)
        loss.backward()
        opt.step()
    print(name, wb.tolist())
"""


def training_code_imbalance(lr: float, steps: int, pos_weight: float, alpha: float, gamma: float) -> str:
    return f"""import torch
import torch.nn.functional as F

def sigmoid_focal_loss(logits, target, alpha={alpha:g}, gamma={gamma:g}):
    # torchvision.ops.sigmoid_focal_loss, reduction="mean"
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
    p_t = p * target + (1 - p) * (1 - target)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * target + (1 - alpha) * (1 - target)) * loss
    return loss.mean()

device = "cuda" if torch.cuda.is_available() else "cpu"
pos_weight = torch.tensor([{pos_weight:.4g}], device=device)   # negatives / positives
losses = {{
    "bce": lambda z, t: F.binary_cross_entropy_with_logits(z, t),
    "bce_pos_weight": lambda z, t: F.binary_cross_entropy_with_logits(z, t, pos_weight=pos_weight),
    "focal": sigmoid_focal_loss,
}}
for name, loss_fn in losses.items():
    torch.manual_seed(0)                        # same initial weights for every loss
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16),
                                torch.nn.Tanh(), torch.nn.Linear(16, 1)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr={lr:g})
    for step in range({steps}):
        opt.zero_grad()
        loss = loss_fn(model(x.to(device)).squeeze(1), y.to(device))   # y: float 0/1
        loss.backward()
        opt.step()
"""


def training_code_embeddings(lr: float, steps: int, margin: float) -> str:
    return f"""import torch
import torch.nn.functional as F

device = "cuda" if torch.cuda.is_available() else "cpu"
encoder = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.Tanh(), torch.nn.Linear(32, 2)).to(device)
opt = torch.optim.Adam(encoder.parameters(), lr={lr:g})
x, labels = x.to(device), labels.to(device)
for step in range({steps}):
    emb = encoder(x)
    anchor, positive, negative = mine_triplets(emb.detach(), labels)   # index tensors, one per anchor
    loss = F.triplet_margin_loss(emb[anchor], emb[positive], emb[negative], margin={margin:g})
    opt.zero_grad()
    loss.backward()
    opt.step()
"""
