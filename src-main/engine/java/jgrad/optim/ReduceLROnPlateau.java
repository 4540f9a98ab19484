package jgrad.optim;

import java.util.List;

/**
 * The adaptive schedule (torch ReduceLROnPlateau): watch a metric (validation loss, or accuracy
 * with mode MAX) and, when it has not improved for more than {@code patience} epochs, multiply the
 * rate by {@code factor} (not below {@code minLr}), then wait {@code cooldown} epochs before
 * counting again. Every parameter group is reduced, each from its own rate and down to its own
 * minimum (PyTorch's {@code min_lr} as a list), in double as PyTorch keeps rates. A {@link Scheduler}
 * like the epoch-driven ones ({@link #getLastLr()}, {@link #lastEpoch()}), stepped with a metric.
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
public final class ReduceLROnPlateau implements Scheduler {
    public enum Mode { MIN, MAX }

    public enum ThresholdMode { REL, ABS }

    private final Optimizer optimizer;
    private final Mode mode;
    private final ThresholdMode thresholdMode;
    private final double factor, threshold, eps;
    private final double[] minLrs;  // one per parameter group
    private final int patience, cooldown;
    private double best;
    private int badEpochs, cooldownLeft, lastEpoch;

    /** PyTorch's defaults: MIN, factor 0.1, patience 10, threshold 1e-4 relative, no cooldown, min lr 0. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8);
    }

    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold,
                             ThresholdMode thresholdMode, int cooldown, double minLr, double eps) {
        this(optimizer, mode, factor, patience, threshold, thresholdMode, cooldown,
                java.util.Collections.nCopies(optimizer.paramGroups().size(), minLr).stream().mapToDouble(Double::doubleValue).toArray(), eps);
    }

    /** With one minimum rate per parameter group, in group order (PyTorch's min_lr list). */
    public ReduceLROnPlateau(Optimizer optimizer, Mode mode, double factor, int patience, double threshold,
                             ThresholdMode thresholdMode, int cooldown, double[] minLrs, double eps) {
        if (minLrs.length != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("ReduceLROnPlateau: " + minLrs.length + " minimum rates for "
                    + optimizer.paramGroups().size() + " parameter groups");
        }
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
        this.minLrs = minLrs.clone();
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
            List<ParamGroup> groups = optimizer.paramGroups();
            for (int i = 0; i < groups.size(); i++) {
                double old = groups.get(i).lr(), reduced = Math.max(old * factor, minLrs[i]);
                if (old - reduced > eps) groups.get(i).setLr(reduced);
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

    @Override
    public List<Double> getLastLr() {
        return Scheduler.ratesOf(optimizer);
    }

    @Override
    public int lastEpoch() {
        return lastEpoch;
    }
}
