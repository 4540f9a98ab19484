package jgrad.nn;

import jgrad.ops.BinaryCrossEntropyWithLogits;
import jgrad.tensor.Tensor;

/**
 * Binary cross-entropy on logits, as {@code torch.nn.BCEWithLogitsLoss}: a sigmoid and
 * {@link BCELoss} in one stable formula, ℓ = (1 − y)·z + l·(log(1 + e^−|z|) + max(−z, 0)) with
 * l = 1 + (p − 1)·y, where p ({@code posWeight}, one per class, broadcast along the last dimension)
 * weighs the positive examples, e.g. #negatives/#positives for a rare class.
 *
 * <p>∂ℓ/∂z = l·σ(z) − p·y (σ(z) − y without posWeight). Checked by: {@code jgrad.nn.TrainingLossesTest}.
 * Derivation: docs/ops/losses.md.
 */
public class BCEWithLogitsLoss implements Loss {
    private final Tensor posWeight;
    private final Reduction reduction;

    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN);
    }

    public BCEWithLogitsLoss(Tensor posWeight, Reduction reduction) {
        this.posWeight = posWeight;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor z, Tensor y) {
        Loss.requireSameShape("BCEWithLogitsLoss", z, y);
        return Loss.reduce("BCEWithLogitsLoss", BinaryCrossEntropyWithLogits.apply(z, y, posWeight), reduction);
    }
}
