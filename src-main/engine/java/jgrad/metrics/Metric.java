package jgrad.metrics;

import java.util.Arrays;
import jgrad.tensor.Tensor;

/**
 * A score kept over the batches of an epoch, next to the loss: what a training loop reports and
 * may monitor. It adds up on the device and is read once, at the end (a read per batch would make
 * a GPU wait every step). Which one fits depends on the task: {@link #forTask} picks it from the
 * shapes of a batch's output and targets.
 *
 * <ul>
 *   <li>classification, scores [N, C] against class indices [N]: {@link Accuracy};</li>
 *   <li>a sequence of classifications, [N, T, C] against [N, T] (or any [..., C] against [...]), or
 *       with CrossEntropyLoss / NLLLoss PyTorch's [N, C, d₁…dₖ] against [N, d₁…dₖ]: {@link Accuracy}
 *       per position;</li>
 *   <li>regression (a squared or absolute error loss, output and targets of one shape):
 *       {@link MeanAbsoluteError}.</li>
 * </ul>
 * Other losses on targets of the output's shape (cross-entropy on probabilities, binary
 * cross-entropy on labels) get no metric: the error of logits against labels would mean nothing.
 */
public interface Metric {
    /** The column name in a history ("accuracy", "mae"). */
    String name();

    /** Whether a larger value is better (accuracy) or a smaller one (an error). */
    boolean higherIsBetter();

    /** Adds one batch (called without a graph being recorded). */
    void add(Tensor output, Tensor targets);

    /** The value over every batch added so far; NaN before the first. */
    double value();

    /**
     * A new metric for the task that {@code loss} and these shapes show, or null when none fits
     * (the loop then reports the loss alone). Class indices are recognised by rank: the output has
     * one dimension more than the targets, and their other sizes agree.
     */
    static Metric forTask(jgrad.nn.Loss loss, Tensor output, Tensor targets) {
        int[] o = output.shape(), t = targets.shape();
        if (loss.targets() == jgrad.nn.Loss.Targets.CLASS_INDICES && o.length > 2 && o.length == t.length + 1 && o[0] == t[0]
                && Arrays.equals(Arrays.copyOfRange(o, 2, o.length), Arrays.copyOfRange(t, 1, t.length))) {
            return new Accuracy(true);  // PyTorch's K-dimensional form: [N, C, d₁…dₖ] against [N, d₁…dₖ]
        }
        if (o.length == t.length + 1 && Arrays.equals(Arrays.copyOf(o, t.length), t)) return new Accuracy();
        if (loss.targets() == jgrad.nn.Loss.Targets.VALUES && Arrays.equals(o, t)) return new MeanAbsoluteError();
        return null;
    }
}
