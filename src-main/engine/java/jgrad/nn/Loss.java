package jgrad.nn;

import jgrad.tensor.Tensor;

/** A cost function: compares a prediction with a target and returns (usually) a scalar to minimise. */
public interface Loss {
    Tensor forward(Tensor input, Tensor target);

    /**
     * What this loss's targets are, so that a training loop can pick a metric for the task
     * ({@code jgrad.metrics.Metric.forTask}): values to regress to, class indices (with the classes
     * in dimension 1 of a [N, C, d₁…dₖ] input, as PyTorch's), or something else (the default).
     */
    enum Targets { VALUES, CLASS_INDICES, OTHER }

    default Targets targets() {
        return Targets.OTHER;
    }

    /**
     * How per-element losses are combined, as PyTorch's {@code reduction} argument. BATCHMEAN (the
     * sum divided by the batch size) is KLDivLoss's only.
     */
    enum Reduction { NONE, MEAN, SUM, BATCHMEAN }

    /** Applies NONE, MEAN (over all elements) or SUM; the error names the loss for anything else. */
    static Tensor reduce(String loss, Tensor perElement, Reduction r) {
        return switch (r) {
            case NONE -> perElement;
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case BATCHMEAN -> throw new IllegalArgumentException(loss + ": reduction BATCHMEAN is KLDivLoss's only");
        };
    }

    /** A clear error unless input and target have the same shape. */
    static void requireSameShape(String loss, Tensor input, Tensor target) {
        if (!java.util.Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(loss + ": input of shape " + java.util.Arrays.toString(input.shape())
                    + " and target of shape " + java.util.Arrays.toString(target.shape()) + " differ");
        }
    }
}
