package jgrad.tensor;

import java.util.SplittableRandom;

/**
 * A seeded source of random numbers, like {@code torch.Generator}. Every random thing in jgrad
 * (initialisation, shuffling, dropout) takes one, so that the same seed gives the same run.
 */
public final class Generator {
    private static Generator global = new Generator(0);

    private SplittableRandom random;

    public Generator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * Restarts this generator from {@code seed}, as if it had just been made with it. A training
     * loop reseeds its generators at every epoch from (seed, epoch), so that a run resumed from a
     * checkpoint at an epoch boundary draws exactly what the uninterrupted run drew.
     */
    public void reseed(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The generator used where none is passed; {@link #manualSeed} resets it. */
    public static Generator global() {
        return global;
    }

    /** Like {@code torch.manual_seed}: restarts the global generator from {@code seed}. */
    public static void manualSeed(long seed) {
        global = new Generator(seed);
    }

    /** Uniform in [0, 1). */
    public float nextFloat() {
        // a double within 2⁻²⁵ of 1 rounds up to 1f (about once in 3·10⁷ draws): keep it below 1
        float u = (float) random.nextDouble();
        return u < 1f ? u : Math.nextDown(1f);
    }

    /** Uniform in [low, high). */
    public float uniform(float low, float high) {
        return low + (high - low) * nextFloat();
    }

    /** Standard normal. */
    public float nextGaussian() {
        return (float) random.nextGaussian();
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public long nextLong() {
        return random.nextLong();
    }

    /** A uniformly random permutation of 0 … n−1 (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
