package jgrad.tune;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link Study#optimize} call: {@code concurrency} workers, each claiming a trial from the
 * storage, waiting for the history it may see, choosing its configuration (never one an earlier
 * trial had) and running the objective.
 */
final class StudyRunner {
    /** How many draws a sampler gets to find a configuration no earlier trial had. */
    static final int MAX_DRAWS = 100;
    private static final long POLL_MILLIS = 20, OWNER_CHECK_MILLIS = 1000, HEARTBEAT_SECONDS = 10;

    private final Study study;
    private final Objective objective;
    private final int nTrials, concurrency;
    private final long deadline;
    private final AtomicBoolean exhausted = new AtomicBoolean();
    private final AtomicInteger finished = new AtomicInteger();

    StudyRunner(Study study, Objective objective, int nTrials, Duration timeout, int concurrency) {
        this.study = study;
        this.objective = objective;
        this.nTrials = nTrials;
        this.concurrency = concurrency;
        this.deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    }

    int run() {
        study.storage().interruptDeadOwners(study.id(), Owners::alive);
        // this process's running trials are alive: a storage shared across machines judges owners by this
        java.util.concurrent.ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trial-heartbeat");
            t.setDaemon(true);
            return t;
        });
        beat.scheduleWithFixedDelay(() -> {
            try {
                study.storage().heartbeat(study.id(), Owners.self());
            } catch (RuntimeException e) {
                // a missed beat is retried at the next; the trials' own writes report a lost storage
            }
        }, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        try {
            return runWorkers();
        } finally {
            beat.shutdownNow();
        }
    }

    private int runWorkers() {
        if (concurrency == 1) {
            work();
            return finished.get();
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "trial-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) fs.add(pool.submit(this::work));
            for (Future<?> f : fs) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            exhausted.set(true);
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return finished.get();
    }

    private void work() {
        while (!exhausted.get() && System.nanoTime() < deadline) {
            Optional<Integer> n = study.storage().claimTrial(study.id(), Owners.self(), nTrials);
            if (n.isEmpty()) return;
            runTrial(n.get());
        }
    }

    private void runTrial(int number) {
        List<FrozenTrial> history = awaitHistory(number);
        FrozenTrial self = history.stream().filter(t -> t.number() == number).findFirst().orElseThrow();
        List<FrozenTrial> seen = history.stream().filter(t -> t.number() < number - study.lag() && t.state().finished()).toList();
        Map<String, Object> params = self.params().isEmpty() ? choose(number, seen, history) : self.params();
        if (params == null) {
            exhausted.set(true);
            study.storage().releaseTrial(study.id(), number);
            return;
        }
        study.listener().started(number, params, self.attempts());
        Trial trial = new Trial(study, number, params, seen);
        long t0 = System.nanoTime();
        TrialState state;
        double value;
        String failure = null;
        try {
            value = objective.run(trial);
            state = Double.isFinite(value) ? TrialState.COMPLETE : TrialState.FAIL;
            if (state == TrialState.FAIL) failure = "the objective returned " + value;
        } catch (TrialPruned p) {
            state = TrialState.PRUNED;
            value = trial.intermediate().isEmpty() ? Double.NaN : trial.intermediate().lastEntry().getValue();
        } catch (Exception e) {
            state = TrialState.FAIL;
            value = Double.NaN;
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        study.storage().finishTrial(study.id(), number, state, value, seconds);
        finished.incrementAndGet();
        study.listener().finished(new FrozenTrial(number, state, params, state == TrialState.FAIL ? Double.NaN : value,
                trial.intermediate(), self.attempts(), seconds), failure);
    }

    /**
     * Waits until every trial numbered below {@code number − lag} is finished and every trial below
     * {@code number} has its configuration; meanwhile a trial whose owner died is taken over here.
     */
    private List<FrozenTrial> awaitHistory(int number) {
        long lastOwnerCheck = System.nanoTime();
        while (true) {
            List<FrozenTrial> all = study.storage().trials(study.id());
            boolean ready = true;
            for (FrozenTrial t : all) {
                if (t.number() >= number) continue;
                if ((t.number() < number - study.lag() && !t.state().finished()) || t.params().isEmpty()) {
                    ready = false;
                    break;
                }
            }
            if (ready) return all;
            if (System.nanoTime() - lastOwnerCheck > OWNER_CHECK_MILLIS * 1_000_000) {
                study.storage().interruptDeadOwners(study.id(), Owners::alive);
                lastOwnerCheck = System.nanoTime();
            }
            if (all.stream().anyMatch(t -> t.state() == TrialState.INTERRUPTED && t.number() < number)) {
                // claims prefer INTERRUPTED trials: with maxTrials 0 only such a trial is claimed
                study.storage().claimTrial(study.id(), Owners.self(), 0).ifPresent(this::runTrial);
                continue;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while trial " + number + " waited for earlier trials", e);
            }
        }
    }

    /** A configuration no trial below {@code number} had, drawn with (seed, number)'s random numbers; null when none is left. */
    private Map<String, Object> choose(int number, List<FrozenTrial> seen, List<FrozenTrial> all) {
        Set<String> tried = new HashSet<>();
        for (FrozenTrial t : all) {
            if (t.number() < number && !t.params().isEmpty()) tried.add(SearchSpace.hash(t.params()));
        }
        SplittableRandom rng = new SplittableRandom(Seeds.mix(study.seed() ^ 0x5A4D504C45L, number));
        Sampler.Context ctx = new Sampler.Context(number, study.seed(), seen, study.direction(), rng);
        for (int draw = 0; draw < MAX_DRAWS; draw++) {
            Map<String, Object> c = study.sampler().sample(study.space(), ctx);
            if (c == null) return null;
            String h = SearchSpace.hash(c);
            if (!tried.contains(h)) {
                study.storage().setParams(study.id(), number, c, h);
                return c;
            }
        }
        return null;
    }
}
