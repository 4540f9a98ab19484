package jgrad.tune.spark;

import java.util.List;
import jgrad.tune.ClusterRunner;
import jgrad.tune.FrozenTrial;
import jgrad.tune.Owners;
import jgrad.tune.StudyStorage;
import jgrad.tune.TrialState;

/**
 * What the driver checks when a round of tasks has returned: a trial whose executor was lost stays
 * RUNNING (nobody finished it) until someone finds its owner dead: gone from this host, or silent
 * for longer than PostgreSQL's stale time. The tasks of the round may all have ended before that
 * (each stops when no trial is left to claim), so the driver waits for such a trial to become
 * INTERRUPTED and then asks for another round, whose workers claim it first. A trial whose owner
 * still looks alive after the wait belongs to a worker outside this job, which finishes it.
 */
final class LeftOver {
    /** How long a RUNNING trial may wait for its owner to be judged (PostgreSQL's stale time is 60 s). */
    static final long WAIT_MILLIS = 150_000, POLL_MILLIS = 2_000;
    private final ClusterRunner.Job job;

    LeftOver(ClusterRunner.Job job) {
        this.job = job;
    }

    /** True when a trial is left to run again (INTERRUPTED); false when every trial is finished. */
    boolean awaitRerun() {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        try (StudyStorage db = StudyStorage.open(job.storage())) {
            long id = db.findStudy(job.study()).orElseThrow(() -> new IllegalStateException("study '" + job.study() + "' is gone from " + job.storage())).id();
            while (true) {
                db.interruptDeadOwners(id, Owners::alive);
                List<FrozenTrial> open = db.trials(id).stream().filter(t -> !t.state().finished()).toList();
                if (open.isEmpty()) return false;
                if (open.stream().anyMatch(t -> t.state() == TrialState.INTERRUPTED)) return true;
                // owners still alive after the stale time: another worker process runs them, and finishes them
                if (System.currentTimeMillis() > deadline) return false;
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a lost executor's trial", e);
        }
    }
}
