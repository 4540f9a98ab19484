package jgrad.nn;

import java.util.Arrays;
import jgrad.backend.BinaryOp;
import jgrad.backend.UnaryOp;
import jgrad.ops.CrossEntropy;
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
 * the one-hot target. The per-example loss and that gradient are the fused op
 * {@link jgrad.ops.CrossEntropy} (one pass, stable log-sum-exp); this class checks the targets and
 * applies the reduction.
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
        boolean synchronous = logits.device().backend().synchronous();
        if (synchronous) checkIndices(target, classes);
        Tensor perExample = CrossEntropy.apply(logits, target);
        Tensor loss = switch (reduction) {
            case NONE -> perExample;
            case SUM -> perExample.sum();
            case MEAN -> perExample.mean();
        };
        // On an asynchronous device (OpenCL) a check result read every step would stall the queue.
        // There the kernel turns a bad index into a NaN loss, and reading the loss names the target.
        if (!synchronous) loss.onRead(values -> {
            for (float v : values) {
                if (Float.isNaN(v)) {
                    checkIndicesOnHost(target.toFloatArray(), classes);
                    return;
                }
            }
        });
        return loss;
    }

    /**
     * Class indices must be whole numbers in 0…C−1. Counted on the device (one number comes back);
     * only when something is wrong are the targets read to name the first bad one.
     */
    private static void checkIndices(Tensor target, int classes) {
        // valid = (t ≥ 0)·(t < C)·(t = ⌊t⌋): every comparison is false for NaN, so NaN counts as invalid
        Tensor valid = Kernels.zipScalar(BinaryOp.GE, target, 0f)
                .mul(Kernels.zipScalar(BinaryOp.LT, target, classes))
                .mul(Kernels.zip(BinaryOp.EQ, target, Kernels.map(UnaryOp.FLOOR, target)));
        if (Kernels.sum(valid, new int[] {0}, false).item() < target.numel()) checkIndicesOnHost(target.toFloatArray(), classes);
    }

    private static void checkIndicesOnHost(float[] t, int classes) {
        for (int i = 0; i < t.length; i++) {
            if (!(t[i] >= 0 && t[i] < classes && t[i] == Math.floor(t[i]))) {
                throw new IllegalArgumentException("CrossEntropyLoss: target " + t[i] + " at index " + i
                        + " is not a class index for " + classes + " classes (whole numbers 0.." + (classes - 1) + ")");
            }
        }
    }
}
