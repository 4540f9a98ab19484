package jgrad.tune;

import java.util.Map;
import java.util.NavigableMap;

/**
 * A trial as the storage holds it: its number (0, 1, ... in the order trials were claimed), state,
 * parameters (Double, Long or String by name; empty until sampled), final value (NaN until
 * complete), the values reported at each step, how many times it was started, and its seconds.
 */
public record FrozenTrial(int number, TrialState state, Map<String, Object> params, double value,
                          NavigableMap<Integer, Double> intermediate, int attempts, double seconds) {
    /** The value a pruned trial is ranked by: its last reported value (NaN if none). */
    public double lastIntermediate() {
        return intermediate.isEmpty() ? Double.NaN : intermediate.lastEntry().getValue();
    }
}
