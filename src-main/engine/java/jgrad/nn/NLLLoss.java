package jgrad.nn;

import java.util.Arrays;
import jgrad.backend.BinaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Negative log-likelihood, as {@code torch.nn.NLLLoss}: the input holds log-probabilities (a
 * LogSoftmax's output), and each example costs minus the one of its class, weighted:
 * <pre>
 * ℓₙ = −w[yₙ]·x[n, yₙ]     (0 when yₙ is the ignore index)
 * mean = Σₙ ℓₙ / Σₙ w[yₙ]   over the examples not ignored (a weighted mean, as PyTorch)
 * </pre>
 * Shapes: x [N, C], target [N] class indices, weight [C] or none. ∂ℓₙ/∂x[n, c] = −w[c]·[c = yₙ].
 * LogSoftmax + NLLLoss = {@link CrossEntropyLoss}. Checked by: {@code jgrad.nn.TrainingLossesTest}.
 * Derivation: docs/ops/losses.md.
 */
public class NLLLoss implements Loss {
    private final Tensor weight;
    private final Integer ignoreIndex;
    private final Reduction reduction;

    public NLLLoss() {
        this(null, null, Reduction.MEAN);
    }

    public NLLLoss(Tensor weight, Integer ignoreIndex, Reduction reduction) {
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
    }

    /**
     * Per-example ℓₙ, the weight w[yₙ] of each row (0 when ignored) and the 0/1 mask of the rows
     * kept. Shared with CrossEntropyLoss.
     */
    record Parts(Tensor loss, Tensor rowWeights, Tensor kept) {}

    static Parts parts(Tensor x, Tensor target, int classes, Tensor weight, Integer ignoreIndex) {
        Tensor kept = ignoreIndex == null ? Tensor.full(x.device(), 1f, target.shape())
                : Kernels.zipScalar(BinaryOp.EQ, target, ignoreIndex).neg().add(1f);
        Tensor index = ignoreIndex == null ? target : target.mul(kept);  // an ignored row picks class 0, then counts 0
        Tensor oneHot = Functional.oneHot(index, classes);
        Tensor rowWeights = (weight == null ? kept : oneHot.mul(weight).sum(1, false).mul(kept)).detach();
        Tensor picked = x.mul(oneHot).sum(1, false);                        // x[n, yₙ]
        return new Parts(picked.mul(rowWeights).neg(), rowWeights, kept);
    }

    @Override
    public Tensor forward(Tensor x, Tensor target) {
        if (x.dim() != 2 || target.dim() != 1 || target.size(0) != x.size(0)) {
            throw new IllegalArgumentException("NLLLoss: expected log-probabilities [N, C] and class indices [N], got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(target.shape()));
        }
        int classes = x.size(1);
        if (weight != null && (weight.dim() != 1 || weight.size(0) != classes)) {
            throw new IllegalArgumentException("NLLLoss: class weights of shape " + Arrays.toString(weight.shape()) + " for " + classes + " classes");
        }
        ClassIndices.check("NLLLoss", target, classes, ignoreIndex);
        Parts p = parts(x, target, classes, weight, ignoreIndex);
        return switch (reduction) {
            case NONE -> p.loss();
            case SUM -> p.loss().sum();
            case MEAN -> p.loss().sum().div(p.rowWeights().sum());
            case BATCHMEAN -> throw new IllegalArgumentException("NLLLoss: reduction BATCHMEAN is KLDivLoss's only");
        };
    }

    @Override
    public Targets targets() {
        return Targets.CLASS_INDICES;
    }
}
