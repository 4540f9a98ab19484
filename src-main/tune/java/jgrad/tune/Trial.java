package jgrad.tune;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One run of the objective with one configuration. The configuration was chosen before the
 * objective starts (so that it can be hashed and a repeat refused); {@code suggest…} return its
 * values and check that the objective asks for the parameters the space declares. {@link #seed()}
 * is derived from (study seed, trial number): use it for everything random in the objective.
 */
public final class Trial {
    private final Study study;
    private final int number;
    private final Map<String, Object> params;
    private final List<FrozenTrial> history;
    private final NavigableMap<Integer, Double> intermediate = new TreeMap<>();

    Trial(Study study, int number, Map<String, Object> params, List<FrozenTrial> history) {
        this.study = study;
        this.number = number;
        this.params = Collections.unmodifiableMap(params);
        this.history = history;
    }

    public int number() {
        return number;
    }

    public long seed() {
        return Seeds.mix(study.seed(), number);
    }

    /** The configuration: each active parameter's value (Double, Long or String). */
    public Map<String, Object> params() {
        return params;
    }

    public double suggestFloat(String name, double low, double high, boolean log) {
        Distribution.FloatRange f = declared(name, Distribution.FloatRange.class);
        if (f.low() != low || f.high() != high || f.log() != log) throw mismatch(name, f.describe());
        return (Double) value(name);
    }

    public int suggestInt(String name, int low, int high) {
        Distribution.IntRange r = declared(name, Distribution.IntRange.class);
        if (r.low() != low || r.high() != high) throw mismatch(name, r.describe());
        return Math.toIntExact((Long) value(name));
    }

    public String suggestCategorical(String name, List<String> choices) {
        Distribution.Choice c = declared(name, Distribution.Choice.class);
        if (!c.choices().equals(choices)) throw mismatch(name, c.describe());
        return (String) value(name);
    }

    /** Whether {@code name} is active in this configuration (false for momentum under adam). */
    public boolean has(String name) {
        return params.containsKey(name);
    }

    /** Records the value at {@code step} (an epoch): it is stored at once, and the pruner judges by it. */
    public void report(int step, double value) {
        intermediate.put(step, value);
        study.reported(number, step, value);
    }

    /** Whether the study's pruner says this trial should stop after its latest report. */
    public boolean shouldPrune() {
        return study.pruner().prune(Collections.unmodifiableNavigableMap(intermediate), history, study.direction());
    }

    NavigableMap<Integer, Double> intermediate() {
        return intermediate;
    }

    private <D extends Distribution> D declared(String name, Class<D> kind) {
        Param p = study.space().param(name);
        if (p == null) throw new IllegalArgumentException("parameter '" + name + "' is not in the study's search space");
        if (!kind.isInstance(p.distribution())) throw mismatch(name, p.distribution().describe());
        return kind.cast(p.distribution());
    }

    private Object value(String name) {
        Object v = params.get(name);
        if (v == null) throw new IllegalStateException("parameter '" + name + "' is not active in trial " + number + " (its condition does not hold)");
        return v;
    }

    private static IllegalArgumentException mismatch(String name, String declared) {
        return new IllegalArgumentException("parameter '" + name + "' is declared " + declared + " in the search space; the objective asks for another range");
    }
}
