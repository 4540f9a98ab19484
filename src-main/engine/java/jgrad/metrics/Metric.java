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
 *   <li>a sequence of classifications, [N, T, C] against [N, T] (or any [..., C] against [...]):
 *       {@link Accuracy} per position;</li>
 *   <li>regression, output and targets of one shape: {@link MeanAbsoluteError}.</li>
 * </ul>
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
     * A new metric for the task these shapes show, or null when none fits (the loop then reports
     * the loss alone). Class indices are recognised by rank: the output has one dimension more
     * than the targets, and their other sizes agree.
     */
    static Metric forTask(Tensor output, Tensor targets) {
        int[] o = output.shape(), t = targets.shape();
        if (o.length == t.length + 1 && Arrays.equals(Arrays.copyOf(o, t.length), t)) return new Accuracy();
        if (Arrays.equals(o, t)) return new MeanAbsoluteError();
        return null;
    }
}
