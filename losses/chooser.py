"""Which loss should I use? Pure logic: answers -> a recommended loss, the reason, and alternatives.

Tutorials often end with a task -> loss -> why table; NOTES_TABLE keeps each row of a typical one, what it
says, the answers that describe that task here, and what LossLab recommends instead where the table is
wrong or imprecise. Every question and recommendation text is bilingual ({"en", "zh"}).
The result names a slug; the page links to it only when that slug is registered.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Bilingual = dict

# torch's names for every slug LossLab plans; used when a slug is not (yet) registered.
TORCH_NAMES = {
    "l1": "L1Loss", "mse": "MSELoss", "smooth_l1": "SmoothL1Loss", "huber": "HuberLoss",
    "binary_cross_entropy": "BCELoss", "binary_cross_entropy_with_logits": "BCEWithLogitsLoss",
    "cross_entropy": "CrossEntropyLoss", "nll": "NLLLoss", "kl_div": "KLDivLoss",
    "poisson_nll": "PoissonNLLLoss", "gaussian_nll": "GaussianNLLLoss", "margin_ranking": "MarginRankingLoss",
    "hinge_embedding": "HingeEmbeddingLoss", "multi_margin": "MultiMarginLoss",
    "multilabel_margin": "MultiLabelMarginLoss", "soft_margin": "SoftMarginLoss",
    "multilabel_soft_margin": "MultiLabelSoftMarginLoss", "cosine_embedding": "CosineEmbeddingLoss",
    "triplet_margin": "TripletMarginLoss", "triplet_margin_with_distance": "TripletMarginWithDistanceLoss",
    "ctc": "CTCLoss", "focal": "sigmoid_focal_loss",
}


def _b(en: str, zh: str) -> Bilingual:
    return {"en": en, "zh": zh}


@dataclass(frozen=True)
class Question:
    key: str
    label: Bilingual
    options: tuple[tuple[str, Bilingual], ...]
    tasks: tuple[str, ...] = ()          # shown only for these task answers (empty: always)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.options)

    def applies(self, answers: dict) -> bool:
        return not self.tasks or answers.get("task") in self.tasks


QUESTIONS: tuple[Question, ...] = (
    Question("task", _b("What does the model predict?", "模型要预测什么？"), (
        ("regression", _b("a real number (regression)", "一个实数（回归）")),
        ("binary", _b("one of two classes (binary classification)", "两类之一（二分类）")),
        ("multiclass", _b("one of C classes (multi-class classification)", "C 类之一（多分类）")),
        ("multilabel", _b("any subset of C labels (multi-label)", "C 个标签的任意子集（多标签）")),
        ("distribution", _b("a probability distribution matching a target distribution (e.g. distillation)",
                             "与目标分布匹配的概率分布（如知识蒸馏）")),
        ("counts", _b("a count (0, 1, 2, ...)", "计数（0、1、2……）")),
        ("embedding", _b("an embedding: similar things close, different things far (metric learning)",
                          "嵌入向量：相似的靠近、不同的远离（度量学习）")),
        ("ranking", _b("which of two items should rank higher", "两个样本中哪个该排在前面")),
        ("sequence", _b("a label sequence from a longer input sequence (speech, handwriting, OCR)",
                         "从较长的输入序列得到标签序列（语音、手写、OCR）")),
    )),
    Question("outliers", _b("Does the target contain outliers (a few very wrong labels or heavy tails)?",
                            "目标值里有异常值吗（少量错得离谱的标签或重尾分布）？"), (
        ("no", _b("no, the noise is roughly Gaussian", "没有，噪声大致服从高斯分布")),
        ("yes", _b("yes, some", "有一些")),
    ), tasks=("regression",)),
    Question("uncertainty", _b("Should the model also predict its own uncertainty (a variance)?",
                               "模型是否还要预测自身的不确定性（方差）？"), (
        ("no", _b("no, a point estimate is enough", "不需要，给出点估计即可")),
        ("yes", _b("yes, a mean and a variance per output", "需要，每个输出给出均值和方差")),
    ), tasks=("regression",)),
    Question("output", _b("What does the last layer output?", "最后一层输出什么？"), (
        ("logits", _b("raw scores (logits), no activation", "原始分数（logits），不加激活")),
        ("probabilities", _b("probabilities (after sigmoid / softmax)", "概率（经过 sigmoid / softmax）")),
        ("log_probabilities", _b("log-probabilities (after log_softmax)", "对数概率（经过 log_softmax）")),
    ), tasks=("binary", "multiclass")),
    Question("labels", _b("How are the binary labels written?", "二分类标签怎么表示？"), (
        ("01", _b("0 / 1", "0 / 1")),
        ("pm1", _b("−1 / +1", "−1 / +1")),
    ), tasks=("binary",)),
    Question("imbalance", _b("Is one class much rarer than the others (class imbalance)?",
                             "是否有某一类远比其他类少见（类别不平衡）？"), (
        ("no", _b("no, classes are roughly balanced", "没有，各类数量相当")),
        ("yes", _b("yes, strongly imbalanced (e.g. 1:100)", "有，严重不平衡（如 1:100）")),
    ), tasks=("binary", "multiclass", "multilabel")),
    Question("pairs", _b("What does a training example look like?", "一条训练样本长什么样？"), (
        ("triplets", _b("a triplet: anchor, positive, negative", "三元组：锚点、正样本、负样本")),
        ("pairs", _b("a pair labelled similar (+1) or dissimilar (−1)", "一对样本，标注相似（+1）或不相似（−1）")),
    ), tasks=("embedding",)),
    Question("distance", _b("Which distance between embeddings?", "嵌入之间用什么距离？"), (
        ("euclidean", _b("Euclidean (p-norm)", "欧氏距离（p 范数）")),
        ("cosine", _b("cosine similarity", "余弦相似度")),
        ("custom", _b("any other function (learned, cosine distance, ...)", "任意其他函数（可学习的、余弦距离等）")),
    ), tasks=("embedding",)),
    Question("aligned", _b("Do you know which input frame produces each output label (alignment)?",
                           "你知道每个输出标签对应哪一帧输入吗（对齐）？"), (
        ("no", _b("no, only the label sequence is known", "不知道，只知道标签序列")),
        ("yes", _b("yes, one label per frame / token", "知道，每一帧/每个 token 一个标签")),
    ), tasks=("sequence",)),
)

QUESTION_BY_KEY = {q.key: q for q in QUESTIONS}


@dataclass(frozen=True)
class Alternative:
    slug: str
    why: Bilingual


@dataclass(frozen=True)
class Recommendation:
    slug: str
    reason: Bilingual
    settings: str = ""                  # torch code for the recommended call, language-neutral
    alternatives: tuple[Alternative, ...] = ()

    @property
    def torch_name(self) -> str:
        return TORCH_NAMES[self.slug]


def defaults() -> dict:
    """The first option of every question."""
    return {q.key: q.values[0] for q in QUESTIONS}


def visible_questions(answers: dict) -> list[Question]:
    return [q for q in QUESTIONS if q.applies(answers)]


def normalise(answers: dict) -> dict:
    """Fill missing or invalid answers with the first option (the UI may pass partial dicts)."""
    out = defaults()
    for key, value in (answers or {}).items():
        if key in QUESTION_BY_KEY and value in QUESTION_BY_KEY[key].values:
            out[key] = value
    return out


def recommend(answers: dict) -> Recommendation:
    a = normalise(answers)
    task = a["task"]
    if task == "regression":
        if a["uncertainty"] == "yes":
            return Recommendation("gaussian_nll", _b(
                "The network outputs a mean and a variance; GaussianNLLLoss is the negative log-likelihood of "
                "the target under that Gaussian, so a large predicted variance discounts hard examples but "
                "costs log(var). Keep var positive (e.g. softplus).",
                "网络输出均值和方差；GaussianNLLLoss 是目标在该高斯分布下的负对数似然：预测方差大时困难样本的"
                "误差被打折，但要付出 log(var) 的代价。方差须为正（例如用 softplus）。"),
                "nn.GaussianNLLLoss()(mean, target, var)",
                (Alternative("mse", _b("MSE is the same model with a fixed variance.", "MSE 相当于方差固定的同一模型。")),))
        if a["outliers"] == "yes":
            return Recommendation("huber", _b(
                "Quadratic for small errors, linear beyond δ: an outlier's gradient is capped at ±δ instead of "
                "growing with the error, so a few bad labels cannot dominate training. Less sensitive to "
                "outliers, not insensitive: each still adds δ(|r| − δ/2), which grows linearly with |r|.",
                "误差小时为二次、超过 δ 后为线性：异常值的梯度被限制在 ±δ，而不是随误差增长，少数坏标签无法主导训练。"
                "是“对异常值不那么敏感”，不是“不敏感”：每个异常值仍贡献 δ(|r| − δ/2)，随 |r| 线性增长。"),
                "nn.HuberLoss(delta=1.0)",
                (Alternative("smooth_l1", _b("SmoothL1(β) = Huber(δ=β)/β: the same shape, gradient capped at ±1 "
                                             "(Fast/Faster R-CNN box regression).",
                                             "SmoothL1(β) = Huber(δ=β)/β：形状相同，梯度上限为 ±1（Fast/Faster R-CNN 框回归）。")),
                 Alternative("l1", _b("L1 predicts the median and ignores how far an outlier is; its gradient "
                                      "never shrinks near the optimum.",
                                      "L1 预测中位数，不在乎异常值有多远；但在最优点附近梯度也不会变小。"))))
        return Recommendation("mse", _b(
            "With Gaussian noise, minimising MSE is maximum likelihood and predicts the conditional mean. Its "
            "gradient 2r grows with the error: good for clean data, but an outlier with r = 10 pulls 10 times "
            "harder and costs 100 times more than one with r = 1. (The common claim \"large gradient, converges fast\" is not a guarantee.)",
            "噪声服从高斯分布时，最小化 MSE 就是极大似然估计，预测的是条件均值。其梯度 2r 随误差增长：适合干净数据，"
            "但 r = 10 的异常值的拉力是 r = 1 的 10 倍、损失是 100 倍。（常见的说法“误差大时梯度大、收敛快”并无保证。）"),
            "nn.MSELoss()",
            (Alternative("huber", _b("Use Huber if some targets may be outliers.", "若可能存在异常值，用 Huber。")),))
    if task == "binary":
        if a["labels"] == "pm1" and a["output"] == "logits":
            return Recommendation("soft_margin", _b(
                "With ±1 labels, SoftMarginLoss log(1 + exp(−y·x)) is logistic regression on the margin y·x: "
                "the same value as BCEWithLogitsLoss with 0/1 labels.",
                "标签为 ±1 时，SoftMarginLoss log(1 + exp(−y·x)) 就是对间隔 y·x 的逻辑回归，与使用 0/1 标签的 "
                "BCEWithLogitsLoss 数值相同。"),
                "nn.SoftMarginLoss()",
                (Alternative("binary_cross_entropy_with_logits", _b("Map labels to (y + 1) / 2 and use BCEWithLogitsLoss.",
                                                                     "把标签换成 (y + 1) / 2，再用 BCEWithLogitsLoss。")),))
        if a["output"] == "probabilities":
            return Recommendation("binary_cross_entropy", _b(
                "BCELoss takes probabilities. It works, but log is clamped at −100 and sigmoid saturates, so "
                "confident mistakes give tiny gradients: remove the sigmoid and use BCEWithLogitsLoss.",
                "BCELoss 接受概率。它能用，但 log 被截断在 −100，sigmoid 会饱和，导致自信的错误只有极小的梯度："
                "去掉 sigmoid，改用 BCEWithLogitsLoss。"),
                "nn.BCELoss()",
                (Alternative("binary_cross_entropy_with_logits", _b("Numerically stable on logits (recommended).",
                                                                     "直接作用于 logits，数值稳定（推荐）。")),))
        if a["imbalance"] == "yes":
            return Recommendation("focal", _b(
                "Focal loss multiplies BCE by (1 − p_t)^γ, so the many easy negatives stop dominating the sum; "
                "α weights the positives. It is torchvision.ops.sigmoid_focal_loss, not part of torch.nn.",
                "Focal loss 把 BCE 乘以 (1 − p_t)^γ，使大量容易的负样本不再主导总和；α 给正样本加权。"
                "它是 torchvision.ops.sigmoid_focal_loss，不在 torch.nn 中。"),
                "torchvision.ops.sigmoid_focal_loss(logits, target, alpha=0.25, gamma=2.0, reduction='mean')",
                (Alternative("binary_cross_entropy_with_logits", _b(
                    "Simpler first try: BCEWithLogitsLoss(pos_weight=torch.tensor([n_neg / n_pos])).",
                    "更简单的第一步：BCEWithLogitsLoss(pos_weight=torch.tensor([n_neg / n_pos]))。")),))
        return Recommendation("binary_cross_entropy_with_logits", _b(
            "Sigmoid and binary cross-entropy fused with the log-sum-exp trick: stable for any logit, and the "
            "gradient σ(x) − y does not vanish when the model is confidently wrong.",
            "sigmoid 与二元交叉熵借助 log-sum-exp 技巧融合：对任意 logit 都数值稳定，模型自信地犯错时梯度 σ(x) − y "
            "也不会消失。"),
            "nn.BCEWithLogitsLoss()",
            (Alternative("binary_cross_entropy", _b("Only if you must feed probabilities.", "只有在必须输入概率时才用。")),))
    if task == "multiclass":
        if a["output"] == "log_probabilities":
            return Recommendation("nll", _b(
                "NLLLoss picks −log p of the target class from log-probabilities; log_softmax + NLLLoss equals "
                "CrossEntropyLoss on the logits.",
                "NLLLoss 从对数概率中取出目标类的 −log p；log_softmax + NLLLoss 等于对 logits 用 CrossEntropyLoss。"),
                "nn.NLLLoss()",
                (Alternative("cross_entropy", _b("Drop the log_softmax and pass logits.", "去掉 log_softmax，直接传 logits。")),))
        reason = _b(
            "CrossEntropyLoss applies log_softmax itself, so it takes raw logits (a softmax before it is a silent "
            "mistake that flattens gradients); it is the negative log-likelihood of the true class.",
            "CrossEntropyLoss 内部自带 log_softmax，所以直接接收原始 logits（在它前面再加 softmax 是无声的错误，会压平梯度）；"
            "它就是真实类别的负对数似然。")
        if a["output"] == "probabilities":
            reason = _b(reason["en"] + " Remove your softmax layer.", reason["zh"] + "请去掉你的 softmax 层。")
        if a["imbalance"] == "yes":
            return Recommendation("cross_entropy", _b(
                reason["en"] + " For imbalance pass weight (e.g. inverse class frequency); note that 'mean' then "
                "divides by the sum of the picked weights.",
                reason["zh"] + "类别不平衡时传入 weight（如类别频率的倒数）；注意此时 'mean' 除以所选样本权重之和。"),
                "nn.CrossEntropyLoss(weight=class_weights)",
                (Alternative("focal", _b("Focal loss (one-vs-rest sigmoid) down-weights easy examples.",
                                         "Focal loss（一对多 sigmoid）降低容易样本的权重。")),
                 Alternative("multi_margin", _b("A multi-class hinge loss (SVM style), also takes weight.",
                                                "多类合页损失（SVM 风格），同样支持 weight。"))))
        return Recommendation("cross_entropy", reason, "nn.CrossEntropyLoss()", (
            Alternative("nll", _b("If the model already ends in log_softmax.", "如果模型最后已经是 log_softmax。")),
            Alternative("multi_margin", _b("A multi-class hinge loss (SVM style).", "多类合页损失（SVM 风格）。"))))
    if task == "multilabel":
        if a["imbalance"] == "yes":
            return Recommendation("binary_cross_entropy_with_logits", _b(
                "One sigmoid per label; pos_weight (one value per label, e.g. n_neg / n_pos) multiplies the "
                "positive term of each label, which MultiLabelSoftMarginLoss cannot do.",
                "每个标签一个 sigmoid；pos_weight（每个标签一个值，如 n_neg / n_pos）放大每个标签的正项，"
                "MultiLabelSoftMarginLoss 做不到这一点。"),
                "nn.BCEWithLogitsLoss(pos_weight=pos_weight)",
                (Alternative("focal", _b("Focal loss works per label as well.", "Focal loss 也可以逐标签使用。")),))
        return Recommendation("multilabel_soft_margin", _b(
            "An independent sigmoid + binary cross-entropy per label, averaged over the labels, with 0/1 "
            "multi-hot targets (not −1 padded). It equals BCEWithLogitsLoss with reduction='mean'.",
            "每个标签一个独立的 sigmoid + 二元交叉熵，再对标签求平均；目标为 0/1 多热向量（不是用 −1 填充）。"
            "它与 reduction='mean' 的 BCEWithLogitsLoss 数值相同。"),
            "nn.MultiLabelSoftMarginLoss()",
            (Alternative("binary_cross_entropy_with_logits", _b("Same value, plus pos_weight per label.",
                                                                 "数值相同，还可以逐标签设置 pos_weight。")),
             Alternative("multilabel_margin", _b("A hinge version whose targets are class indices padded with −1.",
                                                 "合页版本，目标为用 −1 结尾填充的类别索引。"))))
    if task == "distribution":
        return Recommendation("kl_div", _b(
            "KL(target ‖ model) compares whole distributions (e.g. a teacher's soft labels). Pass the model's "
            "log-probabilities as input and use reduction='batchmean' for the mathematical KL.",
            "KL(target ‖ model) 比较整个分布（如教师模型的软标签）。input 传模型的对数概率，并使用 "
            "reduction='batchmean' 才是数学上的 KL。"),
            "nn.KLDivLoss(reduction='batchmean')(log_probs, target_probs)",
            (Alternative("cross_entropy", _b("CrossEntropyLoss also accepts probability targets; it differs from "
                                             "KL by the target's entropy, a constant.",
                                             "CrossEntropyLoss 也接受概率形式的目标；它与 KL 只差目标分布的熵（常数）。")),))
    if task == "counts":
        return Recommendation("poisson_nll", _b(
            "Counts are modelled as Poisson(λ); the loss is the negative log-likelihood. With log_input=True "
            "the network outputs log λ, which keeps λ positive.",
            "把计数建模为 Poisson(λ)，损失是负对数似然。log_input=True 时网络输出 log λ，保证 λ 为正。"),
            "nn.PoissonNLLLoss(log_input=True)",
            (Alternative("mse", _b("MSE ignores that the variance of counts grows with their mean.",
                                   "MSE 忽略了计数的方差随均值增大。")),))
    if task == "embedding":
        if a["pairs"] == "triplets":
            if a["distance"] == "euclidean":
                return Recommendation("triplet_margin", _b(
                    "max(0, d(a, p) − d(a, n) + margin): the negative must be farther than the positive by at "
                    "least the margin (FaceNet). What is often called \"TripletLoss\" is TripletMarginLoss in torch.",
                    "max(0, d(a, p) − d(a, n) + margin)：负样本到锚点的距离至少要比正样本远 margin（FaceNet）。"
                    "常说的 “TripletLoss” 在 torch 中叫 TripletMarginLoss。"),
                    "nn.TripletMarginLoss(margin=1.0, p=2)",
                    (Alternative("triplet_margin_with_distance", _b("Any distance function, not only p-norms.",
                                                                    "可用任意距离函数，而不限于 p 范数。")),))
            return Recommendation("triplet_margin_with_distance", _b(
                "The same triplet hinge with any distance_function (cosine distance, a learned metric).",
                "同样的三元组合页损失，但 distance_function 可以任意指定（余弦距离、可学习的度量）。"),
                "nn.TripletMarginWithDistanceLoss(distance_function=lambda a, b: 1 - F.cosine_similarity(a, b))",
                (Alternative("triplet_margin", _b("For Euclidean / p-norm distances.", "用于欧氏 / p 范数距离。")),))
        if a["distance"] == "cosine":
            return Recommendation("cosine_embedding", _b(
                "Pairs with ±1 labels: similar pairs are pushed to cosine 1, dissimilar ones below the margin.",
                "带 ±1 标签的样本对：相似的推向余弦 1，不相似的压到 margin 以下。"),
                "nn.CosineEmbeddingLoss(margin=0.0)",
                (Alternative("hinge_embedding", _b("Works on a distance you compute yourself.",
                                                   "作用于你自己算好的距离。")),))
        return Recommendation("hinge_embedding", _b(
            "The input is a distance between the two items of a pair: similar pairs (y = 1) pay the distance, "
            "dissimilar ones (y = −1) pay max(0, margin − distance). torch has no \"HingeLoss\"; this is the "
            "pairwise hinge loss.",
            "输入是一对样本之间的距离：相似对（y = 1）损失就是距离，不相似对（y = −1）损失为 max(0, margin − 距离)。"
            "torch 中没有 “HingeLoss”，这里指的是成对的 HingeEmbeddingLoss。"),
            "nn.HingeEmbeddingLoss(margin=1.0)(torch.pairwise_distance(x1, x2), y)",
            (Alternative("cosine_embedding", _b("If similarity is measured by cosine.", "如果用余弦度量相似性。")),
             Alternative("triplet_margin", _b("If you can form triplets, they usually train better.",
                                              "如果能构造三元组，通常训练效果更好。"))))
    if task == "ranking":
        return Recommendation("margin_ranking", _b(
            "max(0, −y·(x1 − x2) + margin): y = 1 means x1 should score higher than x2 by the margin. "
            "Targets must be ±1.",
            "max(0, −y·(x1 − x2) + margin)：y = 1 表示 x1 的分数应比 x2 高出 margin。目标必须是 ±1。"),
            "nn.MarginRankingLoss(margin=0.0)", ())
    if task == "sequence":
        if a["aligned"] == "yes":
            return Recommendation("cross_entropy", _b(
                "With one known label per frame or token (tagging, language modelling), it is ordinary "
                "classification at every step: CrossEntropyLoss on logits of shape (N, C, T). CTC is not needed.",
                "每一帧/每个 token 都有已知标签时（序列标注、语言模型），就是每一步的普通分类：对形状为 (N, C, T) "
                "的 logits 用 CrossEntropyLoss，不需要 CTC。"),
                "nn.CrossEntropyLoss()(logits_NCT, labels_NT)",
                (Alternative("ctc", _b("Only when the alignment is unknown.", "只有在对齐未知时才需要。")),))
        return Recommendation("ctc", _b(
            "CTC sums the probability of every alignment of the label sequence to the T input frames, so no "
            "frame-level labels are needed (speech, handwriting, OCR). T must be long enough: repeated labels "
            "need a blank between them, or the loss is inf (zero_infinity=True).",
            "CTC 对标签序列与 T 个输入帧的所有对齐方式的概率求和，因此不需要逐帧标签（语音、手写、OCR）。T 必须足够长："
            "相邻重复标签之间需要一个 blank，否则损失为 inf（可设 zero_infinity=True）。"),
            "nn.CTCLoss(blank=0, zero_infinity=True)(log_probs_TNC, targets, input_lengths, target_lengths)",
            (Alternative("cross_entropy", _b("If every frame has a known label.", "如果每一帧都有已知标签。")),))
    raise ValueError(task)


@dataclass(frozen=True)
class NotesRow:
    """One row of a typical task -> loss table: what it says, and the answers that describe the task."""
    task: Bilingual
    notes_loss: str
    notes_reason: Bilingual             # the reason the table gives
    answers: dict
    expected: tuple[str, ...]           # slugs the chooser may answer for this row (first = main answer)
    correction: Bilingual = field(default_factory=dict)   # empty when the table's row is right


NOTES_TABLE: tuple[NotesRow, ...] = (
    NotesRow(_b("Regression (robust)", "回归（鲁棒性）"), "SmoothL1Loss/HuberLoss", _b("insensitive to outliers", "对异常值不敏感"),
             {"task": "regression", "outliers": "yes", "uncertainty": "no"}, ("huber", "smooth_l1"),
             _b("Right loss; \"insensitive\" is too strong: the outlier's gradient is bounded (±δ), not zero.",
                "损失选得对；但“不敏感”说过头了：异常值的梯度被限制在 ±δ，并不是零。")),
    NotesRow(_b("Regression (precision)", "回归（精度）"), "MSELoss", _b("large gradient for large errors, converges fast", "误差大时梯度大，收敛快"),
             {"task": "regression", "outliers": "no", "uncertainty": "no"}, ("mse",),
             _b("Right loss, wrong reason: MSE is maximum likelihood under Gaussian noise (it predicts the mean); "
                "a large gradient for large errors is exactly what makes it fragile with outliers, and it does not "
                "guarantee faster convergence.",
                "损失对，理由不对：MSE 是高斯噪声下的极大似然（预测均值）；误差大时梯度大恰恰使它对异常值脆弱，也不保证收敛更快。")),
    NotesRow(_b("Binary classification", "二分类"), "BCEWithLogitsLoss", _b("numerically stable, sigmoid built in", "数值稳定，集成 sigmoid"),
             {"task": "binary", "output": "logits", "labels": "01", "imbalance": "no"},
             ("binary_cross_entropy_with_logits",)),
    NotesRow(_b("Multi-class classification", "多分类"), "CrossEntropyLoss", _b("takes logits directly, no manual softmax", "直接处理 logits，避免手动 softmax"),
             {"task": "multiclass", "output": "logits", "imbalance": "no"}, ("cross_entropy",)),
    NotesRow(_b("Multi-label classification", "多标签分类"), "MultiLabelSoftMarginLoss", _b("a sample may belong to several classes", "允许样本属于多个类别"),
             {"task": "multilabel", "imbalance": "no"}, ("multilabel_soft_margin", "binary_cross_entropy_with_logits"),
             _b("Right, with 0/1 multi-hot targets; it equals BCEWithLogitsLoss (mean), which also offers pos_weight.",
                "正确，目标是 0/1 多热向量；它与 BCEWithLogitsLoss（mean）相等，后者还支持 pos_weight。")),
    NotesRow(_b("Metric learning", "度量学习"), "TripletLoss/HingeLoss", _b("learns similarity between samples", "学习样本间的相似性"),
             {"task": "embedding", "pairs": "triplets", "distance": "euclidean"},
             ("triplet_margin", "triplet_margin_with_distance", "hinge_embedding", "cosine_embedding"),
             _b("torch has no TripletLoss or HingeLoss: they are TripletMarginLoss (triplets) and "
                "HingeEmbeddingLoss (a distance per pair with ±1 labels).",
                "torch 里没有 TripletLoss 和 HingeLoss：应为 TripletMarginLoss（三元组）和 HingeEmbeddingLoss"
                "（每对样本一个距离，标签 ±1）。")),
    NotesRow(_b("Sequence labelling", "序列标注"), "CTCLoss", _b("handles sequences of varying length", "处理不定长序列"),
             {"task": "sequence", "aligned": "yes"}, ("cross_entropy",),
             _b("Sequence labelling gives every token its own label, so it is classification at each step: "
                "CrossEntropyLoss. CTCLoss is for transcription without alignment (speech, handwriting, OCR), "
                "where only the label sequence is known.",
                "序列标注中每个 token 都有自己的标签，就是逐步的分类：用 CrossEntropyLoss。CTCLoss 用于没有对齐信息的转写"
                "（语音、手写、OCR），那时只知道标签序列。")),
)
