package jgrad.tune;

/** Thrown by an objective when {@link Trial#shouldPrune()} says stop: the study records the trial PRUNED. */
public final class TrialPruned extends RuntimeException {
    public TrialPruned(int step) {
        super("pruned at step " + step, null, false, false);
    }
}
