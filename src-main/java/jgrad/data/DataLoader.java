package jgrad.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;

/**
 * Mini-batches from a dataset, like {@code torch.utils.data.DataLoader}: each pass (epoch) visits
 * every sample once, in a new random order when shuffling. The order comes from a seeded
 * {@link Generator}, so the same seed gives the same batches in every run.
 *
 * <pre>{@code
 * var loader = new DataLoader(train, 64, true, new Generator(42));
 * for (int epoch = 0; epoch < 10; epoch++)
 *     for (Batch b : loader) { ... }
 * }</pre>
 */
public class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final Generator generator;
    private boolean dropLast;
    private Device device = Device.getDefault();

    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, Generator generator) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.generator = generator;
    }

    /** The generator that shuffles (null when not shuffling), e.g. to reseed it per epoch. */
    public Generator generator() {
        return generator;
    }

    /** Drops the last batch when it would be smaller than the batch size. */
    public DataLoader dropLast(boolean on) {
        this.dropLast = on;
        return this;
    }

    /** Where batches are created. */
    public DataLoader device(Device d) {
        this.device = d;
        return this;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Samples per epoch (fewer than the dataset when the last batch is dropped). */
    public int numSamples() {
        return dropLast ? numBatches() * batchSize : dataset.size();
    }

    /** Starts an epoch: draws a new order if shuffling. */
    @Override
    public Iterator<Batch> iterator() {
        int n = dataset.size();
        int[] order;
        if (shuffle) {
            order = generator.permutation(n);
        } else {
            order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
        }
        int batches = numBatches();
        return new Iterator<>() {
            private int next = 0;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                int from = next * batchSize;
                int to = Math.min(n, from + batchSize);
                next++;
                return dataset.batch(Arrays.copyOfRange(order, from, to), device);
            }
        };
    }
}
