package jgrad.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of the spread in a study's values each parameter explains on its own: for each
 * parameter, the complete trials are grouped by its value (a choice: one group per choice; a range:
 * up to {@link #MAX_BINS} groups of consecutive values, about equally full, equal values never
 * split), and the importance is the one-way ANOVA effect size ε² (epsilon squared) of that
 * grouping, on the ranks of the values (ties: their mean rank), so that one diverged trial at 10%
 * accuracy does not make all the variance (Kruskal–Wallis's ε²):
 * <pre>  ε² = (SS_between − (k − 1) · SS_within / (n − k)) / SS_total,   clipped at 0</pre>
 * with n trials in k groups. SS_between / SS_total (η², the correlation ratio) is the share of
 * the variance of the values that the group means account for, the first-order main effect that
 * fANOVA (Hutter et al. 2014) estimates with a random forest; ε² subtracts what k groups of noise
 * would explain by chance (η² is biased upwards by about (k − 1)/(n − 1)), so a parameter that
 * does not matter scores near 0 rather than near (k − 1)/(n − 1). A conditional parameter is judged
 * on the trials where it exists. Pruned and failed trials are left out: their values are from
 * fewer epochs, or none.
 */
public final class ParamImportance {
    /** Groups a float or integer range is cut into (fewer when there are few trials: about 4 trials a group). */
    public static final int MAX_BINS = 5;

    /** A parameter's ε² over {@code trials} complete trials in {@code groups} groups (NaN when fewer than 2 groups or 4 trials). */
    public record Importance(String name, double epsilonSquared, int trials, int groups) {}

    private ParamImportance() {}

    /** Every parameter's importance, most important first (NaN last). */
    public static List<Importance> of(SearchSpace space, List<FrozenTrial> trials) {
        List<Importance> out = new ArrayList<>();
        for (Param p : space.params()) {
            List<Object> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (FrozenTrial t : trials) {
                Object x = t.params().get(p.name());
                if (t.state() != TrialState.COMPLETE || x == null || !Double.isFinite(t.value())) continue;
                xs.add(x);
                ys.add(t.value());
            }
            int[] group = groups(p.distribution(), xs);
            int k = 0;
            for (int g : group) k = Math.max(k, g + 1);
            out.add(new Importance(p.name(), epsilonSquared(group, k, ranks(ys)), ys.size(), k));
        }
        out.sort(Comparator.comparingDouble((Importance i) -> Double.isNaN(i.epsilonSquared()) ? Double.NEGATIVE_INFINITY : i.epsilonSquared()).reversed());
        return out;
    }

    /** The ranks 1..n of {@code ys}, equal values sharing their mean rank. */
    static List<Double> ranks(List<Double> ys) {
        int n = ys.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.comparingDouble(ys::get));
        Double[] r = new Double[n];
        for (int a = 0; a < n; ) {
            int b = a;
            while (b + 1 < n && ys.get(order[b + 1]).equals(ys.get(order[a]))) b++;
            for (int i = a; i <= b; i++) r[order[i]] = (a + b) / 2.0 + 1;
            a = b + 1;
        }
        return List.of(r);
    }

    /** ε² of values {@code ys} in groups {@code group[i]} ∈ [0, k). */
    static double epsilonSquared(int[] group, int k, List<Double> ys) {
        int n = ys.size();
        if (k < 2 || n < 4 || n <= k) return Double.NaN;
        double mean = 0;
        for (double y : ys) mean += y;
        mean /= n;
        double[] sum = new double[k];
        int[] count = new int[k];
        double total = 0;
        for (int i = 0; i < n; i++) {
            sum[group[i]] += ys.get(i);
            count[group[i]]++;
            total += (ys.get(i) - mean) * (ys.get(i) - mean);
        }
        if (total == 0) return 0;  // every trial the same value: nothing to explain
        double between = 0;
        for (int g = 0; g < k; g++) {
            if (count[g] == 0) continue;
            double d = sum[g] / count[g] - mean;
            between += count[g] * d * d;
        }
        double within = total - between;
        return Math.max(0, (between - (k - 1) * within / (n - k)) / total);
    }

    /** Group numbers 0.. of {@code xs}: a choice by its value, a range by runs of about n/bins consecutive values. */
    static int[] groups(Distribution d, List<Object> xs) {
        int n = xs.size();
        int[] group = new int[n];
        if (d instanceof Distribution.Choice) {
            Map<Object, Integer> ids = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) group[i] = ids.computeIfAbsent(xs.get(i), x -> ids.size());
            return group;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> ((Number) xs.get(i)).doubleValue()));
        int bins = Math.max(2, Math.min(MAX_BINS, n / 4));
        double perBin = (double) n / bins;
        int g = 0, inGroup = 0;
        for (int r = 0; r < n; r++) {
            double x = ((Number) xs.get(order[r])).doubleValue();
            boolean newValue = r > 0 && x != ((Number) xs.get(order[r - 1])).doubleValue();
            if (newValue && inGroup >= perBin - 1e-9 && g < bins - 1) {
                g++;
                inGroup = 0;
            }
            group[order[r]] = g;
            inGroup++;
        }
        return group;
    }
}
