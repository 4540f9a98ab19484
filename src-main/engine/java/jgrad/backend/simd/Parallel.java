package jgrad.backend.simd;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * One worker per extra core, for splitting the outermost loop of big kernels. The caller works
 * on the parts too and returns when all are done.
 *
 * <p>Why not an ExecutorService: waking a parked thread costs tens of microseconds on these
 * machines (ParallelOverheadBenchmark measured 81 µs per hand-off with a fixed thread pool), more
 * than a whole small GEMM. So workers, like OpenMP's active wait policy, spin for a while after
 * each job before parking, and a burst of kernels (a training step) reaches them in well under a
 * microsecond. {@link #MIN_WORK} is the smallest job, in flops, worth splitting, set from that
 * benchmark (docs/performance.md).
 */
final class Parallel {
    private Parallel() {}

    static final int THREADS = Math.max(1, Integer.getInteger("jgrad.threads", Runtime.getRuntime().availableProcessors()));

    /** Jobs smaller than this many flops stay on the calling thread. */
    static final long MIN_WORK = Long.getLong("jgrad.parallel.minWork", 1L << 16);

    /** How long an idle worker spins before parking, in nanoseconds. */
    private static final long SPIN_NANOS = Long.getLong("jgrad.parallel.spinNanos", 200_000L);

    private static final Worker[] WORKERS = new Worker[THREADS - 1];

    static {
        for (int i = 0; i < WORKERS.length; i++) {
            WORKERS[i] = new Worker();
            Thread t = new Thread(WORKERS[i], "jgrad-worker-" + (i + 1));
            t.setDaemon(true);
            WORKERS[i].thread = t;
            t.start();
        }
    }

    /** Serialises callers: the workers serve one job at a time. */
    private static final Object JOB_LOCK = new Object();

    /** Runs body(0) … body(parts−1), on up to THREADS threads; returns when all are done. */
    static void run(int parts, IntConsumer body) {
        if (parts <= 1 || WORKERS.length == 0 || IN_WORKER.get()) {
            for (int i = 0; i < parts; i++) body.accept(i);
            return;
        }
        synchronized (JOB_LOCK) {
            IN_WORKER.set(true);  // a kernel called from inside this job (on any thread) runs inline
            try {
                runShared(parts, body);
            } finally {
                IN_WORKER.set(false);
            }
        }
    }

    /**
     * Every thread, the caller included, takes parts from a shared counter until none are left; the
     * caller then spins until every part has finished (jobs are microseconds long), and rethrows the
     * first failure so that an error in a worker surfaces where the kernel was called.
     *
     * <p>The caller does not wait for a helper to start: a worker that had parked can take a few
     * hundred microseconds to wake in these VMs (measured: ReLU's backward over [64, 6, 28, 28], split
     * in two, took 0.38 ms in a LeNet step against 0.13 ms on one thread), and meanwhile the caller
     * simply runs the remaining parts itself. A helper that wakes too late finds the counter spent.
     */
    private static void runShared(int parts, IntConsumer body) {
        int helpers = Math.min(parts - 1, WORKERS.length);
        AtomicInteger next = new AtomicInteger(0);
        AtomicInteger finished = new AtomicInteger(0);
        Throwable[] failure = new Throwable[1];
        Runnable share = () -> {
            for (int i = next.getAndIncrement(); i < parts; i = next.getAndIncrement()) {
                try {
                    body.accept(i);
                } catch (Throwable t) {
                    synchronized (failure) {
                        if (failure[0] == null) failure[0] = t;
                    }
                } finally {
                    finished.incrementAndGet();
                }
            }
        };
        for (int w = 0; w < helpers; w++) WORKERS[w].give(share);
        share.run();
        while (finished.get() < parts) Thread.onSpinWait();
        synchronized (failure) {
            if (failure[0] instanceof RuntimeException re) throw re;
            if (failure[0] instanceof Error e) throw e;
            if (failure[0] != null) throw new IllegalStateException(failure[0]);
        }
    }

    /** How many parts a job of {@code work} flops over {@code maxParts} independent pieces should be split into. */
    static int partsFor(long work, int maxParts) {
        // Inside a job the cores are already busy: splitting again would only cut the kernel's
        // register blocks into thinner pieces run one after the other.
        if (work < MIN_WORK || IN_WORKER.get()) return 1;
        return Math.max(1, Math.min(THREADS, maxParts));
    }

    /** Pieces per thread for {@link #chunksFor} (mutable only for the experiment harness). */
    static int CHUNKS_PER_THREAD = Integer.getInteger("jgrad.parallel.chunks", 4);

    /**
     * Like {@link #partsFor}, but several parts per thread, taken one at a time from the shared
     * counter: for loops over many independent pieces (images, planes), so that a core that starts
     * late (a parked worker waking) or runs slow (a busy host) does fewer of them instead of
     * holding up the whole job.
     */
    static int chunksFor(long work, int maxParts) {
        int parts = partsFor(work, maxParts);
        return parts <= 1 ? parts : Math.min(maxParts, parts * CHUNKS_PER_THREAD);
    }

    /** True on pool threads and on a caller while its job runs: a kernel called from inside a job runs inline. */
    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> false);

    private static final class Worker implements Runnable {
        volatile Runnable task;
        volatile boolean parked;
        Thread thread;

        void give(Runnable r) {
            task = r;
            if (parked) LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            IN_WORKER.set(true);
            long idleSince = System.nanoTime();
            while (true) {
                Runnable r = task;
                if (r != null) {
                    task = null;
                    r.run();
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (task == null) LockSupport.parkNanos(this, 1_000_000_000L);
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
