package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.backend.BinaryOp;
import jgrad.backend.UnaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Binary cross-entropy of probabilities, per element, as {@code torch.nn.functional.binary_cross_entropy}
 * with reduction none:
 * <pre>
 * ℓ = −w · [ y · log x + (1 − y) · log(1 − x) ]     (each log clamped at −100, as PyTorch)
 * ∂ℓ/∂x = w · (x − y) / (x · (1 − x))              (the denominator at least 10⁻¹², as PyTorch)
 * </pre>
 * Shapes: x, y the same; w (optional) broadcast to them. The gradient with respect to the target is
 * not computed (null). Saves x, y, w. See docs/ops/losses.md.
 *
 * <p>Checked by: {@code jgrad.nn.TrainingLossesTest} (PyTorch values and gradients, gradient check).
 */
public final class BinaryCrossEntropy extends Function {
    private final Tensor x, y, w;

    private BinaryCrossEntropy(Tensor x, Tensor y, Tensor w) {
        super(x, y);
        this.x = saved(x);
        this.y = saved(y);
        this.w = saved(w);
    }

    public static Tensor apply(Tensor x, Tensor y, Tensor weight) {
        BinaryCrossEntropy f = new BinaryCrossEntropy(x, y, weight);
        Tensor logX = Kernels.zipScalar(BinaryOp.MAX, Kernels.map(UnaryOp.LOG, x), -100f);
        Tensor oneMinusX = Kernels.zipScalar(BinaryOp.SUB, Kernels.map(UnaryOp.NEG, x), -1f);
        Tensor log1mX = Kernels.zipScalar(BinaryOp.MAX, Kernels.map(UnaryOp.LOG, oneMinusX), -100f);
        Tensor oneMinusY = Kernels.zipScalar(BinaryOp.SUB, Kernels.map(UnaryOp.NEG, y), -1f);
        Tensor l = Kernels.zip(BinaryOp.ADD, Kernels.zip(BinaryOp.MUL, y, logX), Kernels.zip(BinaryOp.MUL, oneMinusY, log1mX));
        l = Kernels.map(UnaryOp.NEG, l);
        if (weight != null) l = Kernels.zip(BinaryOp.MUL, l, weight);
        return f.record(l);
    }

    @Override
    protected Tensor[] backward(Tensor dL) {
        // in the forward pass: ℓ = −w[y log x + (1 − y) log(1 − x)], so ∂ℓ/∂x = w (x − y) / (x (1 − x))
        Tensor denom = Kernels.zipScalar(BinaryOp.MAX, Kernels.zip(BinaryOp.MUL, x, Kernels.zipScalar(BinaryOp.SUB,
                Kernels.map(UnaryOp.NEG, x), -1f)), 1e-12f);
        Tensor g = Kernels.zip(BinaryOp.DIV, Kernels.zip(BinaryOp.SUB, x, y), denom);
        if (w != null) g = Kernels.zip(BinaryOp.MUL, g, w);
        return grads(dL.mul(g), null);
    }
}
