package jgrad.backend.simd;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What it costs to hand work to the pool: {@link Parallel#run} with 2 parts of no work, against
 * running both parts on the calling thread. The difference sets {@link Parallel#MIN_WORK}:
 * splitting a job in two saves half its time, so it pays when work/2 at one core's speed exceeds
 * the hand-off cost (see docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ParallelOverheadBenchmark {
    @Benchmark
    public void handOffToPool(Blackhole bh) {
        Parallel.run(2, bh::consume);
    }

    @Benchmark
    public void stayOnCaller(Blackhole bh) {
        bh.consume(0);
        bh.consume(1);
    }
}
