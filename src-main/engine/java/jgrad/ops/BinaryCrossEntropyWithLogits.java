package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.backend.BinaryOp;
import jgrad.backend.UnaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Binary cross-entropy on logits z (probability σ(z)), per element, with a weight p for the positive
 * class, as {@code torch.nn.functional.binary_cross_entropy_with_logits} with reduction none:
 * <pre>
 * ℓ = −[ p · y · log σ(z) + (1 − y) · log(1 − σ(z)) ]
 *   = (1 − y) · z + l · (log(1 + e^−|z|) + max(−z, 0)),   l = 1 + (p − 1) · y
 * ∂ℓ/∂z = l · σ(z) − p · y                     (p = 1: σ(z) − y, the prediction minus the target)
 * </pre>
 * The second form never takes the log of 0 nor the exponential of a large number. The backward uses
 * the closed form, so it is right at z = 0 too (a composition of |z| and max would give 0 there).
 * Shapes: z, y the same; p (optional) broadcast to them. No gradient for the target (null). Saves
 * z, y, p. See docs/ops/losses.md.
 *
 * <p>Checked by: {@code jgrad.nn.TrainingLossesTest} (PyTorch values and gradients, gradient check).
 */
public final class BinaryCrossEntropyWithLogits extends Function {
    private final Tensor z, y, posWeight;

    private BinaryCrossEntropyWithLogits(Tensor z, Tensor y, Tensor posWeight) {
        super(z, y);
        this.z = saved(z);
        this.y = saved(y);
        this.posWeight = saved(posWeight);
    }

    /** l = 1 + (p − 1)·y, or null when there is no positive weight (l = 1). */
    private static Tensor logWeight(Tensor y, Tensor p) {
        if (p == null) return null;
        return Kernels.zipScalar(BinaryOp.ADD, Kernels.zip(BinaryOp.MUL, Kernels.zipScalar(BinaryOp.SUB, p, 1f), y), 1f);
    }

    public static Tensor apply(Tensor z, Tensor y, Tensor posWeight) {
        BinaryCrossEntropyWithLogits f = new BinaryCrossEntropyWithLogits(z, y, posWeight);
        Tensor negAbs = Kernels.map(UnaryOp.NEG, Kernels.map(UnaryOp.ABS, z));
        Tensor softplus = Kernels.map(UnaryOp.LOG, Kernels.zipScalar(BinaryOp.ADD, Kernels.map(UnaryOp.EXP, negAbs), 1f));
        Tensor tail = Kernels.zip(BinaryOp.ADD, softplus, Kernels.map(UnaryOp.RELU, Kernels.map(UnaryOp.NEG, z)));
        Tensor l = logWeight(y, posWeight);
        if (l != null) tail = Kernels.zip(BinaryOp.MUL, tail, l);
        Tensor oneMinusY = Kernels.zipScalar(BinaryOp.SUB, Kernels.map(UnaryOp.NEG, y), -1f);
        return f.record(Kernels.zip(BinaryOp.ADD, Kernels.zip(BinaryOp.MUL, oneMinusY, z), tail));
    }

    @Override
    protected Tensor[] backward(Tensor dL) {
        // in the forward pass: ℓ = (1 − y) z + l (log(1 + e^−|z|) + max(−z, 0)); so ∂ℓ/∂z = l σ(z) − p y
        Tensor s = Kernels.map(UnaryOp.SIGMOID, z);
        Tensor l = logWeight(y, posWeight);
        Tensor g = l == null ? Kernels.zip(BinaryOp.SUB, s, y)
                : Kernels.zip(BinaryOp.SUB, Kernels.zip(BinaryOp.MUL, l, s), Kernels.zip(BinaryOp.MUL, posWeight, y));
        return grads(dL.mul(g), null);
    }
}
