package jgrad.bench;

import java.util.concurrent.TimeUnit;
import jgrad.tensor.Device;
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

/** A whole LeNet-5 training step at batch 64 and an inference pass at batch 256 ({@link LeNetStep}). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LeNetBenchmark {
    LeNetStep train, infer;

    @Setup
    public void setup() {
        train = new LeNetStep(Device.cpu(), 64);
        infer = new LeNetStep(Device.cpu(), 256);
    }

    @Benchmark
    public float trainingStep() {
        return train.train();
    }

    @Benchmark
    public float[] inference() {
        return infer.infer();
    }
}
