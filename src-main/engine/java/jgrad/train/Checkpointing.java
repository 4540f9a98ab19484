package jgrad.train;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import jgrad.optim.LRScheduler;
import jgrad.optim.ReduceLROnPlateau;

/**
 * Writes a {@link Checkpoint} after every epoch (model, optimizer, schedules, the best epoch's
 * state, history) and, when resuming, starts the run from the last one: the epochs after it then
 * go exactly as in the uninterrupted run.
 */
public final class Checkpointing implements Trainer.Callback {
    private final Path file;
    private final boolean resume;
    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;
    private final BestEpoch best;
    private final PrintStream out;

    public Checkpointing(Path file, boolean resume, LRScheduler scheduler, ReduceLROnPlateau plateau, BestEpoch best, PrintStream out) {
        this.file = file;
        this.resume = resume;
        this.scheduler = scheduler;
        this.plateau = plateau;
        this.best = best;
        this.out = out;
    }

    private Checkpoint checkpoint(Trainer trainer) {
        return new Checkpoint(file, trainer.model(), trainer.optimizer(), scheduler, plateau);
    }

    @Override
    public void onFitStart(Trainer trainer) {
        if (!resume || !Files.exists(file)) return;
        Checkpoint.Resumed r = checkpoint(trainer).load(trainer.history());
        best.restore(r.best(), r.bestValue(), r.sinceBest());
        trainer.startAt(r.epoch() + 1);
        if (out != null) out.printf("resumed from %s after epoch %d%n", file, r.epoch());
    }

    @Override
    public void onEpochEnd(Trainer trainer, History.Epoch e) {
        checkpoint(trainer).save(e.epoch(), trainer.history(), best.weights(), best.bestValue(), best.sinceBest());
    }
}
