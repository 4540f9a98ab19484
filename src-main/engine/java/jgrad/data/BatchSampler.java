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

    /**
     * The samples 0 … size−1 read as {@code streams} parallel streams, each a contiguous run of
     * steps = ⌊size / streams⌋ samples: batch t holds sample t of every stream (n·steps + t for
     * n = 0 … streams−1), in order, every epoch the same. For truncated backpropagation through time
     * over consecutive chunks of one long sequence (a {@code TextDataset} with its chunks in text
     * order): each stream's state carries over from batch t to t + 1. The size % streams samples
     * left over are not used.
     */
    static BatchSampler streams(int size, int streams) {
        if (streams <= 0) throw new IllegalArgumentException("streams must be positive, got " + streams);
        if (size < streams) {
            throw new IllegalArgumentException(size + " samples are too few for " + streams + " streams of at least one step each");
        }
        int steps = size / streams;
        return new BatchSampler() {
            public int[][] batches() {
                int[][] out = new int[steps][streams];
                for (int t = 0; t < steps; t++) for (int n = 0; n < streams; n++) out[t][n] = n * steps + t;
                return out;
            }

            public int size() {
                return steps;
            }

            public int samples() {
                return steps * streams;
            }
        };
    }

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
