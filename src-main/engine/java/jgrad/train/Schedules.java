package jgrad.train;

import jgrad.optim.LRScheduler;
import jgrad.optim.ReduceLROnPlateau;

/** Steps the learning-rate schedule once per epoch, and ReduceLROnPlateau with the monitored number. */
public final class Schedules implements Trainer.Callback {
    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;
    private final BestEpoch monitored;

    public Schedules(LRScheduler scheduler, ReduceLROnPlateau plateau, BestEpoch monitored) {
        this.scheduler = scheduler;
        this.plateau = plateau;
        this.monitored = monitored;
    }

    @Override
    public void onEpochEnd(Trainer trainer, History.Epoch e) {
        if (scheduler != null) scheduler.step();
        if (plateau != null) plateau.step(monitored.lastValue());
    }
}
