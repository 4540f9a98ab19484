package jgrad.backend.simd;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * How far apart the two cores are: what it costs for data written by one thread to be read by
 * the other, which every split kernel pays when its parts meet (an activation one core wrote and
 * the next op's other half reads, the packed operand half of it packed elsewhere).
 *
 * <p>Two threads take turns. Each waits for its turn on a shared counter, copies out the buffer the
 * other one just wrote, overwrites it, and passes the turn. With {@code floats} = 0
 * only the counter's cache line travels: one operation is then one round trip of a line. With
 * 8192 (32 KB, a 64×128 activation) the buffer moves with it; compare with
 * {@link #sameCore}, which makes the same two passes over the buffer on one thread.
 * {@code java -jar jmh/target/benchmarks.jar CrossCore} (docs/performance.md).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class CrossCoreBenchmark {
    @Param({"0", "8192"})
    public int floats;

    private final AtomicInteger turn = new AtomicInteger();
    private float[] buffer;

    @org.openjdk.jmh.annotations.Setup
    public void setup() {
        buffer = new float[floats];
    }

    /** Each thread's own arrays: where it copies the buffer to, and what it writes into it. */
    @State(Scope.Thread)
    public static class Own {
        float[] copy, fill;

        @org.openjdk.jmh.annotations.Setup
        public void setup(CrossCoreBenchmark shared) {
            copy = new float[shared.floats];
            fill = new float[shared.floats];
            java.util.Arrays.fill(fill, 1f);
        }
    }

    /** Waits for {@code mine}, copies the buffer out and overwrites it, passes the turn to the other thread. */
    private float take(int mine, Own own, Control control) {
        while (turn.get() != mine) {
            if (control.stopMeasurement) return 0f;  // the other thread has stopped: don't wait for it
            Thread.onSpinWait();
        }
        System.arraycopy(buffer, 0, own.copy, 0, floats);
        System.arraycopy(own.fill, 0, buffer, 0, floats);
        turn.set(1 - mine);
        return floats == 0 ? 0f : own.copy[floats - 1];
    }

    @Benchmark
    @Group("pingPong")
    @GroupThreads(1)
    public float ping(Own own, Control control) {
        return take(0, own, control);
    }

    @Benchmark
    @Group("pingPong")
    @GroupThreads(1)
    public float pong(Own own, Control control) {
        return take(1, own, control);
    }

    /** Both turns' copies on one thread: what {@code pingPong} would cost if no data crossed. */
    @Benchmark
    @Group("sameCore")
    @GroupThreads(1)
    public float sameCore(Own own) {
        for (int pass = 0; pass < 2; pass++) {
            System.arraycopy(buffer, 0, own.copy, 0, floats);
            System.arraycopy(own.fill, 0, buffer, 0, floats);
        }
        return floats == 0 ? 0f : own.copy[floats - 1];
    }
}
