package jgrad.nn;

import java.util.Arrays;
import jgrad.tensor.Tensor;

/**
 * The multi-class hinge loss of {@code torch.nn.MultiMarginLoss} (a multi-class SVM): every wrong
 * class i whose score comes within the margin Δ of the true class y's costs
 * <pre>
 * ℓₙ = Σ_{i ≠ y} w[y]·max(0, Δ − x[y] + x[i])ᵖ / C       (p = 1 or 2; w = 1 without class weights)
 * </pre>
 * Shapes: x [N, C], target [N] class indices. ∂ℓ/∂x[i] = p·mᵢᵖ⁻¹/C for each active wrong class
 * (mᵢ &gt; 0), and minus their sum for x[y]. Checked by: {@code jgrad.nn.TrainingLossesTest}.
 * Derivation: docs/ops/losses.md.
 */
public class MultiMarginLoss implements Loss {
    private final int p;
    private final float margin;
    private final Tensor weight;
    private final Reduction reduction;

    public MultiMarginLoss() {
        this(1, 1f, null, Reduction.MEAN);
    }

    public MultiMarginLoss(int p, float margin, Reduction reduction) {
        this(p, margin, null, reduction);
    }

    /** @param weight one weight per class [C] (or null): example n's terms are multiplied by w[yₙ] */
    public MultiMarginLoss(int p, float margin, Tensor weight, Reduction reduction) {
        if (p != 1 && p != 2) throw new IllegalArgumentException("MultiMarginLoss: p must be 1 or 2, got " + p);
        this.p = p;
        this.margin = margin;
        this.weight = weight;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor x, Tensor target) {
        if (x.dim() != 2 || target.dim() != 1 || target.size(0) != x.size(0)) {
            throw new IllegalArgumentException("MultiMarginLoss: expected input [N, C] and class indices [N], got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(target.shape()));
        }
        int classes = x.size(1);
        ClassIndices.check("MultiMarginLoss", target, classes, null);
        Tensor oneHot = Functional.oneHot(target, classes);
        Tensor trueScore = x.mul(oneHot).sum(1, true);                           // x[y], as [N, 1]
        Tensor m = x.sub(trueScore).add(margin).relu();                          // max(0, Δ − x[y] + x[i])
        if (p == 2) m = m.square();
        if (weight != null) {
            if (weight.dim() != 1 || weight.size(0) != classes) {
                throw new IllegalArgumentException("MultiMarginLoss: class weights of shape " + Arrays.toString(weight.shape())
                        + " for " + classes + " classes");
            }
            m = m.mul(oneHot.mul(weight).sum(1, true));                        // × w[y]
        }
        Tensor perExample = m.mul(oneHot.neg().add(1f)).sum(1, false).div(classes);  // i ≠ y only
        return Loss.reduce("MultiMarginLoss", perExample, reduction);
    }
}
