package jgrad.metrics;

import java.util.Arrays;
import jgrad.autograd.NoGrad;
import jgrad.tensor.Tensor;

/** Regression's score: the mean of |output − target| over every element of every batch (lower is better). */
public final class MeanAbsoluteError implements Metric {
    private Tensor sum;  // Σ |output − target|, on the device
    private long seen;

    @Override
    public String name() {
        return "mae";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public void add(Tensor output, Tensor targets) {
        if (!Arrays.equals(output.shape(), targets.shape())) {
            throw new IllegalArgumentException("mae: output " + Arrays.toString(output.shape()) + " and targets "
                    + Arrays.toString(targets.shape()) + " differ in shape");
        }
        try (NoGrad scope = NoGrad.enter()) {
            Tensor s = output.sub(targets).abs().sum();
            sum = sum == null ? s : sum.add(s);
        }
        seen += targets.numel();
    }

    @Override
    public double value() {
        return sum == null ? Double.NaN : sum.item() / (double) seen;
    }
}
