package jgrad.data;

import java.util.Arrays;
import jgrad.tensor.Generator;

/**
 * The samplers of {@code torch.utils.data}: {@link #sequential}, {@link #random},
 * {@link #subsetRandom} and {@link #weighted} (with {@link #classBalancedWeights} to rebalance
 * imbalanced classes by sampling). Checked by {@code jgrad.data.SamplersTest}.
 */
public final class Samplers {
    private Samplers() {}

    /** 0, 1, …, n − 1 every epoch (SequentialSampler). */
    public static Sampler sequential(int n) {
        return new Sampler() {
            public int[] order() {
                int[] o = new int[n];
                for (int i = 0; i < n; i++) o[i] = i;
                return o;
            }

            public int size() { return n; }
        };
    }

    /** A new permutation of 0 … n − 1 every epoch (RandomSampler without replacement). */
    public static Sampler random(int n, Generator g) {
        return new Sampler() {
            public int[] order() { return g.permutation(n); }

            public int size() { return n; }

            public Generator generator() { return g; }
        };
    }

    /** The given indices in a new random order every epoch (SubsetRandomSampler). */
    public static Sampler subsetRandom(int[] indices, Generator g) {
        int[] idx = indices.clone();
        return new Sampler() {
            public int[] order() {
                int[] p = g.permutation(idx.length), o = new int[idx.length];
                for (int i = 0; i < o.length; i++) o[i] = idx[p[i]];
                return o;
            }

            public int size() { return idx.length; }

            public Generator generator() { return g; }
        };
    }

    /**
     * {@code numSamples} indices drawn with replacement, index i with probability
     * weights[i] / Σ weights (WeightedRandomSampler). With {@link #classBalancedWeights} every class
     * is drawn equally often on average, whatever its size.
     */
    public static Sampler weighted(double[] weights, int numSamples, Generator g) {
        if (weights.length == 0) throw new IllegalArgumentException("weighted sampler: no weights");
        double[] cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("weighted sampler: weight " + weights[i] + " at index " + i + " is not a finite number ≥ 0");
            }
            sum += weights[i];
            cumulative[i] = sum;
        }
        if (!(sum > 0)) throw new IllegalArgumentException("weighted sampler: the weights sum to 0");
        double total = sum;
        return new Sampler() {
            public int[] order() {
                int[] o = new int[numSamples];
                for (int k = 0; k < numSamples; k++) {
                    double u = (double) g.nextFloat() * total;
                    int at = Arrays.binarySearch(cumulative, u);
                    at = at >= 0 ? at + 1 : -at - 1;           // the first cumulative weight above u
                    while (at < cumulative.length - 1 && weights[at] == 0) at++;
                    o[k] = Math.min(at, cumulative.length - 1);
                }
                return o;
            }

            public int size() { return numSamples; }

            public Generator generator() { return g; }
        };
    }

    /** Per-sample weights 1 / (count of the sample's class): classes become equally likely. */
    public static double[] classBalancedWeights(Dataset d) {
        int[] counts = classCounts(d);
        double[] w = new double[d.size()];
        for (int i = 0; i < w.length; i++) w[i] = 1.0 / counts[d.label(i)];
        return w;
    }

    /** How many samples each class has (index = class). */
    public static int[] classCounts(Dataset d) {
        int max = -1;
        int[] labels = new int[d.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = d.label(i);
            if (labels[i] < 0) throw new IllegalArgumentException("sample " + i + " has the negative label " + labels[i]);
            max = Math.max(max, labels[i]);
        }
        int[] counts = new int[max + 1];
        for (int l : labels) counts[l]++;
        return counts;
    }

    /** A table of class counts and shares, e.g. to check a split or an imbalance. */
    public static String classReport(Dataset d) {
        int[] counts = classCounts(d);
        StringBuilder sb = new StringBuilder(String.format("%6s %8s %7s%n", "class", "count", "share"));
        for (int c = 0; c < counts.length; c++) {
            sb.append(String.format(java.util.Locale.ROOT, "%6d %8d %6.1f%%%n", c, counts[c], 100.0 * counts[c] / d.size()));
        }
        return sb.toString();
    }
}
