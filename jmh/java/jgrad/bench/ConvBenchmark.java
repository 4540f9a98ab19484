package jgrad.bench;

import java.util.concurrent.TimeUnit;
import jgrad.ops.Conv2d;
import jgrad.ops.Pool2d;
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
 * conv2d forward, input gradient and weight gradient for LeNet's two convolutions (batch 64) and a
 * 3×3 64→64 layer on 32×32 at batch 32; 2×2 max pooling. Shape: "N,C,H,W,K,R,pad".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBenchmark {
    @Param({"64,1,28,28,6,5,2", "64,6,14,14,16,5,0", "32,64,32,32,64,3,1"})
    String shape;

    @Param({"cpu"})
    String device;

    Tensor x, w, dy, pooled;
    int[] one = {1, 1}, pad;

    @Setup
    public void setup() {
        String[] p = shape.split(",");
        int n = Integer.parseInt(p[0]), c = Integer.parseInt(p[1]), h = Integer.parseInt(p[2]), wd = Integer.parseInt(p[3]);
        int k = Integer.parseInt(p[4]), r = Integer.parseInt(p[5]), pd = Integer.parseInt(p[6]);
        Device d = Device.of(device);
        Generator g = new Generator(1);
        pad = new int[] {pd, pd};
        x = Tensor.randn(g, n, c, h, wd).to(d);
        w = Tensor.randn(g, k, c, r, r).to(d);
        Tensor y = Conv2d.apply(x, w, one, pad, one);
        dy = Tensor.randn(g, y.shape()).to(d);
        pooled = y;
    }

    @Benchmark
    public Tensor forward() {
        return Conv2d.apply(x, w, one, pad, one);
    }

    @Benchmark
    public Tensor inputGrad() {
        return jgrad.tensor.FusedKernels.conv2dInputGrad(new jgrad.backend.Conv2dShape(x.size(0), x.size(1), x.size(2), x.size(3),
                w.size(0), w.size(2), w.size(3), 1, 1, pad[0], pad[1], 1, 1), dy, w);
    }

    @Benchmark
    public Tensor weightGrad() {
        return jgrad.tensor.FusedKernels.conv2dWeightGrad(new jgrad.backend.Conv2dShape(x.size(0), x.size(1), x.size(2), x.size(3),
                w.size(0), w.size(2), w.size(3), 1, 1, pad[0], pad[1], 1, 1), x, dy);
    }

    @Benchmark
    public Tensor maxPool() {
        return Pool2d.max(pooled, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0});
    }
}
