package jgrad.optim;

import java.util.List;
import jgrad.nn.Parameter;

/**
 * Parameters that share a learning rate and (optionally) a weight decay, as an entry of PyTorch's
 * {@code optimizer.param_groups}: a pretrained backbone with a small rate, a new head with a larger
 * one. Made by the optimizer's constructor (group 0) and {@link Optimizer#addParamGroup}.
 *
 * <p>The rate is a double, as PyTorch keeps it (a Python float): schedules compute and store it in
 * double, and the optimizers round it to float32 only where a kernel multiplies with it, so a
 * schedule's sequence of rates is PyTorch's to the last bits instead of ~1e-8 off.
 */
public final class ParamGroup {
    private final List<Parameter> params;
    private final Float weightDecay;  // null: the optimizer's
    private double lr;
    private Double initialLr;         // set by the first LRScheduler

    ParamGroup(List<Parameter> params, double lr, Float weightDecay) {
        if (!(lr >= 0)) throw new IllegalArgumentException("learning rate must be ≥ 0, got " + lr);
        if (weightDecay != null && !(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be ≥ 0, got " + weightDecay);
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        this.params = List.copyOf(params);
        this.lr = lr;
        this.weightDecay = weightDecay;
    }

    public List<Parameter> params() {
        return params;
    }

    public double lr() {
        return lr;
    }

    public void setLr(double lr) {
        this.lr = lr;
    }

    /** This group's weight decay, or the optimizer's {@code fallback} when the group sets none. */
    public float weightDecay(float fallback) {
        return weightDecay == null ? fallback : weightDecay;
    }

    /**
     * The rate the first scheduler found (PyTorch's {@code initial_lr}): schedules scale this one,
     * so chained schedules agree on their base.
     */
    public double initialLr() {
        if (initialLr == null) initialLr = lr;
        return initialLr;
    }

    void restoreInitialLr(double value) {
        initialLr = value;
    }
}
