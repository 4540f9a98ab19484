package jgrad.nn;

import jgrad.ops.BinaryCrossEntropy;
import jgrad.tensor.Tensor;

/**
 * Binary cross-entropy of probabilities, as {@code torch.nn.BCELoss}: for a prediction x in (0, 1)
 * (a sigmoid's output) and a target y in [0, 1], ℓ = −w·[y·log x + (1 − y)·log(1 − x)], each log
 * clamped at −100 so that a confident wrong answer costs 100, not infinity.
 *
 * <p>Shapes: input and target the same; weight (optional) broadcast to them.
 * ∂ℓ/∂x = w·(x − y)/(x(1 − x)). Prefer {@link BCEWithLogitsLoss} on logits: it is stable where
 * σ saturates. Checked by: {@code jgrad.nn.TrainingLossesTest}. Derivation: docs/ops/losses.md.
 */
public class BCELoss implements Loss {
    private final Tensor weight;
    private final Reduction reduction;

    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Tensor weight, Reduction reduction) {
        this.weight = weight;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor x, Tensor y) {
        Loss.requireSameShape("BCELoss", x, y);
        return Loss.reduce("BCELoss", BinaryCrossEntropy.apply(x, y, weight), reduction);
    }
}
