package jgrad.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import jgrad.backend.Backend;
import jgrad.backend.Buffer;
import jgrad.backend.reference.Composed;
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
 * One recurrent step's gate arithmetic, forward then backward, as the fused primitives
 * ({@code Backend.lstmCell} + {@code lstmCellBackward}, one pass each) against their definitions
 * from map and zip ({@code Composed}: ~30 passes over [N, H] and their temporaries), on the same
 * backend. "NxH": batch 64 and hidden 128 are issue #19's sequential-MNIST LSTM; the second its
 * character model (32x256). The GEMMs of the step are not included (they are the same in both).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RecurrentCellBenchmark {
    @Param({"64x128", "32x256"})
    String shape;

    @Param({"cpu"})
    String device;

    Backend b;
    int n, hidden;
    Buffer gates, cPrev, act, c, h, dh, dcNext, dGates, dcPrev;
    Buffer xg, hg, hPrev, gruAct, dXg, dHg;

    @Setup
    public void setup() {
        String[] p = shape.split("x");
        n = Integer.parseInt(p[0]);
        hidden = Integer.parseInt(p[1]);
        b = Device.of(device).backend();
        Random r = new Random(1);
        int nh = n * hidden;
        gates = random(r, 4 * nh);
        cPrev = random(r, nh);
        dh = random(r, nh);
        dcNext = random(r, nh);
        act = b.allocate(4 * nh);
        c = b.allocate(nh);
        h = b.allocate(nh);
        dGates = b.allocate(4 * nh);
        dcPrev = b.allocate(nh);
        xg = random(r, 3 * nh);
        hg = random(r, 3 * nh);
        hPrev = random(r, nh);
        gruAct = b.allocate(4 * nh);
        dXg = b.allocate(3 * nh);
        dHg = b.allocate(3 * nh);
    }

    private Buffer random(Random r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = (float) r.nextGaussian();
        return b.upload(v);
    }

    @Benchmark
    public Buffer lstmFused() {
        b.lstmCell(n, hidden, gates, 0, cPrev, 0, act, 0, c, 0, h, 0);
        b.lstmCellBackward(n, hidden, act, 0, cPrev, 0, c, 0, dh, 0, dcNext, 0, dGates, 0, dcPrev, 0);
        b.finish();
        return dcPrev;
    }

    @Benchmark
    public Buffer lstmComposed() {
        Composed.lstmCell(b, n, hidden, gates, 0, cPrev, 0, act, 0, c, 0, h, 0);
        Composed.lstmCellBackward(b, n, hidden, act, 0, cPrev, 0, c, 0, dh, 0, dcNext, 0, dGates, 0, dcPrev, 0);
        b.finish();
        return dcPrev;
    }

    @Benchmark
    public Buffer gruFused() {
        b.gruCell(n, hidden, xg, 0, hg, 0, hPrev, 0, gruAct, 0, h, 0);
        b.gruCellBackward(n, hidden, gruAct, 0, hPrev, 0, dh, 0, dXg, 0, dHg, 0, dcPrev, 0);
        b.finish();
        return dcPrev;
    }

    @Benchmark
    public Buffer gruComposed() {
        Composed.gruCell(b, n, hidden, xg, 0, hg, 0, hPrev, 0, gruAct, 0, h, 0);
        Composed.gruCellBackward(b, n, hidden, gruAct, 0, hPrev, 0, dh, 0, dXg, 0, dHg, 0, dcPrev, 0);
        b.finish();
        return dcPrev;
    }
}
