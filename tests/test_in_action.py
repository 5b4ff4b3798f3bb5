"""Loss in action: the demos' claims hold on fixed seeds, the training is deterministic and free of Streamlit,
and the figures show what they claim. The page itself (AppTest): tests/test_in_action_page.py."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from losses import REGISTRY
from losses import training as T

ROOT = Path(__file__).resolve().parent.parent
SEEDS = (0, 1, 2)


@pytest.fixture(scope="module", autouse=True)
def _warm():
    T.warm_up()


@pytest.fixture(scope="module")
def outliers():
    return {seed: T.run_outliers(seed) for seed in SEEDS}


@pytest.fixture(scope="module")
def imbalance():
    return {seed: T.run_imbalance(seed) for seed in SEEDS}


@pytest.fixture(scope="module")
def embeddings():
    return {seed: T.run_embeddings(seed) for seed in SEEDS}


# --- 1. Outliers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_robust_losses_fit_closer_to_the_true_line_than_mse(outliers, seed):
    data, fits = outliers[seed]
    assert data.outlier.sum() == round(T.OUTLIER_DEFAULTS["outlier_frac"] * len(data.x))
    mse = fits["mse"].final_error
    for name in ("l1", "huber", "smooth_l1"):
        assert fits[name].final_error < 0.5 * mse, (name, fits[name].final_error, mse)
    # The error is what the page says it is: the distance of the final (w, b) from the true line.
    f = fits["huber"]
    assert f.final_error == pytest.approx(np.hypot(f.w - data.w_true, f.b - data.b_true), rel=1e-5)


def test_without_outliers_all_four_losses_agree():
    _, fits = T.run_outliers(0, outlier_frac=0.0)
    assert max(f.final_error for f in fits.values()) < 0.15


def test_smooth_l1_equals_huber_when_beta_equals_delta_and_a_large_delta_drifts_to_mse():
    _, same = T.run_outliers(1, delta=2.0, beta=2.0)
    assert same["smooth_l1"].w == pytest.approx(same["huber"].w, abs=1e-4)
    assert same["smooth_l1"].b == pytest.approx(same["huber"].b, abs=1e-4)
    _, wide = T.run_outliers(1, delta=5.0)
    _, narrow = T.run_outliers(1, delta=1.0)
    assert narrow["huber"].final_error < wide["huber"].final_error < wide["mse"].final_error


def test_side_by_side_training_equals_separate_trainings():
    data = T.make_line_data(4)
    together = T.fit_lines(data, T.REG_LOSSES, steps=80, delta=1.5, beta=0.5)
    for name in T.REG_LOSSES:
        alone = T.fit_line(data, name, steps=80, delta=1.5, beta=0.5)
        assert np.allclose(alone.losses, together[name].losses, rtol=1e-5, atol=1e-7)
        assert alone.w == pytest.approx(together[name].w, abs=1e-5)
    blobs = T.make_blob_data(4)
    together = T.fit_classifiers(blobs, T.CLS_LOSSES, steps=40, alpha=0.6, gamma=1.0, seed=4)
    for name in T.CLS_LOSSES:
        alone = T.fit_classifier(blobs, name, steps=40, alpha=0.6, gamma=1.0, seed=4)
        assert np.allclose(alone.losses, together[name].losses, rtol=1e-4, atol=1e-6)
        assert np.allclose(alone.grid_prob, together[name].grid_prob, atol=1e-4)


def test_regression_losses_are_torch_functionals():
    p, y = torch.tensor([0.0, 3.0]), torch.tensor([0.5, 0.0])
    assert T.regression_loss("huber", p, y, delta=2.0) == F.huber_loss(p, y, delta=2.0)
    assert T.regression_loss("smooth_l1", p, y, beta=0.5) == F.smooth_l1_loss(p, y, beta=0.5)
    with pytest.raises(ValueError):
        T.regression_loss("nope", p, y)


# --- 2. Class imbalance ----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_pos_weight_and_focal_find_more_rare_positives_than_bce(imbalance, seed):
    data, fits = imbalance[seed]
    assert data.y_train.mean() == pytest.approx(0.05, abs=0.005)
    assert data.pos_weight == pytest.approx((1 - data.y_train.mean()) / data.y_train.mean())
    bce = fits["bce"].test.recall
    assert fits["bce_pos_weight"].test.recall > bce + 0.1
    assert fits["focal"].test.recall > bce + 0.1
    # ... and pay for it with precision, as the page says.
    assert fits["bce_pos_weight"].test.precision < fits["bce"].test.precision


@pytest.mark.parametrize("seed", SEEDS)
def test_torchvision_default_alpha_lowers_recall_with_rare_positives(imbalance, seed):
    data, fits = imbalance[seed]
    low = T.fit_classifier(data, "focal", alpha=0.25, gamma=2.0, seed=seed)
    assert low.test.recall < fits["bce"].test.recall


def test_balanced_data_makes_the_three_losses_agree():
    _, fits = T.run_imbalance(0, pos_frac=0.5)
    f1 = [f.test.f1 for f in fits.values()]
    assert max(f1) - min(f1) < 0.05 and min(f1) > 0.8


def _focal_by_hand(logits: np.ndarray, target: np.ndarray, alpha: float, gamma: float) -> float:
    """Lin et al. (2017): FL(p_t) = −α_t (1 − p_t)^γ log(p_t), written independently in NumPy."""
    p = 1 / (1 + np.exp(-logits))
    p_t = np.where(target == 1, p, 1 - p)
    a_t = np.where(target == 1, alpha, 1 - alpha) if alpha >= 0 else np.ones_like(p)
    return float(np.mean(-a_t * (1 - p_t) ** gamma * np.log(p_t)))


@pytest.mark.parametrize("alpha,gamma", [(0.25, 2.0), (0.75, 0.5), (-1.0, 2.0), (0.5, 0.0)])
def test_focal_loss_matches_its_formula(alpha, gamma):
    rng = np.random.default_rng(3)
    logits, target = rng.normal(0, 2, 50), (rng.random(50) < 0.3).astype(float)
    got = T.sigmoid_focal_loss(torch.tensor(logits), torch.tensor(target), alpha=alpha, gamma=gamma)
    assert float(got) == pytest.approx(_focal_by_hand(logits, target, alpha, gamma), rel=1e-6)
    if "focal" in REGISTRY:  # the colleague's spec, when it exists, must agree with the demo's loss
        spec = REGISTRY["focal"]
        inputs = dict(zip(spec.arg_names, (logits.tolist(), target.tolist())))
        theirs = spec.evaluate(inputs, {"alpha": alpha, "gamma": gamma, "reduction": "mean"})
        assert float(theirs) == pytest.approx(float(got), rel=1e-5)


def test_focal_with_gamma_zero_and_no_alpha_is_bce():
    z, y = torch.tensor([-2.0, 0.3, 4.0]), torch.tensor([0.0, 1.0, 1.0])
    assert T.sigmoid_focal_loss(z, y, alpha=-1, gamma=0) == pytest.approx(
        float(F.binary_cross_entropy_with_logits(z, y)))


def test_scores():
    s = T.scores(np.array([1, 1, 0, 0, 1]), np.array([1, 0, 1, 0, 1]))
    assert (s.tp, s.fp, s.fn) == (2, 1, 1)
    assert s.precision == pytest.approx(2 / 3) and s.recall == pytest.approx(2 / 3) and s.f1 == pytest.approx(2 / 3)
    assert T.scores(np.array([1, 0]), np.array([0, 0])).f1 == 0.0


# --- 3. Embeddings ---------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_triplet_training_lowers_the_loss_and_separates_the_classes(embeddings, seed):
    data, fit = embeddings[seed]
    assert fit.snapshot_steps[0] == 0 and fit.snapshot_steps[-1] == T.EMBEDDING_DEFAULTS["steps"]
    assert fit.snapshots.shape == (len(fit.snapshot_steps), len(data.y_test), 2)
    assert fit.eval_loss[-1] < 0.5 * fit.eval_loss[0]
    assert fit.knn[-1] > 0.75 and fit.knn[-1] > fit.knn[0] + 0.2
    assert fit.ratio[-1] > 1.5 * fit.ratio[0]
    # The held-out loss is torch's TripletMarginLoss on the snapshot embeddings.
    a, p, n = T.make_triplets(torch.as_tensor(data.y_test), T._generator(seed + 2))
    e = torch.as_tensor(fit.snapshots[-1], dtype=torch.float32)
    assert float(F.triplet_margin_loss(e[a], e[p], e[n], margin=1.0)) == pytest.approx(fit.eval_loss[-1], rel=1e-4)


@pytest.mark.parametrize("mining", T.MINING)
def test_every_mining_choice_separates_the_classes(mining):
    _, fit = T.run_embeddings(1, mining=mining)
    assert fit.knn[-1] > fit.knn[0] + 0.15 and fit.eval_loss[-1] < fit.eval_loss[0]


def test_mined_triplets_are_valid_and_hard_means_closest():
    y = torch.tensor([0, 0, 0, 1, 1, 2, 2, 2])
    emb = torch.tensor([[0., 0], [1, 0], [0, 1], [3, 0], [0.5, 0.2], [9, 9], [8, 9], [2, 2]])
    for mining in T.MINING:
        a, p, n = T.make_triplets(y, T._generator(0), emb, mining=mining)
        assert torch.all(y[a] == y[p]) and torch.all(a != p) and torch.all(y[a] != y[n])
    _, _, n = T.make_triplets(y, T._generator(0), emb, mining="hard")
    assert n[0].item() == 4  # the closest point of another class to (0, 0) is (0.5, 0.2)


# --- Determinism, devices, no Streamlit ------------------------------------------------------------

def test_same_seed_same_result_new_seed_new_data():
    a, fa = T.run_outliers(5, steps=50)
    b, fb = T.run_outliers(5, steps=50)
    assert np.array_equal(a.y, b.y) and np.array_equal(fa["l1"].losses, fb["l1"].losses)
    c, _ = T.run_outliers(6, steps=50)
    assert not np.array_equal(a.y, c.y)
    _, e1 = T.run_embeddings(3, steps=30)
    _, e2 = T.run_embeddings(3, steps=30)
    assert np.array_equal(e1.snapshots, e2.snapshots)


def test_progress_is_reported_up_to_one():
    seen = []
    T.fit_line(T.make_line_data(0), "mse", steps=100, progress=seen.append)
    assert 5 <= len(seen) <= T.PROGRESS_UPDATES + 1 and seen == sorted(seen) and seen[-1] == 1.0


def test_training_restores_the_thread_setting():
    before = torch.get_num_threads()
    T.fit_line(T.make_line_data(0), "l1", steps=5)
    assert torch.get_num_threads() == before


def test_training_module_is_pure_torch_and_device_agnostic():
    code = ("import sys, losses.training as t; assert 'streamlit' not in sys.modules, 'streamlit imported'; "
            "t.run_outliers(0, steps=5)")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)
    src = (ROOT / "losses" / "training.py").read_text()
    assert ".cuda(" not in src and "device=\"cuda\"" not in src


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device on this machine")
def test_demos_run_on_cuda_and_keep_their_claims():
    _, fits = T.run_outliers(0, device="cuda")
    assert fits["huber"].final_error < fits["mse"].final_error
    _, cls = T.run_imbalance(0, device="cuda")
    assert cls["bce_pos_weight"].test.recall > cls["bce"].test.recall
    _, emb = T.run_embeddings(0, device="cuda")
    assert emb.eval_loss[-1] < emb.eval_loss[0]


def test_extreme_slider_settings_stay_finite():
    for lr in (0.001, 0.5):
        _, fits = T.run_outliers(0, lr=lr, steps=20, outlier_frac=0.45, outlier_size=20.0, delta=0.1, beta=5.0)
        assert all(np.isfinite(f.param_error).all() for f in fits.values())
        _, cls = T.run_imbalance(0, lr=lr, steps=20, pos_frac=0.01, alpha=0.0, gamma=5.0)
        assert all(np.isfinite(f.grid_prob).all() and np.isfinite(f.losses).all() for f in cls.values())
        for mining in T.MINING:
            _, emb = T.run_embeddings(0, lr=lr, steps=20, n_classes=6, margin=3.0, mining=mining)
            assert np.isfinite(emb.snapshots).all() and np.isfinite(emb.eval_loss).all()


# --- Figures (pure) --------------------------------------------------------------------------------

def test_figures_show_what_they_claim(outliers, imbalance, embeddings):
    from ui import in_action_figures as figs
    data, fits = outliers[0]
    names = {n: n for n in fits}
    fig = figs.line_figure(data, fits, names, dict(inliers="i", outliers="o", true_line="t", x="x", y="y", title=""))
    lines = {tr.name: tr for tr in fig.data if tr.mode == "lines"}
    xs = np.asarray(lines["huber"].x)
    assert np.allclose(lines["huber"].y, fits["huber"].w * xs + fits["huber"].b)
    assert np.allclose(lines["t"].y, data.w_true * xs + data.b_true)
    bars = figs.error_bar_figure(fits, names, {"title": ""}).data[0]
    assert np.allclose(bars.y, [f.final_error for f in fits.values()])

    bdata, cfits = imbalance[0]
    fig = figs.boundary_figure(bdata, cfits, {n: n for n in cfits},
                               dict(negatives="n", positives="p", prob="P", boundary="b"))
    contours = [tr for tr in fig.data if tr.type == "contour"]
    assert len(contours) == 3 and all(c.contours.start == 0.5 for c in contours)
    scores = figs.scores_figure(cfits, {n: n for n in cfits}, dict(title="", precision="P", recall="R", f1="F"))
    assert [round(v, 6) for v in scores.data[1].y] == [round(f.test.recall, 6) for f in cfits.values()]

    _, efit = embeddings[0]
    labels = dict(title="", classes=[f"c{i}" for i in range(4)], play="play", pause="pause", step="step")
    anim = figs.embedding_animation(efit, labels)
    assert len(anim.frames) == len(efit.snapshot_steps)
    assert [s.label for s in anim.layout.sliders[0].steps] == [str(s) for s in efit.snapshot_steps]
    first = anim.frames[0].data[0]
    assert np.allclose(first.x, efit.snapshots[0][efit.y == 0, 0])
    assert anim.layout.updatemenus[0].buttons[0].label == "play"
