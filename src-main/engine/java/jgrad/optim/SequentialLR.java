package jgrad.optim;

import java.util.Arrays;
import java.util.List;

/**
 * Several schedules one after another (torch SequentialLR): schedule i runs from milestone i − 1
 * (or 0) to milestone i, restarting at its own epoch 0, e.g. a LinearLR warm-up, then cosine decay.
 * All schedules must belong to the same optimizer (they share its initial rate).
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        super(optimizer);
        if (schedulers.size() != milestones.length + 1) {
            throw new IllegalArgumentException("SequentialLR: " + schedulers.size() + " schedulers need "
                    + (schedulers.size() - 1) + " milestones, got " + Arrays.toString(milestones));
        }
        for (LRScheduler s : schedulers) {
            if (s.optimizer != optimizer) throw new IllegalArgumentException("SequentialLR: a scheduler belongs to another optimizer");
        }
        for (int i = 1; i < milestones.length; i++) {
            if (milestones[i] <= milestones[i - 1]) {
                throw new IllegalArgumentException("SequentialLR: milestones must increase, got " + Arrays.toString(milestones));
            }
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        start();
    }

    @Override
    public double lrAt(int epoch, double base) {
        int i = 0, from = 0;
        while (i < milestones.length && milestones[i] <= epoch) from = milestones[i++];
        return schedulers.get(i).lrAt(epoch - from, base);
    }
}
