package jgrad.autograd;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import jgrad.tensor.Device;

/**
 * Where a training step's time goes, per module, as torch.profiler's key averages: forward time,
 * backward time (the backward of every op recorded while the module ran its forward), and the
 * split between loading data and computing.
 *
 * <pre>{@code
 * Profiler p = Profiler.start();
 * ... train some steps ...
 * p.stop();
 * p.print(System.out);
 * }</pre>
 *
 * <p>Modules are timed by {@code Sequential} (each of its layers is a scope, named by position and
 * class) and the {@code Trainer} (data versus compute). Each scope ends by waiting for the device
 * ({@link jgrad.backend.Backend#finish}), so on an asynchronous device the time is the layer's, not
 * the time to queue it; that wait slows the run a little. One profiler at a time, one thread.
 */
public final class Profiler {
    private static volatile Profiler active;

    private static final class Stats {
        long calls, forwardNanos, backwardNanos;
    }

    private final Map<String, Stats> stats = new LinkedHashMap<>();
    private final Deque<String> scopes = new ArrayDeque<>();
    private long dataNanos, computeNanos;

    private Profiler() {}

    /** Starts profiling (the previous profiler, if any, stops). */
    public static Profiler start() {
        Profiler p = new Profiler();
        active = p;
        return p;
    }

    public void stop() {
        if (active == this) active = null;
    }

    /** The running profiler, or null. */
    public static Profiler active() {
        return active;
    }

    /** The innermost module scope being run, or null (recorded by each Function for its backward). */
    static String currentScope() {
        Profiler p = active;
        return p == null ? null : p.scopes.peek();
    }

    /** Times {@code body} as the forward of the module named {@code name}. */
    public <T> T forward(String name, Device device, java.util.function.Supplier<T> body) {
        scopes.push(name);
        long t0 = System.nanoTime();
        try {
            T out = body.get();
            device.backend().finish();
            return out;
        } finally {
            scopes.pop();
            Stats s = stats.computeIfAbsent(name, n -> new Stats());
            s.calls++;
            s.forwardNanos += System.nanoTime() - t0;
        }
    }

    void addBackward(String scope, long nanos) {
        stats.computeIfAbsent(scope, n -> new Stats()).backwardNanos += nanos;
    }

    /** Time spent waiting for a batch. */
    public void addData(long nanos) {
        dataNanos += nanos;
    }

    /** Time spent on a step (forward, backward, update). */
    public void addCompute(long nanos) {
        computeNanos += nanos;
    }

    /** The table: one row per module, then the data/compute split. */
    public void print(PrintStream out) {
        long total = 0;
        for (Stats s : stats.values()) total += s.forwardNanos + s.backwardNanos;
        out.printf("%-32s %8s %12s %12s %12s %7s%n", "module", "calls", "forward ms", "backward ms", "total ms", "share");
        for (Map.Entry<String, Stats> e : stats.entrySet()) {
            Stats s = e.getValue();
            long t = s.forwardNanos + s.backwardNanos;
            out.printf(Locale.ROOT, "%-32s %8d %12.1f %12.1f %12.1f %6.1f%%%n", e.getKey(), s.calls, s.forwardNanos / 1e6,
                    s.backwardNanos / 1e6, t / 1e6, total == 0 ? 0 : 100.0 * t / total);
        }
        if (dataNanos + computeNanos > 0) {
            out.printf(Locale.ROOT, "data loading %.1f ms (%.1f%%), compute %.1f ms (%.1f%%)%n", dataNanos / 1e6,
                    100.0 * dataNanos / (dataNanos + computeNanos), computeNanos / 1e6, 100.0 * computeNanos / (dataNanos + computeNanos));
        }
    }

    /** Total forward plus backward milliseconds of one module (for tests). */
    public double millis(String module) {
        Stats s = stats.get(module);
        return s == null ? 0 : (s.forwardNanos + s.backwardNanos) / 1e6;
    }

    public java.util.Set<String> modules() {
        return stats.keySet();
    }
}
