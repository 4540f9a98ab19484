package jgrad.backend.simd;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * A fixed pool with one worker per core, for splitting the outermost loop of big kernels.
 * The caller runs part 0 itself, so with T cores T−1 tasks are handed over.
 *
 * <p>Handing work to another thread costs a few microseconds (a queue put, an unpark, a future
 * wait); {@link #MIN_WORK} is the smallest job, in multiply-adds, worth splitting. It was set from
 * the {@code ParallelOverheadBenchmark} in jmh/ (see docs/performance.md).
 */
final class Parallel {
    private Parallel() {}

    static final int THREADS = Integer.getInteger("jgrad.threads", Runtime.getRuntime().availableProcessors());

    /** Jobs smaller than this many flops stay on the calling thread. */
    static final long MIN_WORK = Long.getLong("jgrad.parallel.minWork", 1L << 18);

    private static final ExecutorService POOL = THREADS <= 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "jgrad-worker");
        t.setDaemon(true);
        return t;
    });

    /** Runs body(0) … body(parts−1), on up to THREADS threads; returns when all are done. */
    static void run(int parts, IntConsumer body) {
        if (parts <= 1 || POOL == null) {
            for (int i = 0; i < parts; i++) body.accept(i);
            return;
        }
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[parts - 1];
        for (int i = 1; i < parts; i++) {
            final int part = i;
            futures[i - 1] = POOL.submit(() -> body.accept(part));
        }
        body.accept(0);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a worker", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) throw re;
                if (cause instanceof Error err) throw err;
                throw new IllegalStateException(cause);
            }
        }
    }

    /** How many parts a job of {@code work} flops over {@code maxParts} independent pieces should be split into. */
    static int partsFor(long work, int maxParts) {
        if (work < MIN_WORK) return 1;
        return Math.max(1, Math.min(THREADS, maxParts));
    }
}
