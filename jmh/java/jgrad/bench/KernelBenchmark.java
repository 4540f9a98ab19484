package jgrad.bench;

import java.util.concurrent.TimeUnit;
import jgrad.nn.Functional;
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

/** Elementwise (with a broadcast bias), a reduction and softmax on [rows, cols] tensors, cpu vs reference. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBenchmark {
    @Param({"64,16", "64,784", "1024,1024"})
    String shape;

    @Param({"cpu", "reference"})
    String device;

    Tensor x, bias;

    @Setup
    public void setup() {
        String[] p = shape.split(",");
        int rows = Integer.parseInt(p[0]), cols = Integer.parseInt(p[1]);
        Device d = Device.of(device);
        x = Tensor.randn(new Generator(1), rows, cols).to(d);
        bias = Tensor.randn(new Generator(2), cols).to(d);
    }

    @Benchmark
    public Tensor addBias() {
        return x.add(bias);
    }

    @Benchmark
    public Tensor sigmoid() {
        return x.sigmoid();
    }

    @Benchmark
    public Tensor sumRows() {
        return x.sum(1, false);
    }

    @Benchmark
    public Tensor sumColumns() {
        return x.sum(0, false);
    }

    @Benchmark
    public Tensor softmax() {
        return Functional.softmax(x, 1);
    }
}
