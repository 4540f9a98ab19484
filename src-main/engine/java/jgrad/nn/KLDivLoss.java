package jgrad.nn;

import jgrad.backend.BinaryOp;
import jgrad.backend.UnaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Kullback–Leibler divergence, as {@code torch.nn.KLDivLoss}: how far the model's distribution
 * (given as log-probabilities x) is from a target distribution y, elementwise
 * <pre>
 * ℓ = y·(log y − x)         (0 where y = 0: a class the target never picks costs nothing)
 * ℓ = eʸ·(y − x)            with logTarget (y given as log-probabilities)
 * </pre>
 * ∂ℓ/∂x = −y (−eʸ with logTarget). Reductions: BATCHMEAN (Σ / N, the true KL divergence per
 * example: use it), MEAN (Σ / every element, PyTorch's default, kept for parity), SUM, NONE.
 * Checked by: {@code jgrad.nn.TrainingLossesTest}. Derivation: docs/ops/losses.md.
 */
public class KLDivLoss implements Loss {
    private final Reduction reduction;
    private final boolean logTarget;

    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    public KLDivLoss(Reduction reduction, boolean logTarget) {
        this.reduction = reduction;
        this.logTarget = logTarget;
    }

    @Override
    public Tensor forward(Tensor x, Tensor y) {
        Loss.requireSameShape("KLDivLoss", x, y);
        Tensor l;
        if (logTarget) {
            l = y.exp().mul(y.sub(x));
        } else {
            // y·log y with 0·log 0 = 0: log of max(y, tiny) is finite, and y = 0 zeroes the product
            Tensor yLogY = Kernels.zip(BinaryOp.MUL, y, Kernels.map(UnaryOp.LOG, Kernels.zipScalar(BinaryOp.MAX, y, Float.MIN_NORMAL)));
            l = yLogY.sub(y.mul(x));
        }
        if (reduction == Reduction.BATCHMEAN) return l.sum().div(x.dim() == 0 ? 1 : x.size(0));
        return Loss.reduce("KLDivLoss", l, reduction);
    }
}
