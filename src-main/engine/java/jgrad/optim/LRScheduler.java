package jgrad.optim;

/**
 * A learning rate that changes with the epoch, as {@code torch.optim.lr_scheduler}: call
 * {@link #step()} once per epoch, after that epoch's optimizer steps. The rate is a function of the
 * epoch count, {@link #lrAt}, computed in double from the optimizer's initial rate, so that a long
 * schedule does not accumulate float rounding, and stored in double ({@link ParamGroup#lr()}), as
 * PyTorch keeps it; {@link #getLastLr()} reads it back.
 *
 * <p>Decaying (StepLR, MultiStepLR, ExponentialLR), scheduled (CosineAnnealingLR, LinearLR warm-up,
 * SequentialLR to chain them) and adaptive ({@link ReduceLROnPlateau}, which watches a metric and is
 * not a subclass: its rate depends on the metrics seen, not on the epoch).
 *
 * <p>Checked by: {@code jgrad.optim.LRSchedulerTest} (the same rates as PyTorch, epoch by epoch).
 */
public abstract non-sealed class LRScheduler implements Scheduler {
    protected final Optimizer optimizer;
    private int lastEpoch;

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        for (ParamGroup g : optimizer.paramGroups()) g.initialLr();  // fix each group's base now
    }

    /** The learning rate at {@code epoch} (0 = before the first step) of a group whose initial rate is {@code base}. */
    public abstract double lrAt(int epoch, double base);

    /** The learning rate of the first parameter group at {@code epoch}. */
    public double lrAt(int epoch) {
        return lrAt(epoch, optimizer.paramGroups().get(0).initialLr());
    }

    private void apply(int epoch) {
        for (ParamGroup g : optimizer.paramGroups()) g.setLr(lrAt(epoch, g.initialLr()));
    }

    /** Subclasses call this last in their constructor: the optimizer starts at the rate of epoch 0. */
    protected final void start() {
        apply(0);
    }

    /** One epoch done: every parameter group gets the next epoch's rate. */
    public void step() {
        lastEpoch++;
        apply(lastEpoch);
    }

    /** Each group's rate now (PyTorch's {@code get_last_lr()}). */
    @Override
    public java.util.List<Double> getLastLr() {
        return Scheduler.ratesOf(optimizer);
    }

    /** Epochs stepped so far (for checkpoints). */
    @Override
    public int lastEpoch() {
        return lastEpoch;
    }

    /** Continues a schedule from a checkpoint: as if {@link #step()} had been called {@code epoch} times. */
    public void resumeAt(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be ≥ 0, got " + epoch);
        lastEpoch = epoch;
        apply(epoch);
    }

    static void requirePositive(String what, double v) {
        if (!(v > 0)) throw new IllegalArgumentException(what + " must be > 0, got " + v);
    }
}
