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
 * sgemm through Tensor.matmul: square sizes, and the shapes of MLP and LeNet training
 * ("m,n,k,transA,transB": a Linear forward is A·Wᵀ, its weight gradient dZᵀ·A).
 * GFLOP/s = 2·m·n·k / time. Run the reference only on small sizes: it is the oracle, not a contender.
 *
 * <p>{@code operands} is how many sets of operands the calls cycle through: 1 keeps them in cache;
 * 16 ({@code -p operands=16}) makes each call's operands come from memory, as a training loop's
 * batches and freshly updated weights do (compare {@code -jvmArgsAppend -Djgrad.gemm.noPrepack=true}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"64,64,64,f,f", "256,256,256,f,f", "512,512,512,f,f", "1024,1024,1024,f,f", "2048,2048,2048,f,f",
            "64,16,784,f,t", "16,784,64,t,f", "64,784,16,f,f",
            "64,128,784,f,t", "128,784,64,t,f", "64,64,128,f,t",
            "64,120,400,f,t", "120,400,64,t,f", "64,400,120,f,f"})
    String shape;

    @Param({"cpu"})
    String device;

    @Param({"1"})
    int operands;

    Tensor[] as, bs;
    int next;

    @Setup
    public void setup() {
        String[] p = shape.split(",");
        int m = Integer.parseInt(p[0]), n = Integer.parseInt(p[1]), k = Integer.parseInt(p[2]);
        boolean tA = p[3].equals("t"), tB = p[4].equals("t");
        Device d = Device.of(device);
        Generator g = new Generator(1);
        as = new Tensor[operands];
        bs = new Tensor[operands];
        for (int i = 0; i < operands; i++) {
            // a transposed operand is a transposed view of a row-major matrix, as in backward passes
            as[i] = tA ? Tensor.randn(g, k, m).to(d).t() : Tensor.randn(g, m, k).to(d);
            bs[i] = tB ? Tensor.randn(g, n, k).to(d).t() : Tensor.randn(g, k, n).to(d);
        }
    }

    @Benchmark
    public Tensor matmul() {
        int i = next;
        next = (i + 1) % operands;
        return as[i].matmul(bs[(i * 7) % operands]);
    }
}
