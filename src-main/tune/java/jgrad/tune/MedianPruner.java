package jgrad.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

/**
 * Median stopping rule, with Optuna's MedianPruner semantics: at the latest reported step s, once
 * at least {@code nStartupTrials} trials are complete and s ≥ {@code nWarmupSteps}, the trial is
 * pruned if its best value so far is worse than the median of the complete trials' values at step
 * s. No complete trial reported step s: no decision (not pruned).
 */
public final class MedianPruner implements Pruner {
    private final int nStartupTrials, nWarmupSteps;

    public MedianPruner(int nStartupTrials, int nWarmupSteps) {
        if (nStartupTrials < 0 || nWarmupSteps < 0) throw new IllegalArgumentException("median pruner: startup trials and warm-up steps must be ≥ 0");
        this.nStartupTrials = nStartupTrials;
        this.nWarmupSteps = nWarmupSteps;
    }

    @Override
    public boolean prune(NavigableMap<Integer, Double> intermediate, List<FrozenTrial> history, Direction direction) {
        if (intermediate.isEmpty()) return false;
        int step = intermediate.lastKey();
        if (step < nWarmupSteps) return false;
        List<Double> atStep = new ArrayList<>();
        int complete = 0;
        for (FrozenTrial t : history) {
            if (t.state() != TrialState.COMPLETE) continue;
            complete++;
            Double v = t.intermediate().get(step);
            if (v != null && !v.isNaN()) atStep.add(v);
        }
        if (complete < nStartupTrials || atStep.isEmpty()) return false;
        double best = Double.NaN;
        for (double v : intermediate.values()) {
            if (!Double.isNaN(v) && (Double.isNaN(best) || direction.better(v, best))) best = v;
        }
        if (Double.isNaN(best)) return true;    // only NaN reported: it is not learning
        return direction.better(median(atStep), best);
    }

    /** The median as numpy's percentile(50) with linear interpolation: the mean of the middle two for an even count. */
    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : 0.5 * (s.get(n / 2 - 1) + s.get(n / 2));
    }

    @Override
    public String name() {
        return "median";
    }
}
