package jgrad.nn;

import java.util.ArrayList;
import java.util.List;
import jgrad.autograd.MemoryPolicy;
import jgrad.autograd.NoGrad;
import jgrad.backend.BinaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Gradient clipping by the total norm, as {@code torch.nn.utils.clip_grad_norm_}: when all the
 * gradients together are longer than maxNorm, shrink them (every one by the same factor) so that
 * they are not. The step keeps its direction and loses only length, which tames the rare huge
 * gradient of a recurrent network without changing the ordinary steps.
 * <pre>
 *   total = ‖(g₁, g₂, …)‖₂ = √(Σₚ Σᵢ gₚᵢ²)      over every parameter that has a gradient
 *   c = maxNorm / (total + 10⁻⁶)
 *   if c &lt; 1:  gₚ ← c · gₚ      in place, for every p
 * </pre>
 * PyTorch multiplies by min(1, c), which is the same. The 10⁻⁶ keeps c finite when total is 0; it
 * also means that gradients exactly at the limit (total = maxNorm) are shrunk by a hair (c ≈ 1 − 2·10⁻⁶
 * for maxNorm 0.5), as PyTorch's are. A non-finite total is not an error (PyTorch's default
 * error_if_nonfinite=False): the gradients then become NaN, which the next step makes visible.
 *
 * <p>Call it between {@code loss.backward()} and {@code optimizer.step()}. It is not an op: no
 * graph, no derivative; it edits gradients the way an optimizer does, inside {@link NoGrad},
 * reading them in a {@link MemoryPolicy#readsForUpdate} scope (so they stay reusable).
 *
 * <p>Checked by: {@code jgrad.nn.ClipGradTest} (PyTorch values for clipped, unclipped, the
 * ∞-norm, parameters without gradients).
 */
public final class ClipGrad {
    private ClipGrad() {}

    /** Clips by the total 2-norm; returns that norm (before clipping). */
    public static double clipGradNorm_(List<Parameter> params, double maxNorm) {
        return clipGradNorm_(params, maxNorm, 2.0);
    }

    /**
     * Clips by the total p-norm, (Σ |g|ᵖ)^(1/p) over all gradients, or max |g| for
     * {@code normType = Double.POSITIVE_INFINITY}; returns that norm (before clipping).
     * Parameters without a gradient are skipped; with none at all the norm is 0.
     */
    public static double clipGradNorm_(List<Parameter> params, double maxNorm, double normType) {
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("clipGradNorm_: maxNorm must be ≥ 0, got " + maxNorm);
        if (!(normType > 0)) throw new IllegalArgumentException("clipGradNorm_: normType must be > 0 (or infinity), got " + normType);
        List<Tensor> grads = new ArrayList<>();
        try (MemoryPolicy.ReadsForUpdate reads = MemoryPolicy.readsForUpdate()) {  // read, scaled in place, kept by no one
            for (Parameter p : params) {
                Tensor g = p.grad();
                if (g != null && g.numel() > 0) grads.add(g);
            }
        }
        if (grads.isEmpty()) return 0;
        try (NoGrad scope = NoGrad.enter()) {
            double total = totalNorm(grads, normType);
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1) {
                for (Tensor g : grads) g.mulInPlace((float) coef);
            }
            return total;
        }
    }

    /** Each gradient's part summed on its device, one number read back at the end. */
    private static double totalNorm(List<Tensor> grads, double p) {
        boolean max = p == Double.POSITIVE_INFINITY;
        Tensor acc = null;
        for (Tensor g : grads) {
            Tensor part = max ? g.abs().reshape(-1).max(0, false)          // max |gᵢ|
                    : p == 2 ? g.square().sum()                            // Σ gᵢ²
                    : g.abs().pow((float) p).sum();                        // Σ |gᵢ|ᵖ
            if (acc != null) part = part.to(acc.device());
            acc = acc == null ? part : max ? Kernels.zip(BinaryOp.MAX, acc, part) : acc.add(part);
        }
        double v = acc.item();
        return max ? v : p == 2 ? Math.sqrt(v) : Math.pow(v, 1 / p);
    }
}
