package jgrad.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2018), as Optuna's SuccessiveHalvingPruner: rung
 * k is reached at step r·ηᵏ (r the minimum resource, η the reduction factor). When a trial reaches a
 * rung it competes with every seen trial that reached that rung (and itself): it goes on only if
 * its value there is among the best ⌊n/η⌋ (the best one while n &lt; η, since a trial cannot wait
 * for later ones), and is pruned otherwise. Between rungs it runs on.
 */
public final class SuccessiveHalvingPruner implements Pruner {
    private final int minResource, reductionFactor;

    public SuccessiveHalvingPruner(int minResource, int reductionFactor) {
        if (minResource < 1) throw new IllegalArgumentException("ASHA: minimum resource must be ≥ 1, got " + minResource);
        if (reductionFactor < 2) throw new IllegalArgumentException("ASHA: reduction factor must be ≥ 2, got " + reductionFactor);
        this.minResource = minResource;
        this.reductionFactor = reductionFactor;
    }

    /** The step at which rung k is reached: r·ηᵏ. */
    long rungStep(int k) {
        return minResource * (long) Math.pow(reductionFactor, k);
    }

    @Override
    public boolean prune(NavigableMap<Integer, Double> intermediate, List<FrozenTrial> history, Direction direction) {
        if (intermediate.isEmpty()) return false;
        int step = intermediate.lastKey();
        // only at the step that reaches a rung is there a decision
        int rung = -1;
        for (int k = 0; rungStep(k) <= step; k++) {
            if (rungStep(k) == step) rung = k;
        }
        if (rung < 0) return false;
        double value = intermediate.get(step);
        if (Double.isNaN(value)) return true;
        List<Double> competing = new ArrayList<>();
        competing.add(value);
        for (FrozenTrial t : history) {
            Double v = t.intermediate().get(step);
            if (v != null && !v.isNaN()) competing.add(v);
        }
        int promotable = competing.size() / reductionFactor - 1;
        if (promotable < 0) promotable = 0;
        competing.sort(null);
        boolean promoted = direction == Direction.MAXIMIZE
                ? value >= competing.get(competing.size() - 1 - promotable)
                : value <= competing.get(promotable);
        return !promoted;
    }

    @Override
    public String name() {
        return "asha";
    }
}
