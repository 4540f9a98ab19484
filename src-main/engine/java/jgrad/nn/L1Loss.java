package jgrad.nn;

import jgrad.tensor.Tensor;

/**
 * Mean absolute error, as {@code torch.nn.L1Loss}: ℓᵢ = |xᵢ − yᵢ|, then the mean (default), the sum
 * or none. Less pulled by outliers than MSELoss: every error counts by its size, not its square.
 *
 * <p>∂ℓ/∂xᵢ = sign(xᵢ − yᵢ)/n for the mean over n elements (0 where xᵢ = yᵢ).
 *
 * <p>Checked by: {@code jgrad.nn.TrainingLossesTest}. Derivation: docs/ops/losses.md.
 */
public class L1Loss implements Loss {
    private final Reduction reduction;

    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor x, Tensor y) {
        Loss.requireSameShape("L1Loss", x, y);
        return Loss.reduce("L1Loss", x.sub(y).abs(), reduction);
    }

    @Override
    public Targets targets() {
        return Targets.VALUES;
    }
}
