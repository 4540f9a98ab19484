package jgrad.nn;

import java.util.Arrays;
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
        if (!Arrays.equals(x.shape(), y.shape())) {
            throw new IllegalArgumentException("MSELoss: input of shape " + Arrays.toString(x.shape())
                    + " and target of shape " + Arrays.toString(y.shape()) + " differ");
        }
        Tensor squared = x.sub(y).square();
        return switch (reduction) {
            case NONE -> squared;
            case SUM -> squared.sum();
            case MEAN -> squared.mean();
        };
    }
}
