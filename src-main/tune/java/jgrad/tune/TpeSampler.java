package jgrad.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), as Optuna's TPESampler does it with its
 * defaults (independent sampling): random for the first {@code nStartupTrials} (10) complete trials;
 * then the finished trials are ranked (complete ones by value, then pruned ones by how far they got
 * and their last value), the best γ(n) = min(⌈0.1·n⌉, 25) are "below", the rest "above"; for each
 * active parameter, l(x) and g(x) are Parzen estimators ({@link ParzenEstimator}) of its values in
 * the two groups, {@code nEiCandidates} (24) candidates are drawn from l(x), and the one with the
 * largest l(x)/g(x) is taken.
 */
public final class TpeSampler implements Sampler {
    private final int nStartupTrials, nEiCandidates;
    private final double priorWeight;

    public TpeSampler() {
        this(10, 24, 1.0);
    }

    public TpeSampler(int nStartupTrials, int nEiCandidates, double priorWeight) {
        this.nStartupTrials = nStartupTrials;
        this.nEiCandidates = nEiCandidates;
        this.priorWeight = priorWeight;
    }

    /** Optuna's default_gamma: how many of n ranked trials are "below" (the good group). */
    static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    @Override
    public String name() {
        return "tpe";
    }

    @Override
    public Map<String, Object> sample(SearchSpace space, Context context) {
        Direction dir = context.direction();
        List<FrozenTrial> complete = new ArrayList<>(), pruned = new ArrayList<>();
        for (FrozenTrial t : context.history()) {
            if (t.state() == TrialState.COMPLETE && !Double.isNaN(t.value())) complete.add(t);
            else if (t.state() == TrialState.PRUNED && !t.intermediate().isEmpty()) pruned.add(t);
        }
        if (complete.size() < nStartupTrials) return new RandomSampler().sample(space, context);
        complete.sort(Comparator.comparingDouble((FrozenTrial t) -> dir.sortKey(t.value())).thenComparingInt(FrozenTrial::number));
        pruned.sort(Comparator.comparingInt((FrozenTrial t) -> -t.intermediate().lastKey())
                .thenComparingDouble(t -> dir.sortKey(t.lastIntermediate())).thenComparingInt(FrozenTrial::number));
        List<FrozenTrial> ranked = new ArrayList<>(complete);
        ranked.addAll(pruned);
        int nBelow = gamma(ranked.size());
        List<FrozenTrial> below = new ArrayList<>(ranked.subList(0, nBelow)), above = new ArrayList<>(ranked.subList(nBelow, ranked.size()));
        below.sort(Comparator.comparingInt(FrozenTrial::number));   // oldest first: the weights ramp up with time
        above.sort(Comparator.comparingInt(FrozenTrial::number));
        Map<String, Object> config = new LinkedHashMap<>();
        for (Param p : space.params()) {
            if (!space.active(p, config)) continue;
            ParzenEstimator l = new ParzenEstimator(p.distribution(), observations(below, p), priorWeight);
            ParzenEstimator g = new ParzenEstimator(p.distribution(), observations(above, p), priorWeight);
            Object best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < nEiCandidates; c++) {
                Object x = l.sample(context.rng());
                double score = l.logPdf(x) - g.logPdf(x);
                if (score > bestScore) {
                    bestScore = score;
                    best = x;
                }
            }
            config.put(p.name(), best);
        }
        return config;
    }

    private static List<Object> observations(List<FrozenTrial> trials, Param p) {
        List<Object> obs = new ArrayList<>();
        for (FrozenTrial t : trials) {
            Object v = t.params().get(p.name());
            if (v != null && p.distribution().contains(v)) obs.add(v);
        }
        return obs;
    }
}
