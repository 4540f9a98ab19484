package jgrad.nn;

import java.util.Arrays;
import jgrad.ops.CrossEntropy;
import jgrad.tensor.Tensor;

/**
 * Cross-entropy on raw scores (logits), as {@code torch.nn.CrossEntropyLoss}: softmax turns the
 * scores of each example into probabilities pⱼ = eᶻʲ / Σₖ eᶻᵏ, and the loss is −log p_y for the
 * true class y, averaged over the batch (or summed, or per example).
 *
 * <p>Shapes: z: [N, C] logits · target: [N] class indices in 0…C−1 (as floats) · loss: scalar. As
 * in PyTorch, also the K-dimensional form for sequences and images: z [N, C, d₁…dₖ] with target
 * [N, d₁…dₖ] (or probabilities [N, C, d₁…dₖ]), every position one classification; it is the [N·d₁…dₖ, C]
 * case (classes moved last, the positions as rows), and reduction NONE gives [N, d₁…dₖ].
 *
 * <p>Derivative: ℓ = −z_y + log Σₖ eᶻᵏ, so ∂ℓ/∂zⱼ = pⱼ − [j = y]: the predicted probabilities minus
 * the one-hot target. The per-example loss and that gradient are the fused op
 * {@link jgrad.ops.CrossEntropy} (one pass, stable log-sum-exp); this class checks the targets and
 * applies the reduction.
 *
 * <p>Checked by: {@code jgrad.nn.LossesTest} (PyTorch reference values, gradient check).
 */
public class CrossEntropyLoss implements Loss {
    private final Reduction reduction;
    private final Tensor weight;
    private final Integer ignoreIndex;
    private final float labelSmoothing;

    public CrossEntropyLoss() {
        this(Reduction.MEAN);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this(null, null, 0f, reduction);
    }

