package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.autograd.NoGrad;
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
 * chain kept three (x − μ, its square's input, x̂ for the product with γ). The full-size work is the
 * backend's per-channel passes ({@code Backend#channelSums}, {@code #channelAffine}): the forward reads
 * x three times and writes y once, the backward reads dY twice and x twice and writes dX once, with
 * no full-size temporaries (the composed tensor ops before took six reads and four writes forward,
 * nine and five backward). Measured on ResNet-18's training step in docs/performance.md.
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
    private final int count;  // M, the values per channel

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
        int count = x.numel() / x.size(1);
        Tensor mean, var, invStd, y;
        try (NoGrad scope = NoGrad.enter()) {
            // per-channel passes over x (Backend#channelSums, #channelAffine): Σ x, then Σ (x − μ)² (two
            // passes, as the composed ops took: no cancellation of Σ x² − M·μ²), then one pass for y
            mean = Kernels.channelSums(x, null, null, null).div(count);
            var = Kernels.channelSums(x, mean, x, mean).div(count);
            invStd = Kernels.map(jgrad.backend.UnaryOp.RECIPROCAL, var.add(eps).sqrt());
            // y = (x − μ) · (γ·s) + β: the per-channel factor first
            Tensor scale = gamma == null ? invStd : invStd.mul(gamma.reshape(x.size(1)));
            Tensor shift = beta == null ? Tensor.zeros(x.device(), x.size(1)) : beta.reshape(x.size(1));
            y = Kernels.channelAffine(x, mean, scale, shift, null, null);
        }
        BatchNormalize f = new BatchNormalize(x, gamma, beta, mean, invStd, reduce, channelShape);
        return new Result(f.record(y), mean, var);
    }

    @Override
    protected Tensor[] backward(Tensor dY) {
        // in the forward pass this was: x̂ = (x − μ)·s, y = γ·x̂ + β. The sums take x − μ, not x̂, and
        // multiply by s once per channel afterwards: one rounding less per element.
        int c = channelShape[1];
        Tensor dBeta = Kernels.channelSums(dY, null, null, null);       // dβ = Σ dY
        Tensor dotCentered = Kernels.channelSums(dY, null, x, mean);    // Σ dY·(x − μ)
        Tensor dGamma = dotCentered.mul(invStd);                        // dγ = Σ dY·x̂ = s·Σ dY·(x − μ)
        Tensor dX = null;
        if (needsGrad(0)) {
            // dX = γ·s·(dY − dβ/M − x̂·dγ/M) = γs·dY + (x − μ)·(−γs·s²·Σ dY(x − μ)/M) + (−γs·dβ/M): one pass (Backend#channelAffine)
            Tensor gs = gamma == null ? invStd : invStd.mul(gamma.reshape(c));
            Tensor onCentered = gs.mul(invStd).mul(invStd).mul(dotCentered).div(-count);
            Tensor shift = gs.mul(dBeta).div(-count);
            dX = Kernels.channelAffine(x, mean, onCentered, shift, dY, gs);
        }
        if (gamma == null) return grads(dX);
        return grads(dX, needsGrad(1) ? dGamma : null, needsGrad(2) ? dBeta : null);
    }
}
