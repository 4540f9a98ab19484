package jgrad.nn;

import jgrad.backend.BinaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * The hinge loss of {@code torch.nn.HingeEmbeddingLoss}: with labels y = ±1 and a margin Δ,
 * ℓ = x where y = 1, and ℓ = max(0, Δ − x) where y = −1 (x is usually a distance: small for similar
 * pairs, at least Δ for dissimilar ones).
 *
 * <p>∂ℓ/∂x = 1 where y = 1; −1 where y = −1 and x &lt; Δ; else 0 (at x = Δ exactly we take 0, PyTorch
 * −1). Checked by: {@code jgrad.nn.TrainingLossesTest}. Derivation: docs/ops/losses.md.
 */
public class HingeEmbeddingLoss implements Loss {
    private final float margin;
    private final Reduction reduction;

    public HingeEmbeddingLoss() {
        this(1f, Reduction.MEAN);
    }

    public HingeEmbeddingLoss(float margin, Reduction reduction) {
        this.margin = margin;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor x, Tensor y) {
        Loss.requireSameShape("HingeEmbeddingLoss", x, y);
        // PyTorch's where(y ≠ 1, max(0, Δ − x), 0) + where(y ≠ −1, x, 0), with the masks as 0/1 numbers
        Tensor notPositive = Kernels.zipScalar(BinaryOp.SUB, Kernels.zipScalar(BinaryOp.EQ, y, 1f).neg(), -1f);
        Tensor notNegative = Kernels.zipScalar(BinaryOp.SUB, Kernels.zipScalar(BinaryOp.EQ, y, -1f).neg(), -1f);
        Tensor l = x.neg().add(margin).relu().mul(notPositive).add(x.mul(notNegative));
        return Loss.reduce("HingeEmbeddingLoss", l, reduction);
    }
}
