package jgrad.optim;

import java.util.List;

/**
 * What every learning-rate scheduler answers, the epoch-driven {@link LRScheduler}s and the
 * metric-driven {@link ReduceLROnPlateau} alike (PyTorch's {@code get_last_lr()} and
 * {@code last_epoch}).
 */
public sealed interface Scheduler permits LRScheduler, ReduceLROnPlateau {
    /** Each parameter group's current rate, in double as PyTorch keeps it, in group order. */
    List<Double> getLastLr();

    /** Steps taken so far. */
    int lastEpoch();

    /** The rates of {@code optimizer}'s groups. */
    static List<Double> ratesOf(Optimizer optimizer) {
        return optimizer.paramGroups().stream().map(ParamGroup::lr).toList();
    }
}
