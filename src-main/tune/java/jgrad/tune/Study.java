package jgrad.tune;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named search for the best configuration of an objective, kept in a {@link StudyStorage}.
 *
 * <pre>{@code
 * SearchSpace space = SearchSpaceParser.parse(json);
 * try (StudyStorage db = new SqliteStorage(Path.of("study.db"))) {
 *     Study study = Study.builder(db, "lenet", space).direction(Direction.MAXIMIZE).seed(1)
 *             .sampler(new TpeSampler()).pruner(new MedianPruner(5, 0)).createOrLoad();
 *     study.optimize(trial -> {
 *         double lr = trial.suggestFloat("lr", 1e-4, 1, true);
 *         ... for each epoch: trial.report(epoch, acc); if (trial.shouldPrune()) throw new TrialPruned(epoch);
 *         return acc;
 *     }, 30, Duration.ofHours(1), 2);
 *     System.out.println(study.best());
 * }
 * }</pre>
 *
 * <p>Reproducible whatever the concurrency: trial n's sampler and pruner see only the finished
 * trials numbered below n − lag (the study's {@code lag}, 4 by default; trial n waits for them), its
 * random numbers come from (seed, n), and its objective should seed itself from {@link Trial#seed()}.
 * With up to lag + 1 concurrent trials nobody waits in the steady state.
 */
public final class Study {
    private final StudyStorage storage;
    private final StudyStorage.StudyInfo info;
    private final SearchSpace space;
    private final Sampler sampler;
    private final Pruner pruner;
    private volatile Listener listener = new Listener() {};

    /** What {@link #optimize} tells as it goes (the CLI's live table). Called from worker threads. */
    public interface Listener {
        default void started(int number, Map<String, Object> params, int attempt) {}

        default void reported(int number, int step, double value) {}

        default void finished(FrozenTrial trial, String failure) {}
    }

    private Study(StudyStorage storage, StudyStorage.StudyInfo info, SearchSpace space, Sampler sampler, Pruner pruner) {
        this.storage = storage;
        this.info = info;
        this.space = space;
        this.sampler = sampler;
        this.pruner = pruner;
    }

    public static Builder builder(StudyStorage storage, String name, SearchSpace space) {
        return new Builder(storage, name, space);
    }

    /** How to make or find a study. Sampler and pruner are not stored: a resumed study may change them. */
    public static final class Builder {
        private final StudyStorage storage;
        private final String name;
        private final SearchSpace space;
        private Direction direction = Direction.MAXIMIZE;
        private long seed = 1;
        private int lag = 4;
        private Sampler sampler = new TpeSampler();
        private Pruner pruner = Pruner.NONE;

        private Builder(StudyStorage storage, String name, SearchSpace space) {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("a study needs a name");
            this.storage = storage;
            this.name = name;
            this.space = space;
        }

        public Builder direction(Direction d) { this.direction = d; return this; }

        public Builder seed(long s) { this.seed = s; return this; }

        /** Trial n sees the finished trials numbered below n − lag (≥ 0). */
        public Builder lag(int l) {
            if (l < 0) throw new IllegalArgumentException("lag must be ≥ 0, got " + l);
            this.lag = l;
            return this;
        }

        public Builder sampler(Sampler s) { this.sampler = s; return this; }

        public Builder pruner(Pruner p) { this.pruner = p; return this; }

        /** A new study; fails if the name is taken. */
        public Study create() {
            return new Study(storage, storage.createStudy(name, direction, seed, space.hash(), space.describe(), lag), space, sampler, pruner);
        }

        /** The existing study, checked against this builder's space, direction and seed; fails if there is none. */
        public Study load() {
            StudyStorage.StudyInfo found = storage.findStudy(name)
                    .orElseThrow(() -> new IllegalArgumentException("no study '" + name + "' in the storage (leave out --resume to create it)"));
            if (!found.spaceHash().equals(space.hash())) {
                throw new IllegalArgumentException("study '" + name + "' was made with another search space; use its space or a new study name. Its space:\n" + found.space());
            }
            if (found.direction() != direction) throw new IllegalArgumentException("study '" + name + "' maximises or minimises the other way: it was made with direction " + found.direction().name().toLowerCase(java.util.Locale.ROOT));
            if (found.seed() != seed) throw new IllegalArgumentException("study '" + name + "' was made with seed " + found.seed() + ", not " + seed);
            return new Study(storage, found, space, sampler, pruner);
        }

        /** {@link #load()} if the study exists, else {@link #create()} (if another worker creates it first, that one is loaded). */
        public Study createOrLoad() {
            if (storage.findStudy(name).isPresent()) return load();
            try {
                return create();
            } catch (IllegalArgumentException e) {
                if (storage.findStudy(name).isPresent()) return load();
                throw e;
            }
        }
    }

    public String name() { return info.name(); }

    public Direction direction() { return info.direction(); }

    public long seed() { return info.seed(); }

    public int lag() { return info.lag(); }

    public SearchSpace space() { return space; }

    public Sampler sampler() { return sampler; }

    public Pruner pruner() { return pruner; }

    StudyStorage storage() { return storage; }

    long id() { return info.id(); }

    Listener listener() { return listener; }

    public void listener(Listener l) { this.listener = l; }

    /** Every trial, by number. */
    public List<FrozenTrial> trials() {
        return storage.trials(info.id());
    }

    /** The complete trial with the best value (the lowest number among equals), if any. */
    public Optional<FrozenTrial> best() {
        return trials().stream().filter(t -> t.state() == TrialState.COMPLETE && !Double.isNaN(t.value()))
                .min(Comparator.comparingDouble((FrozenTrial t) -> direction().sortKey(t.value())).thenComparingInt(FrozenTrial::number));
    }

    /**
     * Runs trials until the study holds {@code nTrials} (all of its runs together, so a resumed
     * study goes on where it stopped: trials left RUNNING by a dead process are made INTERRUPTED
     * and run again first), the timeout passes (no new trial starts after it; null: none), or the
     * sampler has no configuration left. {@code concurrency} trials run at once in this process.
     * Returns how many trials this call finished.
     */
    public int optimize(Objective objective, int nTrials, Duration timeout, int concurrency) {
        if (nTrials < 1) throw new IllegalArgumentException("the number of trials must be ≥ 1, got " + nTrials);
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be ≥ 1, got " + concurrency);
        return new StudyRunner(this, objective, nTrials, timeout, concurrency).run();
    }

    void reported(int number, int step, double value) {
        storage.reportIntermediate(info.id(), number, step, value);
        listener.reported(number, step, value);
    }
}
