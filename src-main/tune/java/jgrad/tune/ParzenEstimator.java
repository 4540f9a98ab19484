package jgrad.tune;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One parameter's density as TPE builds it from a group of trials (Optuna's univariate
 * {@code _ParzenEstimator}): a weighted mixture with one kernel per observation plus a prior kernel.
 *
 * <p>Numbers are modelled in t = x, or t = ln x on a log scale, on [a, b] (an integer range widened
 * by ½ each side and rounded after sampling). Kernel i is a normal N(tᵢ, σᵢ) truncated to [a, b];
 * σᵢ is the larger distance from tᵢ to its neighbours among the sorted observations and the prior's
 * centre, with [a, b]'s ends as outer neighbours (the two extreme kernels use their inner
 * neighbour: Optuna's consider_endpoints = false), clipped to [(b − a)/min(100, 1 + n + 1), b − a]
 * ("magic clip"). The prior kernel is N((a + b)/2, b − a). Weights: 1 per observation while fewer
 * than 25, else a ramp from 1/n to 1 for the older ones and 1 for the newest 25; the prior weighs
 * {@code priorWeight}; all normalised.
 *
 * <p>A choice among K: observation i's kernel puts (priorWeight/K + [c = cᵢ]) / (priorWeight + 1)
 * on choice c; the prior kernel is uniform.
 */
final class ParzenEstimator {
    private final Distribution dist;
    private final double[] weights;   // n + 1, the prior last, summing to 1
    private final double[] mus, sigmas;
    private final int[] cats;         // choices: observation i's index
    private final double a, b, priorWeight;

    /** {@code observations} oldest first: Double, Long or String values of {@code dist}. */
    ParzenEstimator(Distribution dist, List<Object> observations, double priorWeight) {
        this.dist = dist;
        this.priorWeight = priorWeight;
        int n = observations.size();
        weights = new double[n + 1];
        double[] w = observationWeights(n);
        double sum = priorWeight;
        for (int i = 0; i < n; i++) sum += w[i];
        for (int i = 0; i < n; i++) weights[i] = w[i] / sum;
        weights[n] = priorWeight / sum;
        if (dist instanceof Distribution.Choice c) {
            cats = new int[n];
            for (int i = 0; i < n; i++) cats[i] = c.choices().indexOf((String) observations.get(i));
            mus = sigmas = null;
            a = b = 0;
            return;
        }
        cats = null;
        double lo, hi;
        if (dist instanceof Distribution.FloatRange f) {
            lo = f.log() ? Math.log(f.low()) : f.low();
            hi = f.log() ? Math.log(f.high()) : f.high();
        } else {
            Distribution.IntRange r = (Distribution.IntRange) dist;
            lo = r.log() ? Math.log(r.low() - 0.5) : r.low() - 0.5;
            hi = r.log() ? Math.log(r.high() + 0.5) : r.high() + 0.5;
        }
        a = lo;
        b = hi;
        mus = new double[n + 1];
        for (int i = 0; i < n; i++) mus[i] = transform(observations.get(i));
        mus[n] = 0.5 * (a + b);
        sigmas = new double[n + 1];
        bandwidths(n);
        sigmas[n] = b - a;
    }

    /** Optuna's default_weights: ones below 25, else linspace(1/n, 1, n − 25) then 25 ones. */
    static double[] observationWeights(int n) {
        double[] w = new double[n];
        if (n < 25) {
            java.util.Arrays.fill(w, 1);
            return w;
        }
        int ramp = n - 25;
        for (int i = 0; i < ramp; i++) w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + i * (1 - 1.0 / n) / (ramp - 1);
        for (int i = ramp; i < n; i++) w[i] = 1;
        return w;
    }

