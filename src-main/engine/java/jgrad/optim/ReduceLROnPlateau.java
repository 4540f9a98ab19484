package jgrad.optim;

/**
 * The adaptive schedule (torch ReduceLROnPlateau): watch a metric (validation loss, or accuracy
 * with mode MAX) and, when it has not improved for more than {@code patience} epochs, multiply the
 * rate by {@code factor} (not below {@code minLr}), then wait {@code cooldown} epochs before
 * counting again. Every parameter group is reduced, each from its own rate.
 *
 * <pre>
 * better(a) = a &lt; best·(1 − threshold)   (MIN, REL)      a &lt; best − threshold   (MIN, ABS)
 *             a &gt; best·(1 + threshold)   (MAX, REL)      a &gt; best + threshold   (MAX, ABS)
 * step(metric):
 *     if better(metric): best ← metric, bad ← 0   else bad ← bad + 1
 *     if cooling down: cooldown left − 1, bad ← 0
 *     if bad &gt; patience: η ← max(η·factor, minLr) (if that changes η by more than eps);
 *                        cooldown left ← cooldown, bad ← 0
 * </pre>
 */
public final class ReduceLROnPlateau {
    public enum Mode { MIN, MAX }

    public enum ThresholdMode { REL, ABS }

    private final Optimizer optimizer;
    private final Mode mode;
    private final ThresholdMode thresholdMode;
    private final double factor, threshold, minLr, eps;
    private final int patience, cooldown;
    private double best;
    private int badEpochs, cooldownLeft, lastEpoch;

    /** PyTorch's defaults: MIN, factor 0.1, patience 10, threshold 1e-4 relative, no cooldown, min lr 0. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8);
    }

    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold,
                             ThresholdMode thresholdMode, int cooldown, double minLr, double eps) {
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in (0, 1), got " + factor);
        if (patience < 0 || cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience and cooldown must be ≥ 0, got " + patience + " and " + cooldown);
        }
        this.optimizer = optimizer;
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.eps = eps;
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    private boolean better(double a) {
        return switch (mode) {
            case MIN -> thresholdMode == ThresholdMode.REL ? a < best * (1 - threshold) : a < best - threshold;
            case MAX -> thresholdMode == ThresholdMode.REL ? a > best * (1 + threshold) : a > best + threshold;
        };
    }

    /** One epoch done, with this value of the watched metric. */
    public void step(double metric) {
        if (Double.isNaN(metric)) throw new IllegalArgumentException("ReduceLROnPlateau: the metric is NaN at epoch " + (lastEpoch + 1));
        lastEpoch++;
        if (better(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            for (ParamGroup g : optimizer.paramGroups()) {
                double old = g.lr(), reduced = Math.max(old * factor, minLr);
                if (old - reduced > eps) g.setLr((float) reduced);
            }
            cooldownLeft = cooldown;
            badEpochs = 0;
        }
    }

    /** {best, bad epochs, cooldown left, epochs stepped}: what a checkpoint keeps. */
    public double[] state() {
        return new double[] {best, badEpochs, cooldownLeft, lastEpoch};
    }

    /** Continues from {@link #state()} (the rates themselves are in the optimizer's state). */
    public void loadState(double[] s) {
        best = s[0];
        badEpochs = (int) s[1];
        cooldownLeft = (int) s[2];
        lastEpoch = (int) s[3];
    }

    /** The best metric so far. */
    public double best() {
        return best;
    }

    public int lastEpoch() {
        return lastEpoch;
    }
}
