package jgrad.backend.simd;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The GEMM micro-kernel alone, one core, on packed panels already in cache: a 120 × 256 block of
 * A (L2) against 8 strips of B (KC × NR each), the inner loops of {@code Gemm.packed} without the
 * packing, the threads or the trips to C in memory. This is the kernel's ceiling.
 *
 * <p>GFLOP/s = 2 · 120 · 8·NR · 256 / time (NR = 16 with AVX2: 7.86 MFLOP per call).
 *
 * <p>Five forks on purpose: each fork is a new JVM with a new compilation of the kernel. On this
 * project's machine the same kernel, timed best-of-many within one JVM, settled at 95–97 GFLOP/s in
 * three JVMs out of four and at 69–74 in the fourth (4 against about 5.3 cycles per k step; shifting
 * the data by any number of floats changed nothing, so it is the compiled code, not alignment), and
 * JMH's averages add the host's own noise on top (docs/performance.md, "Why the same code runs at
 * different speeds").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 5, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MicroKernelBenchmark {
    static final int MC = 120, KC = 256, STRIPS = 8, LDC = STRIPS * Gemm.NR;

    float[] packA, packB, c;

    @Setup
    public void setup() {
        Random r = new Random(1);
        packA = new float[MC * KC];
        packB = new float[STRIPS * KC * Gemm.NR];
        c = new float[MC * LDC];
        for (int i = 0; i < packA.length; i++) packA[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < packB.length; i++) packB[i] = r.nextFloat() - 0.5f;
    }

    /** One 120 × 128 × 256 block product: 8 strips of B, 30 strips of A each (7.86 MFLOP). */
    @Benchmark
    public float[] blockOfTiles() {
        for (int s = 0; s < STRIPS; s++) {
            for (int ir = 0; ir < MC; ir += Gemm.MR) {
                GemmKernel.kernel(KC, packA, ir * KC, packB, s * KC * Gemm.NR, c, ir * LDC + s * Gemm.NR, LDC, 1f);
            }
        }
        return c;
    }
}