    private void bandwidths(int n) {
        // sorted observations and the prior's centre, with a and b as outer neighbours
        Integer[] order = new Integer[n + 1];
        for (int i = 0; i <= n; i++) order[i] = i;
        java.util.Arrays.sort(order, (p, q) -> Double.compare(mus[p], mus[q]));
        double[] s = new double[n + 3];
        s[0] = a;
        for (int k = 0; k <= n; k++) s[k + 1] = mus[order[k]];
        s[n + 2] = b;
        double[] sorted = new double[n + 1];
        for (int k = 0; k <= n; k++) sorted[k] = Math.max(s[k + 1] - s[k], s[k + 2] - s[k + 1]);
        if (n + 3 >= 4) {    // consider_endpoints = false: the extremes' outer gap does not count
            sorted[0] = s[2] - s[1];
            sorted[n] = s[n + 1] - s[n];
        }
        double maxSigma = b - a, minSigma = (b - a) / Math.min(100.0, 1.0 + (n + 1));
        for (int k = 0; k <= n; k++) sigmas[order[k]] = Math.min(maxSigma, Math.max(minSigma, sorted[k]));
    }

    private double transform(Object v) {
        double x = v instanceof Double d ? d : ((Long) v).doubleValue();
        boolean log = dist instanceof Distribution.FloatRange f ? f.log() : ((Distribution.IntRange) dist).log();
        return log ? Math.log(x) : x;
    }

    private Object untransform(double t) {
        if (dist instanceof Distribution.FloatRange f) {
            double x = f.log() ? Math.exp(t) : t;
            return Math.min(f.high(), Math.max(f.low(), x));
        }
        Distribution.IntRange r = (Distribution.IntRange) dist;
        long x = Math.round(r.log() ? Math.exp(t) : t);
        return Math.min(r.high(), Math.max(r.low(), x));
    }

    /** A draw: a kernel by weight, then a value of it (a truncated normal by rejection). */
    Object sample(SplittableRandom rng) {
        int k = pick(rng);
        if (cats != null) {
            List<String> choices = ((Distribution.Choice) dist).choices();
            double[] p = kernel(k, choices.size());
            double u = rng.nextDouble(), acc = 0;
            for (int c = 0; c < p.length; c++) {
                acc += p[c];
                if (u < acc) return choices.get(c);
            }
            return choices.getLast();
        }
        if (b == a) return untransform(a);
        for (int tries = 0; tries < 1000; tries++) {
            double t = mus[k] + sigmas[k] * gaussian(rng);
            if (t >= a && t <= b) return untransform(t);
        }
        return untransform(Math.min(b, Math.max(a, mus[k])));
    }

    /** ln of the mixture's density at {@code v} (a choice: its probability). */
    double logPdf(Object v) {
        if (cats != null) {
            List<String> choices = ((Distribution.Choice) dist).choices();
            int c = choices.indexOf((String) v);
            double p = 0;
            for (int k = 0; k < weights.length; k++) p += weights[k] * kernel(k, choices.size())[c];
            return Math.log(p);
        }
        if (b == a) return 0;
        double t = transform(v), p = 0;
        for (int k = 0; k < weights.length; k++) {
            double z = (t - mus[k]) / sigmas[k];
            double mass = Erf.cdf((b - mus[k]) / sigmas[k]) - Erf.cdf((a - mus[k]) / sigmas[k]);
            p += weights[k] * Math.exp(-0.5 * z * z) / (Math.sqrt(2 * Math.PI) * sigmas[k] * Math.max(mass, 1e-12));
        }
        return Math.log(Math.max(p, 1e-300));
    }

    private double[] kernel(int k, int choices) {
        double[] p = new double[choices];
        if (k == cats.length) {
            java.util.Arrays.fill(p, 1.0 / choices);
            return p;
        }
        java.util.Arrays.fill(p, priorWeight / choices / (priorWeight + 1));
        p[cats[k]] += 1 / (priorWeight + 1);
        return p;
    }

    private int pick(SplittableRandom rng) {
        double u = rng.nextDouble(), acc = 0;
        for (int k = 0; k < weights.length; k++) {
            acc += weights[k];
            if (u < acc) return k;
        }
        return weights.length - 1;
    }

    /** A standard normal draw (Box–Muller; one of the pair is dropped so each call uses exactly two uniforms). */
    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
