package jgrad.tune;

/**
 * Where a trial stands. RUNNING is owned by a live process; a process that dies (Ctrl-C, kill -9)
 * leaves its trials RUNNING, and the next run of the study finds the owner gone and makes them
 * INTERRUPTED, then runs them again under the same number (so none is lost, none duplicated, none
 * stuck). COMPLETE, PRUNED and FAIL are finished.
 */
public enum TrialState {
    RUNNING, COMPLETE, PRUNED, FAIL, INTERRUPTED;

    public boolean finished() {
        return this == COMPLETE || this == PRUNED || this == FAIL;
    }
}
