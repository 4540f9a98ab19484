package jgrad.tune;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Runs a study's workers on a cluster engine instead of this process: the Spark unit
 * (src-main/tune-spark) provides one. Found through {@link ServiceLoader}, so that this unit and the
 * plain command line carry no cluster jars: {@link #find()} is empty unless that unit is on the class path.
 */
public interface ClusterRunner {
    /**
     * What every worker runs: {@code worker} (a {@link StudyWorker} class name) with {@code args}, on
     * study {@code study} of {@code storage} (a jdbc:postgresql: URL or an SQLite file).
     */
    record Job(String worker, List<String> args, String storage, String study) implements Serializable {
        public Job {
            args = List.copyOf(args);
        }
    }

    /**
     * Runs {@code workers} workers of {@code job} at once on {@code master} (0: as many as the master
     * runs tasks at once) until none has a trial left and no trial of a lost worker remains to run;
     * returns how many trials they finished. A master that cannot be reached, or one the storage
     * cannot be shared with, fails with a one-line {@link IllegalArgumentException}.
     */
    int run(String master, int workers, Job job);

    /**
     * Fails with a one-line {@link IllegalArgumentException} when {@link #run} could not work on
     * {@code master} with {@code storage}: checked before a study is made.
     */
    void check(String master, String storage);

    /** The runner on the class path, if any. */
    static Optional<ClusterRunner> find() {
        return ServiceLoader.load(ClusterRunner.class).findFirst();
    }
}
