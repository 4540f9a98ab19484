package jgrad.nn;

import jgrad.tensor.Tensor;

/**
 * Mean squared error, as {@code torch.nn.MSELoss}: ℓᵢ = (xᵢ − yᵢ)², then the mean over all elements
 * (default), the sum, or none. Differs from {@link QuadraticCost} only in dividing by every element,
 * not by the number of examples.
 *
 * <p>∂ℓ/∂xᵢ = 2(xᵢ − yᵢ)/n for the mean over n elements.
 *
 * <p>Checked by: {@code jgrad.nn.LossesTest}.
 */
public class MSELoss implements Loss {
    private final Reduction reduction;

    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor x, Tensor y) {
        Loss.requireSameShape("MSELoss", x, y);
        return Loss.reduce("MSELoss", x.sub(y).square(), reduction);
    }

    @Override
    public Targets targets() {
        return Targets.VALUES;
    }
}
