package jgrad.train;

import java.io.PrintStream;

/**
 * Stops the run when the monitored number has not improved for {@code patience} epochs (by more
 * than the {@link BestEpoch}'s minDelta).
 */
public final class EarlyStopping implements Trainer.Callback {
    private final BestEpoch best;
    private final int patience;
    private final PrintStream out;

    public EarlyStopping(BestEpoch best, int patience, PrintStream out) {
        if (patience < 1) throw new IllegalArgumentException("EarlyStopping: patience must be ≥ 1, got " + patience);
        this.best = best;
        this.patience = patience;
        this.out = out;
    }

    @Override
    public void onEpochEnd(Trainer trainer, History.Epoch e) {
        if (best.sinceBest() < patience) return;
        if (out != null) out.printf("early stop: %s has not improved for %d epochs%n", best.monitor(), patience);
        trainer.requestStop();
    }
}
