package jgrad.metrics;

import java.util.Arrays;
import jgrad.autograd.NoGrad;
import jgrad.backend.BinaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * The share of predictions whose highest score is the target class: scores [..., C] against class
 * indices [...] ([N, C] against [N] for classification, [N, T, C] against [N, T] for a sequence,
 * counted per position), or, with the classes in dimension 1 as PyTorch's CrossEntropyLoss takes
 * them, [N, C, d₁…dₖ] against [N, d₁…dₖ]. The correct ones are summed on the device.
 */
public final class Accuracy implements Metric {
    private final boolean classesFirst;
    private Tensor correct;  // Σ [argmax = target], on the device
    private long seen;

    /** Classes in the last dimension. */
    public Accuracy() {
        this(false);
    }

    /** {@code classesFirst}: classes in dimension 1 ([N, C, d₁…dₖ]), else in the last. */
    public Accuracy(boolean classesFirst) {
        this.classesFirst = classesFirst;
    }

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
        int classDim = classesFirst && scores.dim() > 1 ? 1 : scores.dim() - 1;
        int[] positions = new int[Math.max(0, scores.dim() - 1)];
        for (int i = 0, j = 0; i < scores.dim(); i++) if (i != classDim) positions[j++] = scores.size(i);
        if (scores.dim() - 1 != targets.dim() || !Arrays.equals(positions, targets.shape())) {
            throw new IllegalArgumentException("accuracy: expected scores " + (classesFirst ? "[N, C, ...] and class indices [N, ...]"
                    : "[..., C] and class indices [...]") + ", got " + Arrays.toString(scores.shape()) + " and " + Arrays.toString(targets.shape()));
        }
        try (NoGrad scope = NoGrad.enter()) {
            Tensor c = Kernels.zip(BinaryOp.EQ, scores.argmax(classDim, false), targets).sum();
            correct = correct == null ? c : correct.add(c);
        }
        seen += targets.numel();
    }

    @Override
    public double value() {
        return correct == null ? Double.NaN : correct.item() / (double) seen;
    }
}
