package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.tensor.Kernels;
import jgrad.tensor.FusedKernels;
import jgrad.tensor.Tensor;

/**
 * Softmax and log-softmax along a dimension: turning scores into probabilities.
 *
 * <p>Forward: yᵢ = eˣⁱ / Σⱼ eˣʲ (softmax) or yᵢ = xᵢ − log Σⱼ eˣʲ (log-softmax), computed by the
 * backend with the maximum subtracted first (the log-sum-exp trick), so large scores do not
 * overflow.
 *
 * <p>Derivatives (δᵢⱼ = 1 if i = j):
 * <pre>
 *   softmax:      ∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ)   ⇒ dX = Y ⊙ (dY − Σⱼ dYⱼ·Yⱼ)
 *   log-softmax:  ∂yᵢ/∂xⱼ = δᵢⱼ − softmaxⱼ ⇒ dX = dY − softmax(X) · Σⱼ dYⱼ
 * </pre>
 * (sums along the softmax dimension, kept for broadcasting). Both save only their output Y: softmax
 * needs Y itself, log-softmax gets softmax(X) back as e^Y.
 *
 * <p>Checked by: {@code jgrad.ops.SoftmaxTest}; derivation in docs/ops/softmax.md.
 */
public final class Softmax extends Function {
    private final boolean log;
    private final int dim;
    private Tensor y;

    private Softmax(Tensor x, boolean log, int dim) {
        super(x);
        this.log = log;
        this.dim = dim;
    }

    public static Tensor softmax(Tensor x, int dim) {
        return apply(x, dim, false);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return apply(x, dim, true);
    }

    private static Tensor apply(Tensor x, int dim, boolean log) {
        int d = x.dim() == 0 ? 0 : x.dimIndex(dim);
        Softmax f = new Softmax(x, log, d);
        // The backend works along the last dimension: move dim there and back (views, no calculus).
        int last = Math.max(0, x.dim() - 1);
        Tensor moved = d == last ? x.detach() : x.detach().transpose(d, last);
        Tensor out = FusedKernels.softmaxLastDim(moved, log);
        f.y = d == last ? f.saved(out) : Kernels.contiguous(out.transpose(d, last));
        return f.record(f.y);
    }

    @Override
    protected Tensor[] backward(Tensor dY) {
        if (log) {
            Tensor p = y.exp();                          // softmax(X) = e^(log softmax X)
            return grads(dY.sub(p.mul(dY.sum(dim, true))));
        }
        return grads(y.mul(dY.sub(dY.mul(y).sum(dim, true))));
    }
}
