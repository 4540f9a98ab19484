package jgrad.tune;

import java.util.List;

/**
 * One worker of a study, run by a {@link ClusterRunner} on a machine of its own (a Spark task): it
 * opens the storage named in its arguments, loads the study and runs trials one at a time through
 * {@link Study#optimize} until the study holds its trials. Claims, heartbeats and the reclaiming of
 * a dead worker's trial are the storage's, as for worker processes. An implementation has a public
 * constructor without arguments: the runner makes one on each executor from its class name.
 */
public interface StudyWorker {
    /** Runs trials; returns how many this worker finished. */
    int work(List<String> args) throws Exception;
}
