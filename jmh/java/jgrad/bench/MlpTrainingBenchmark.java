package jgrad.bench;

import java.util.concurrent.TimeUnit;
import jgrad.tensor.Device;
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
 * One full training step (forward, cross-entropy, backward, SGD with momentum, loss.item()) of
 * 3Blue1Brown's 784-16-16-10 sigmoid MLP and of a 784-128-64-10 ReLU MLP, batch 64, data in
 * memory. images/s = 64 / time. Run with {@code -prof gc} to see the allocation per step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MlpTrainingBenchmark {
    @Param({"784-16-16-10 sigmoid", "784-128-64-10 relu"})
    String model;

    @Param({"cpu", "reference"})
    String device;

    MlpStep step;

    @Setup
    public void setup() {
        String[] p = model.split(" ");
        String[] s = p[0].split("-");
        int[] sizes = new int[s.length];
        for (int i = 0; i < s.length; i++) sizes[i] = Integer.parseInt(s[i]);
        step = new MlpStep(Device.of(device), sizes, p[1], 64);
    }

    @Benchmark
    public float trainingStep() {
        return step.step();
    }
}
