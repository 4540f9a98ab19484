package jgrad.tune;

/** What a study optimises: runs one trial and returns its value (NaN or an exception: the trial FAILs; {@link TrialPruned}: PRUNED). */
@FunctionalInterface
public interface Objective {
    double run(Trial trial) throws Exception;
}
