package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.autograd.NoGrad;
import jgrad.backend.BinaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Batch normalisation with the batch's own statistics (training mode), one node with its closed-form
 * backward instead of the chain of sub, square, mean, div, mul, add that autograd would record:
 * <pre>
 *   μ = mean(x),  σ² = mean((x − μ)²)   over every dimension but the channel (M values per channel)
 *   x̂ = (x − μ) · s,  s = 1 / √(σ² + ε)
 *   y = γ · x̂ + β
 * </pre>
 * Shapes: x [N, C] or [N, C, L] or [N, C, H, W]; γ, β [C] (or both null: no affine); μ, σ² [1, C, 1, …].
 *
 * <p>Backward (docs/ops/batchnorm.md derives it; the paths through μ and σ² are what the last two
 * terms of dX carry):
 * <pre>
 *   dβ = Σ dY                    dγ = Σ dY · x̂                 (sums over the M values of each channel)
 *   dX = γ · s · (dY − dβ / M − x̂ · dγ / M)
 * </pre>
 * Saved: x (whose version is checked), μ and s per channel; x̂ is recomputed in backward from them,
 * so the node keeps one full-size tensor (the input, as PyTorch's batch norm does) where the composed
 * chain kept three (x − μ, its square's input, x̂ for the product with γ). Measured on ResNet-18's
 * training step in docs/performance.md.
 *
 * <p>Checked by: {@code jgrad.ops.BatchNormalizeTest} (gradient check, equality with the composed
 * ops), {@code jgrad.nn.TorchParityCnnTest}, {@code jgrad.nn.BatchNormOptionsTest}.
 */
public final class BatchNormalize extends Function {
    /** y, and the batch's mean and biased variance [C] (no graph: for the running statistics). */
    public record Result(Tensor y, Tensor mean, Tensor var) {}

    private final Tensor x, gamma, mean, invStd;
    private final int[] reduce;
    private final int[] channelShape;
    private final int count;

    private BatchNormalize(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor invStd, int[] reduce, int[] channelShape) {
        super(gamma == null ? new Tensor[] {x} : new Tensor[] {x, gamma, beta});
        this.x = saved(x);
        this.gamma = saved(gamma);
        this.mean = mean;
        this.invStd = invStd;
        this.reduce = reduce;
        this.channelShape = channelShape;
        this.count = x.numel() / x.size(1);
    }

    /** x [N, C, …] normalised per channel with its batch statistics, then γ·x̂ + β (γ, β [C], or both null). */
    public static Result apply(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int[] reduce = new int[x.dim() - 1];
        for (int d = 2; d < x.dim(); d++) reduce[d - 1] = d;  // 0, 2, 3, …
        int[] channelShape = new int[x.dim()];
        java.util.Arrays.fill(channelShape, 1);
        channelShape[1] = x.size(1);
        Tensor mean, var, invStd, y;
        try (NoGrad scope = NoGrad.enter()) {
            mean = x.mean(reduce, true);
            Tensor centered = x.sub(mean);
            var = centered.square().mean(reduce, true);
            invStd = Kernels.map(jgrad.backend.UnaryOp.RECIPROCAL, var.add(eps).sqrt());
            // y = (x − μ) · (γ·s) + β: the per-channel factor first, so that the full-size work is one product and one sum
            Tensor scale = gamma == null ? invStd : invStd.mul(gamma.reshape(channelShape));
            Kernels.zipInto(BinaryOp.MUL, centered, scale, centered);
            if (beta != null) Kernels.zipInto(BinaryOp.ADD, centered, beta.reshape(channelShape), centered);
            y = centered;
        }
        BatchNormalize f = new BatchNormalize(x, gamma, beta, mean, invStd, reduce, channelShape);
        return new Result(f.record(y), mean.reshape(x.size(1)), var.reshape(x.size(1)));
    }

    @Override
    protected Tensor[] backward(Tensor dY) {
        // in the forward pass this was: x̂ = (x − μ)·s, y = γ·x̂ + β. The sums take x − μ, not x̂, and
        // multiply by s once per channel afterwards: one rounding less per element.
        Tensor centered = x.sub(mean);
        Tensor dBeta = dY.sum(reduce, true);                          // dβ = Σ dY
        Tensor dotCentered = dY.mul(centered).sum(reduce, true);      // Σ dY·(x − μ)
        Tensor dGamma = dotCentered.mul(invStd);                      // dγ = Σ dY·x̂ = s·Σ dY·(x − μ)
        Tensor dX = null;
        if (needsGrad(0)) {
            // dX = γ·s·(dY − dβ/M − x̂·dγ/M) = γ·s·(dY − dβ/M − (x − μ)·s²·Σ dY(x − μ)/M); (x − μ) is overwritten with the last two terms
            Tensor gs = gamma == null ? invStd : invStd.mul(gamma.reshape(channelShape));
            Kernels.zipInto(BinaryOp.MUL, centered, dotCentered.mul(invStd).mul(invStd).div(count), centered);
            Kernels.zipInto(BinaryOp.ADD, centered, dBeta.div(count), centered);
            dX = dY.sub(centered);
            Kernels.zipInto(BinaryOp.MUL, dX, gs, dX);
        }
        if (gamma == null) return grads(dX);
        return grads(dX, needsGrad(1) ? dGamma.reshape(channelShape[1]) : null, needsGrad(2) ? dBeta.reshape(channelShape[1]) : null);
    }
}
