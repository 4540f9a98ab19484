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
    private final Sampler sampler;
    private final BatchSampler batchSampler;  // when given, it decides the batches
    private java.util.function.UnaryOperator<jgrad.tensor.Tensor> targetTransform;
    private final Generator generator;
    private boolean dropLast;
    private int numWorkers;
    private Device device = Device.getDefault();
    private java.util.concurrent.ExecutorService workers;

    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, Generator generator) {
        this(dataset, batchSize, shuffle ? Samplers.random(dataset.size(), requireGenerator(generator)) : Samplers.sequential(dataset.size()),
                shuffle ? generator : null);
    }

    /** Batches in the order a {@link Sampler} gives (weighted, subset, …), e.g. to rebalance classes. */
    public DataLoader(Dataset dataset, int batchSize, Sampler sampler) {
        this(dataset, batchSize, sampler, null);
    }

    private DataLoader(Dataset dataset, int batchSize, Sampler sampler, Generator generator) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.sampler = sampler;
        this.batchSampler = null;
        this.generator = generator;
    }

    /** Batches exactly as a {@link BatchSampler} groups them (batch size and drop-last are its own). */
    public DataLoader(Dataset dataset, BatchSampler batchSampler) {
        this.dataset = dataset;
        this.batchSize = 0;
        this.sampler = null;
        this.batchSampler = batchSampler;
        this.generator = null;
    }

    /**
     * Applies {@code f} to every batch's targets [N] (class indices as floats), e.g.
     * {@code t -> Functional.oneHot(t, 10)} for the tutorial's one-hot labels.
     */
    public DataLoader targetTransform(java.util.function.UnaryOperator<jgrad.tensor.Tensor> f) {
        this.targetTransform = f;
        return this;
    }

    private static Generator requireGenerator(Generator g) {
        if (g == null) throw new IllegalArgumentException("a shuffling DataLoader needs a Generator (the seed of its order)");
        return g;
    }

    /** The generator that orders the samples (null for a fixed order), e.g. to reseed it per epoch. */
    public Generator generator() {
        if (generator != null) return generator;
        return sampler != null ? sampler.generator() : null;
    }

    /** Drops the last batch when it would be smaller than the batch size. */
    public DataLoader dropLast(boolean on) {
        this.dropLast = on;
        return this;
    }

    /**
     * Prepares batches on {@code n} background threads, up to 2n ahead, handed out in order. The
     * order of samples is drawn on the calling thread, so the batches are the same for any n.
     */
    public DataLoader numWorkers(int n) {
        if (n < 0) throw new IllegalArgumentException("numWorkers must be ≥ 0, got " + n);
        this.numWorkers = n;
        return this;
    }

    /** Tells an {@link EpochAware} dataset (augmentation) which epoch starts. */
    public void setEpoch(int epoch) {
        if (dataset instanceof EpochAware e) e.setEpoch(epoch);
    }

    /** Where batches are created. */
    public DataLoader device(Device d) {
        this.device = d;
        return this;
    }

    /** The batch size (0 when a {@link BatchSampler} decides the batches). */
    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch. */
    public int numBatches() {
        if (batchSampler != null) return batchSampler.size();
        int n = sampler.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Samples per epoch (fewer than the sampler gives when the last batch is dropped). */
    public int numSamples() {
        if (batchSampler != null) return batchSampler.samples();
        return dropLast ? numBatches() * batchSize : sampler.size();
    }

    /** Starts an epoch: the sampler draws this epoch's order. */
    @Override
    public Iterator<Batch> iterator() {
        int[][] groups;
        if (batchSampler != null) {
            groups = batchSampler.batches();
        } else {
            int[] order = sampler.order();
            groups = new int[numBatches()][];
            for (int b = 0; b < groups.length; b++) {
                int from = b * batchSize;
                groups[b] = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
            }
        }
        int batches = groups.length;
        if (numWorkers == 0) {
            return new Iterator<>() {
                private int next = 0;

                @Override
                public boolean hasNext() {
                    return next < batches;
                }

                @Override
                public Batch next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    return load(groups[next++]);
                }
            };
        }
        java.util.concurrent.ExecutorService pool = pool();
        int ahead = 2 * numWorkers;
        java.util.ArrayDeque<java.util.concurrent.Future<Batch>> queue = new java.util.ArrayDeque<>();
        return new Iterator<>() {
            private int submitted = 0, taken = 0;

            private void fill() {
                while (submitted < batches && queue.size() < ahead) {
                    int[] g = groups[submitted++];
                    queue.add(pool.submit(() -> load(g)));
                }
            }

            @Override
            public boolean hasNext() {
                return taken < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                fill();
                java.util.concurrent.Future<Batch> f = queue.poll();
                taken++;
                fill();
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("DataLoader: interrupted while waiting for a batch", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    throw new IllegalStateException("DataLoader: a worker failed", e.getCause());
                }
            }
        };
    }

    /** One batch; a failure names the first sample that fails on its own. */
    private Batch load(int[] indices) {
        try {
            Batch b = dataset.batch(indices, device);
            return targetTransform == null ? b : new Batch(b.inputs(), targetTransform.apply(b.targets()));
        } catch (RuntimeException e) {
            for (int i : indices) {
                try {
                    dataset.get(i);
                } catch (RuntimeException bad) {
                    throw new IllegalStateException("DataLoader: sample " + i + " failed: " + bad.getMessage(), bad);
                }
            }
            throw new IllegalStateException("DataLoader: a batch of samples " + Arrays.toString(indices) + " failed: " + e.getMessage(), e);
        }
    }

    private synchronized java.util.concurrent.ExecutorService pool() {
        if (workers == null) {
            workers = java.util.concurrent.Executors.newFixedThreadPool(numWorkers, r -> {
                Thread t = new Thread(r, "jgrad-data-worker");
                t.setDaemon(true);
                return t;
            });
        }
        return workers;
    }
}
