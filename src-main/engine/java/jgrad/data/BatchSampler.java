package jgrad.data;

import java.util.Arrays;

/**
 * Which samples go into each batch of an epoch, as {@code torch.utils.data.BatchSampler}: for
 * batches that a plain sampler cannot describe (e.g. one class per batch, or buckets of similar
 * sizes). {@link #of} groups a sampler's order into batches.
 */
public interface BatchSampler {
    /** The next epoch's batches of sample indices, in order. */
    int[][] batches();

    /** Batches per epoch. */
    int size();

    /** Samples per epoch (all batches together). */
    int samples();

    /** The sampler's order cut into batches of {@code batchSize} (the last one shorter unless dropped). */
    static BatchSampler of(Sampler sampler, int batchSize, boolean dropLast) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        return new BatchSampler() {
            public int[][] batches() {
                int[] order = sampler.order();
                int n = size();
                int[][] out = new int[n][];
                for (int b = 0; b < n; b++) out[b] = Arrays.copyOfRange(order, b * batchSize, Math.min(order.length, (b + 1) * batchSize));
                return out;
            }

            public int size() {
                int n = sampler.size();
                return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
            }

            public int samples() {
                return dropLast ? size() * batchSize : sampler.size();
            }
        };
    }
}