    /**
     * @param weight         one weight per class [C] (rare classes count more), or null
     * @param ignoreIndex    targets equal to it add nothing and are not counted, or null for none
     *                       (PyTorch ignores −100 by default; jgrad reports −100 as a bad target
     *                       unless asked to ignore it, rather than skipping it silently)
     * @param labelSmoothing ε in [0, 1): the target becomes (1 − ε)·one-hot + ε/C
     */
    public CrossEntropyLoss(Tensor weight, Integer ignoreIndex, float labelSmoothing, Reduction reduction) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        if (reduction == Reduction.BATCHMEAN) throw new IllegalArgumentException("CrossEntropyLoss: reduction BATCHMEAN is KLDivLoss's only");
        if (weight != null && weight.dim() != 1) {
            throw new IllegalArgumentException("CrossEntropyLoss: class weights must be 1-D [C], got " + Arrays.toString(weight.shape()));
        }
        this.reduction = reduction;
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor logits, Tensor target) {
        if (logits.dim() > 2) return positions(logits, target);
        if (logits.dim() != 2 || !(target.dim() == 1 && target.size(0) == logits.size(0) || Arrays.equals(target.shape(), logits.shape()))) {
            throw new IllegalArgumentException("CrossEntropyLoss: expected logits [N, C] and class indices [N] or class probabilities [N, C], got "
                    + Arrays.toString(logits.shape()) + " and " + Arrays.toString(target.shape()));
        }
        int classes = logits.size(1);
        if (weight != null && weight.size(0) != classes) {
            throw new IllegalArgumentException("CrossEntropyLoss: " + weight.size(0) + " class weights for " + classes + " classes");
        }
        if (target.dim() == 2) return probabilityTargets(logits, target, classes);
        if (weight != null || ignoreIndex != null || labelSmoothing != 0) return weightedIndices(logits, target, classes);
        boolean synchronous = logits.device().backend().synchronous();
        if (synchronous) ClassIndices.check("CrossEntropyLoss", target, classes, null);
        Tensor loss = Loss.reduce("CrossEntropyLoss", CrossEntropy.apply(logits, target), reduction);
        // On an asynchronous device (OpenCL) a check result read every step would stall the queue.
        // There the kernel turns a bad index into a NaN loss, and reading the loss names the target.
        if (!synchronous) loss.onRead(values -> {
            for (float v : values) {
                if (Float.isNaN(v)) {
                    ClassIndices.checkOnHost("CrossEntropyLoss", target.toFloatArray(), classes, null);
                    return;
                }
            }
        });
        return loss;
    }

    /** [N, C, d₁…dₖ]: one classification per position, as rows of [N·d₁…dₖ, C]. */
    private Tensor positions(Tensor logits, Tensor target) {
        int[] s = logits.shape(), t = target.shape();
        int[] positions = new int[s.length - 1];  // [N, d₁…dₖ]
        positions[0] = s[0];
        System.arraycopy(s, 2, positions, 1, s.length - 2);
        boolean indices = Arrays.equals(t, positions), probabilities = Arrays.equals(t, s);
        if (!indices && !probabilities) {
            throw new IllegalArgumentException("CrossEntropyLoss: logits " + Arrays.toString(s) + " need class indices "
                    + Arrays.toString(positions) + " or class probabilities " + Arrays.toString(s) + ", got " + Arrays.toString(t));
        }
        int[] classesLast = new int[s.length];  // 0, 2, 3, …, 1
        for (int i = 0, j = 0; i < s.length; i++) if (i != 1) classesLast[j++] = i;
        classesLast[s.length - 1] = 1;
        Tensor rows = logits.permute(classesLast).reshape(-1, s[1]);
        Tensor targets = indices ? target.reshape(-1) : target.permute(classesLast).reshape(-1, s[1]);
        Tensor loss = forward(rows, targets);
        return reduction == Reduction.NONE ? loss.reshape(positions) : loss;
    }

    /**
     * Class indices with weights, an ignore index or label smoothing, as PyTorch computes them:
     * ℓₙ = (1 − ε)·(−w_y·log p_y) + (ε/C)·(−Σ_c w_c·log p_c), 0 for ignored rows; the mean divides by
     * Σ w_y over the rows not ignored (the count of them without weights).
     */
    private Tensor weightedIndices(Tensor logits, Tensor target, int classes) {
        ClassIndices.check("CrossEntropyLoss", target, classes, ignoreIndex);
        Tensor logP = Functional.logSoftmax(logits, 1);
        NLLLoss.Parts nll = NLLLoss.parts(logP, target, classes, weight, ignoreIndex);
        Tensor perExample = nll.loss();
        if (labelSmoothing != 0) {
            Tensor all = weight == null ? logP : logP.mul(weight);
            Tensor smooth = all.sum(1, false).neg().mul(nll.kept());
            perExample = perExample.mul(1 - labelSmoothing).add(smooth.mul(labelSmoothing / classes));
        }
        return switch (reduction) {
            case NONE -> perExample;
            case SUM -> perExample.sum();
            default -> perExample.sum().div(nll.rowWeights().sum().detach());
        };
    }

    /**
     * Probabilities as targets (soft labels, or a one-hot matrix as the tutorial makes):
     * ℓₙ = −Σ_c w_c·y_c·log p_c with y smoothed to (1 − ε)·y + ε/C; the mean is over the N examples.
     */
    private Tensor probabilityTargets(Tensor logits, Tensor target, int classes) {
        if (ignoreIndex != null) throw new IllegalArgumentException("CrossEntropyLoss: an ignore index needs class-index targets [N], not probabilities");
        Tensor y = labelSmoothing == 0 ? target : target.mul(1 - labelSmoothing).add(labelSmoothing / classes);
        Tensor terms = Functional.logSoftmax(logits, 1).mul(y.detach());
        if (weight != null) terms = terms.mul(weight);
        Tensor perExample = terms.sum(1, false).neg();
        return switch (reduction) {
            case NONE -> perExample;
            case SUM -> perExample.sum();
            default -> perExample.mean();
        };
    }

    @Override
    public Targets targets() {
        return Targets.CLASS_INDICES;
    }
}
