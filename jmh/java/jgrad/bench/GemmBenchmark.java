package jgrad.bench;

import java.util.concurrent.TimeUnit;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * C = A·B for square float32 matrices on a given device. Report GFLOP/s as 2n³ / time.
 * The fast CPU backend (a later issue) adds its device here, side by side with the reference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"64", "256"})
    int n;

    @Param({"reference"})
    String device;

    Tensor a, b;

    @Setup
    public void setup() {
        Generator g = new Generator(1);
        Device d = Device.of(device);
        a = Tensor.randn(g, n, n).to(d);
        b = Tensor.randn(g, n, n).to(d);
    }

    @Benchmark
    public Tensor matmul() {
        return a.matmul(b);
    }
}
