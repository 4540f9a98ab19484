package jgrad.tune;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where studies and their trials live. Every method is one transaction; implementations must be
 * safe for many threads of one process and for many processes on one storage (SQLite: one file;
 * a later PostgreSQL storage: many machines). Trials are claimed here, so two workers never get
 * the same number.
 */
public interface StudyStorage extends AutoCloseable {
    /** What a study was created with; a study is loaded only with the same direction, seed and space. */
    record StudyInfo(long id, String name, Direction direction, long seed, String spaceHash, String space, int lag) {}

    /** Creates the study, or fails with a one-line error if the name is taken. */
    StudyInfo createStudy(String name, Direction direction, long seed, String spaceHash, String space, int lag);

    Optional<StudyInfo> findStudy(String name);

    /**
     * Claims a trial for {@code owner}: the lowest-numbered INTERRUPTED trial (run again, its
     * attempts counted), else a new number if fewer than {@code maxTrials} exist; empty when the
     * study has all its trials.
     */
    Optional<Integer> claimTrial(long study, String owner, int maxTrials);

    /** Stores the sampled configuration of a claimed trial. */
    void setParams(long study, int number, Map<String, Object> params, String hash);

    void reportIntermediate(long study, int number, int step, double value);

    /** Finishes a trial: COMPLETE with its value, PRUNED with its last reported value, FAIL with NaN. */
    void finishTrial(long study, int number, TrialState state, double value, double seconds);

    /** Removes a claimed trial that got no configuration (the space is exhausted). */
    void releaseTrial(long study, int number);

    /** All trials of the study, by number. */
    List<FrozenTrial> trials(long study);

    /**
     * Makes every RUNNING trial whose owner is no longer alive INTERRUPTED; returns how many.
     * {@code alive} says whether an owner string names a live process.
     */
    int interruptDeadOwners(long study, java.util.function.Predicate<String> alive);

    /** Marks {@code owner}'s running trials alive now (a storage shared across machines judges owners by it). */
    default void heartbeat(long study, String owner) {}

    /**
     * The storage {@code spec} names: a {@code jdbc:postgresql:} URL (stale after 60 s without a
     * heartbeat), else the path of an SQLite file.
     */
    static StudyStorage open(String spec) {
        if (spec.startsWith("jdbc:postgresql:")) return new PostgresStorage(spec, 60);
        if (spec.startsWith("jdbc:")) throw new IllegalArgumentException("storage " + spec.replaceFirst("\\?.*", "") + ": only jdbc:postgresql: URLs or SQLite file paths are supported");
        return new SqliteStorage(java.nio.file.Path.of(spec));
    }

    @Override
    void close();
}
