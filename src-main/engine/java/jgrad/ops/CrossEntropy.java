package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.backend.BinaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.FusedKernels;
import jgrad.tensor.Tensor;

/**
 * Softmax followed by cross-entropy, fused: for logits z (one row per example) and true class y,
 * ℓ = −log softmax(z)_y = log Σₖ eᶻᵏ − z_y.
 *
 * <p>Shapes: z: [N, C] · targets: [N] class indices (as floats) · ℓ: [N], one loss per example.
 *
 * <p>Derivative: ∂ℓ/∂zⱼ = eᶻʲ/Σₖ eᶻᵏ − [j = y] = pⱼ − yⱼ (probabilities minus the one-hot
 * target), so dZ = (P − Y) ⊙ dℓ, each row scaled by its example's upstream gradient. Saves P,
 * the softmax, computed in the same pass as the loss. Fusing avoids both the extra passes and the
 * 0·(−∞) = NaN that "log-softmax times one-hot" hits when a logit is −∞.
 *
 * <p>Checked by: {@code jgrad.nn.LossesTest} (PyTorch values, gradient check).
 */
public final class CrossEntropy extends Function {
    private final Tensor targets;
    private Tensor probs;

    private CrossEntropy(Tensor logits, Tensor targets) {
        super(logits, targets);
        this.targets = saved(targets);
    }

    /** Per-example losses [N]; targets must already be valid class indices. */
    public static Tensor apply(Tensor logits, Tensor targets) {
        CrossEntropy f = new CrossEntropy(logits, targets);
        Tensor[] lossAndProbs = FusedKernels.crossEntropy(logits, targets);
        f.probs = lossAndProbs[1];
        return f.record(lossAndProbs[0]);
    }

    @Override
    protected Tensor[] backward(Tensor dLoss) {
        int classes = probs.size(1);
        Tensor columns = Kernels.indices(probs.device(), classes).unsqueeze(0);
        Tensor oneHot = Kernels.zip(BinaryOp.EQ, targets.unsqueeze(1), columns);
        return grads(probs.sub(oneHot).mul(dLoss.unsqueeze(1)), null);
    }
}
