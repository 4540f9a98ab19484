package jgrad.tune;

import java.util.List;
import java.util.NavigableMap;

/**
 * Decides whether a running trial should stop, from the values it reported so far and the trials
 * the study lets it see (the same history its sampler saw: finished trials at least the study's
 * lag below it, so the decision does not depend on the concurrency).
 */
public interface Pruner {
    /** True when the trial whose reported values are {@code intermediate} should stop now. */
    boolean prune(NavigableMap<Integer, Double> intermediate, List<FrozenTrial> history, Direction direction);

    String name();

    /** Never prunes. */
    Pruner NONE = new Pruner() {
        @Override public boolean prune(NavigableMap<Integer, Double> intermediate, List<FrozenTrial> history, Direction direction) {
            return false;
        }

        @Override public String name() {
            return "none";
        }
    };

    /** "median", "asha" (their defaults) or "none", or a one-line error. */
    static Pruner of(String name) {
        return switch (name) {
            case "median" -> new MedianPruner(5, 0);
            case "asha" -> new SuccessiveHalvingPruner(1, 3);
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("pruner must be median, asha or none, got '" + name + "'");
        };
    }
}
