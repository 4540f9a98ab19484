package jgrad.nn;

import java.util.Arrays;
import jgrad.tensor.Tensor;

/**
 * 3Blue1Brown's cost: for one example C₀ = Σⱼ (aⱼ − yⱼ)², the squared distance between the output
 * activations and the desired output (no ½, no mean over outputs); for a mini-batch, the average
 * of C₀ over its N examples, C = (1/N) Σₙ C₀⁽ⁿ⁾.
 *
 * <p>Shapes: a: [N, C] (or [C] for one example) · y: same shape · C: scalar.
 *
 * <p>∂C₀/∂aⱼ = 2(aⱼ − yⱼ), so over the batch dA = (2/N)(A − Y). Built from differentiable ops
 * (sub, square, sum), so this derivative is not written twice.
 *
 * <p>Checked by: {@code jgrad.nn.LossesTest#costOfThreeIs337}; docs/backprop.md.
 */
public class QuadraticCost implements Loss {
    @Override
    public Tensor forward(Tensor a, Tensor y) {
        if (!Arrays.equals(a.shape(), y.shape())) {
            throw new IllegalArgumentException("QuadraticCost: output of shape " + Arrays.toString(a.shape())
                    + " and target of shape " + Arrays.toString(y.shape()) + " differ (one-hot encode class labels)");
        }
        int examples = a.dim() <= 1 ? 1 : a.numel() / a.size(-1);
        return a.sub(y).square().sum().div(examples);
    }
}
