package jgrad.metrics;

import java.util.Arrays;
import jgrad.autograd.NoGrad;
import jgrad.backend.BinaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * The share of predictions whose highest score is the target class: scores [..., C] against class
 * indices [...] ([N, C] against [N] for classification, [N, T, C] against [N, T] for a sequence,
 * counted per position). The correct ones are summed on the device.
 */
public final class Accuracy implements Metric {
    private Tensor correct;  // Σ [argmax = target], on the device
    private long seen;

    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public void add(Tensor scores, Tensor targets) {
        int last = scores.dim() - 1;
        if (last != targets.dim() || !Arrays.equals(Arrays.copyOf(scores.shape(), last), targets.shape())) {
            throw new IllegalArgumentException("accuracy: expected scores [..., C] and class indices [...], got "
                    + Arrays.toString(scores.shape()) + " and " + Arrays.toString(targets.shape()));
        }
        try (NoGrad scope = NoGrad.enter()) {
            Tensor c = Kernels.zip(BinaryOp.EQ, scores.argmax(last, false), targets).sum();
            correct = correct == null ? c : correct.add(c);
        }
        seen += targets.numel();
    }

    @Override
    public double value() {
        return correct == null ? Double.NaN : correct.item() / (double) seen;
    }
}
