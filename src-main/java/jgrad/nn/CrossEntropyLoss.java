package jgrad.nn;

import java.util.Arrays;
import jgrad.backend.BinaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Cross-entropy on raw scores (logits), as {@code torch.nn.CrossEntropyLoss}: softmax turns the
 * scores of each example into probabilities pⱼ = eᶻʲ / Σₖ eᶻᵏ, and the loss is −log p_y for the
 * true class y, averaged over the batch (or summed, or per example).
 *
 * <p>Shapes: z: [N, C] logits · target: [N] class indices in 0…C−1 (as floats) · loss: scalar.
 *
 * <p>Derivative: ℓ = −z_y + log Σₖ eᶻᵏ, so ∂ℓ/∂zⱼ = pⱼ − [j = y]: the predicted probabilities minus
 * the one-hot target. It is built from {@link Functional#logSoftmax} (stable log-sum-exp) and a
 * one-hot mask, so the autograd graph produces exactly that.
 *
 * <p>Checked by: {@code jgrad.nn.LossesTest} (PyTorch reference values, gradient check).
 */
public class CrossEntropyLoss implements Loss {
    private final Reduction reduction;

    public CrossEntropyLoss() {
        this(Reduction.MEAN);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor logits, Tensor target) {
        if (logits.dim() != 2 || target.dim() != 1 || target.size(0) != logits.size(0)) {
            throw new IllegalArgumentException("CrossEntropyLoss: expected logits [N, C] and class indices [N], got "
                    + Arrays.toString(logits.shape()) + " and " + Arrays.toString(target.shape()));
        }
        int classes = logits.size(1);
        checkIndices(target, classes);
        Tensor perExample = Functional.logSoftmax(logits, 1).mul(Functional.oneHot(target, classes)).sum(1, false).neg();
        return switch (reduction) {
            case NONE -> perExample;
            case SUM -> perExample.sum();
            case MEAN -> perExample.mean();
        };
    }

    /** Class indices must be whole numbers in 0…C−1 (checked on the device, one number comes back). */
    private static void checkIndices(Tensor target, int classes) {
        Tensor bad = Kernels.zipScalar(BinaryOp.LT, target, 0f)
                .add(Kernels.zipScalar(BinaryOp.GE, target, classes));
        Tensor worst = Kernels.sum(bad, new int[] {0}, false);
        if (worst.item() > 0) {
            float[] t = target.toFloatArray();
            for (int i = 0; i < t.length; i++) {
                if (t[i] < 0 || t[i] >= classes) {
                    throw new IllegalArgumentException("CrossEntropyLoss: target " + t[i] + " at index " + i
                            + " is out of range for " + classes + " classes");
                }
            }
        }
    }
}
