package jgrad.backend.simd;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import jgrad.backend.Conv2dShape;
import jgrad.backend.Pool2dShape;

/**
 * Kernels timed by the calling thread's CPU time, the best of many calls: a measure that a busy
 * host (other engineers' builds on the same two cores) hardly moves, where wall-clock times and
 * JMH's averages swing by 2×. Best of 200 calls of LeNet's conv2 input gradient read 1,576 and
 * 1,575 µs in two JVMs at a load average of 16. It measures one core's work only: run with
 * {@code -Djgrad.threads=1} (the default here) so that no part of a kernel goes to another thread.
 * Compare settings in separate JVMs (static tuning knobs), e.g. {@code -Djgrad.simd.bits=256}.
 *
 * <pre>
 *   mvn -f jmh/pom.xml package
 *   java --add-modules jdk.incubator.vector -cp jmh/target/benchmarks.jar jgrad.backend.simd.ThreadCpuTime conv
 *   java --add-modules jdk.incubator.vector -cp jmh/target/benchmarks.jar jgrad.backend.simd.ThreadCpuTime gemm
 *   java --add-modules jdk.incubator.vector -cp jmh/target/benchmarks.jar jgrad.backend.simd.ThreadCpuTime sgemm 1024
 * </pre>
 */
public final class ThreadCpuTime {
    private ThreadCpuTime() {}

    private static final ThreadMXBean T = ManagementFactory.getThreadMXBean();
    /** {@code -Dwall=true}: best wall-clock time instead, for runs with {@code -Djgrad.threads=2}. */
    private static final boolean WALL = Boolean.getBoolean("wall");

    /** The best thread-CPU time of {@code calls} calls, in µs. */
    static double best(Runnable op, int calls) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < calls; i++) {
            long t0 = WALL ? System.nanoTime() : T.getCurrentThreadCpuTime();
            op.run();
            best = Math.min(best, (WALL ? System.nanoTime() : T.getCurrentThreadCpuTime()) - t0);
        }
        return best / 1e3;
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() - 0.5f;
        return a;
    }

    private static final String USAGE = "usage: ThreadCpuTime conv | gemm | sgemm N | resnet SIZE BATCH | conv3 N C SIZE K [R [STRIDE]]";

    public static void main(String[] args) {
        if (System.getProperty("jgrad.threads") == null) System.setProperty("jgrad.threads", "1");
        if (args.length == 0 || args[0].equals("conv3") && args.length < 5) {
            System.err.println(USAGE);
            System.exit(2);
        }
        try {
            run(args);
        } catch (IllegalArgumentException e) {  // a number that is not one, or a shape Conv2dShape refuses
            System.err.println("ThreadCpuTime: " + e.getMessage() + " (" + USAGE + ")");
            System.exit(2);
        }
    }

    private static void run(String[] args) {
        String what = args[0];
        for (int rep = 0; rep < 3; rep++) {
            switch (what) {
                case "conv" -> conv();
                case "gemm" -> gemmShapes();
                case "sgemm" -> sgemm(Integer.parseInt(args.length > 1 ? args[1] : "1024"));
                case "conv3" -> conv3(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                        args.length > 5 ? Integer.parseInt(args[5]) : 3, args.length > 6 ? Integer.parseInt(args[6]) : 1);
                case "resnet" -> resnet(Integer.parseInt(args.length > 1 ? args[1] : "224"), Integer.parseInt(args.length > 2 ? args[2] : "8"));
                default -> {
                    System.err.println("unknown '" + what + "' (" + USAGE + ")");
                    System.exit(2);
                }
            }
        }
    }

    /** LeNet-5's convolutions and pools, batch 64: the kernels of one training step. */
    private static void conv() {
        int n = 64;
        Random r = new Random(1);
        Conv2dShape c1 = new Conv2dShape(n, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 1, 1), c2 = new Conv2dShape(n, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 1, 1);
        float[] x1 = random(r, n * 784), w1 = random(r, 150), y1 = new float[n * 6 * 784], dw1 = new float[150], dy1 = random(r, n * 6 * 784);
        float[] x2 = random(r, n * 6 * 196), w2 = random(r, 2400), y2 = new float[n * 1600], dx2 = new float[n * 6 * 196], dw2 = new float[2400];
        float[] dy2 = random(r, n * 1600);
        Pool2dShape p1 = new Pool2dShape(n, 6, 28, 28, 2, 2, 2, 2, 0, 0, false, true), p2 = new Pool2dShape(n, 16, 10, 10, 2, 2, 2, 2, 0, 0, false, true);
        float[] py1 = new float[n * 6 * 196], am1 = new float[n * 6 * 196], py2 = new float[n * 400], am2 = new float[n * 400];
        float[] pdx1 = new float[n * 6 * 784], pdx2 = new float[n * 1600];
        System.out.printf("LeNet, batch 64, %d lanes, µs: conv1 forward %.0f, weight grad %.0f | conv2 forward %.0f, input grad %.0f, weight grad %.0f"
                        + " | pool1 %.0f, backward %.0f | pool2 %.0f, backward %.0f%n", Simd.LANES,
                best(() -> ImplicitConv.forward(c1, x1, 0, w1, 0, y1), 200),
                best(() -> ImplicitConvWeightGrad.weightGrad(c1, x1, 0, dy1, dw1), 200),
                best(() -> ImplicitConv.forward(c2, x2, 0, w2, 0, y2), 200),
                best(() -> ImplicitConv.inputGrad(c2, dy2, w2, 0, dx2), 200),
                best(() -> ImplicitConvWeightGrad.weightGrad(c2, x2, 0, dy2, dw2), 200),
                best(() -> Pooling.maxPool2d(p1, y1, 0, py1, am1), 200),
                best(() -> Pooling.maxPool2dBackward(p1, py1, am1, pdx1), 200),
                best(() -> Pooling.maxPool2d(p2, y2, 0, py2, am2), 200),
                best(() -> Pooling.maxPool2dBackward(p2, py2, am2, pdx2), 200));
    }

    /** The GEMMs of the two MLPs' and LeNet's training steps (batch 64), with their transpose flags. */
    private static void gemmShapes() {
        int[][] shapes = {  // tA, tB, m, n, k
            {0, 1, 64, 16, 784}, {1, 0, 16, 784, 64}, {0, 1, 64, 128, 784}, {1, 0, 128, 784, 64}, {0, 1, 64, 64, 128},
            {1, 0, 64, 128, 64}, {0, 0, 64, 128, 64}, {0, 1, 64, 120, 400}, {1, 0, 120, 400, 64}, {0, 0, 64, 400, 120}};
        Random r = new Random(1);
        float[] a = random(r, 1 << 17), b = random(r, 1 << 17), c = new float[1 << 17];
        StringBuilder line = new StringBuilder(Simd.LANES + " lanes, µs:");
        for (int[] s : shapes) {
            boolean tA = s[0] == 1, tB = s[1] == 1;
            int m = s[2], n = s[3], k = s[4];
            double us = best(() -> Gemm.gemm(tA, tB, m, n, k, 1f, a, 0, tA ? m : k, b, 0, tB ? k : n, 0f, c, 0, n), 2000);
            line.append(String.format(" %s%s %d×%d×%d %.1f", tA ? "T" : "N", tB ? "T" : "N", m, n, k, us));
        }
        System.out.println(line);
    }

    /**
     * ResNet-18's distinct convolutions at {@code size}² input and batch {@code n}: forward, input
     * gradient and weight gradient through the backend's path choice, GFLOP per CPU-second each.
     * The peer is jmh/peers/torch_convs.py (one thread).
     */
    private static void resnet(int size, int n) {
        SimdBackend be = new SimdBackend();
        int s1 = (size + 1) / 2, s2 = (s1 + 1) / 2;  // after the stem, after the max pool
        int[][] convs = {  // c, h, k, r, stride, pad, count in the network
            {3, size, 64, 7, 2, 3, 1}, {64, s2, 64, 3, 1, 1, 4},
            {64, s2, 128, 3, 2, 1, 1}, {64, s2, 128, 1, 2, 0, 1}, {128, (s2 + 1) / 2, 128, 3, 1, 1, 3},
            {128, (s2 + 1) / 2, 256, 3, 2, 1, 1}, {128, (s2 + 1) / 2, 256, 1, 2, 0, 1}, {256, (s2 + 3) / 4, 256, 3, 1, 1, 3},
            {256, (s2 + 3) / 4, 512, 3, 2, 1, 1}, {256, (s2 + 3) / 4, 512, 1, 2, 0, 1}, {512, (s2 + 7) / 8, 512, 3, 1, 1, 3}};
        Random rnd = new Random(1);
        double[] total = new double[3];
        for (int[] v : convs) {
            Conv2dShape g = new Conv2dShape(n, v[0], v[1], v[1], v[2], v[3], v[3], v[4], v[4], v[5], v[5], 1, 1);
            int xs = n * v[0] * v[1] * v[1], ys = n * v[2] * g.p() * g.q(), ws = v[2] * v[0] * v[3] * v[3];
            jgrad.backend.Buffer x = be.upload(random(rnd, xs)), w = be.upload(random(rnd, ws)), dy = be.upload(random(rnd, ys));
            jgrad.backend.Buffer y = be.allocate(ys), dx = be.allocate(xs), dw = be.allocate(ws);
            double flop = 2.0 * ys * v[0] * v[3] * v[3];
            int calls = (int) Math.max(3, Math.min(50, 2e9 / flop));
            double f = best(() -> be.conv2d(g, x, 0, w, 0, y), calls);
            double i = best(() -> be.conv2dInputGrad(g, dy, w, 0, dx), calls);
            double d = best(() -> be.conv2dWeightGrad(g, x, 0, dy, dw), calls);
            total[0] += f * v[6]; total[1] += i * v[6]; total[2] += d * v[6];
            System.out.printf("%4d→%-4d %d×%d s%d at %3d (×%d): fwd %7.0f µs %5.1f GF/s | dx %7.0f µs %5.1f | dw %7.0f µs %5.1f  [%s/%s/%s]%n",
                    v[0], v[2], v[3], v[3], v[4], v[1], v[6], f, flop / f / 1e3, i, flop / i / 1e3, d, flop / d / 1e3,
                    ConvPath.forward(g), ConvPath.inputGrad(g), ConvPath.weightGrad(g));
        }
        System.out.printf("total ms (one thread): fwd %.1f, dx %.1f, dw %.1f%n", total[0] / 1e3, total[1] / 1e3, total[2] / 1e3);
    }

    /** One r×r convolution (padding r/2), batch n, c → k channels at size², the three passes: conv3 N C SIZE K [R [STRIDE]]. */
    private static void conv3(int n, int c, int size, int k, int r, int stride) {
        SimdBackend be = new SimdBackend();
        Conv2dShape g = new Conv2dShape(n, c, size, size, k, r, r, stride, stride, r / 2, r / 2, 1, 1);
        Random rnd = new Random(1);
        int xs = n * c * size * size, ys = n * k * g.p() * g.q(), ws = k * c * r * r;
        jgrad.backend.Buffer x = be.upload(random(rnd, xs)), w = be.upload(random(rnd, ws)), dy = be.upload(random(rnd, ys));
        jgrad.backend.Buffer y = be.allocate(ys), dx = be.allocate(xs), dw = be.allocate(ws);
        double flop = 2.0 * ys * c * 9;
        System.out.printf("%d→%d at %d, batch %d: fwd %.0f µs, dx %.0f µs, dw %.0f µs (%s)%n", c, k, size, n,
                best(() -> be.conv2d(g, x, 0, w, 0, y), 100), best(() -> be.conv2dInputGrad(g, dy, w, 0, dx), 100),
                best(() -> be.conv2dWeightGrad(g, x, 0, dy, dw), 100), ConvPath.forward(g));
    }

    private static void sgemm(int n) {
        Random r = new Random(1);
        float[] a = random(r, n * n), b = random(r, n * n), c = new float[n * n];
        double us = best(() -> Gemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n), Math.max(5, 30_000_000 / n / n));
        System.out.printf("sgemm %d³, %d lanes, KC %d, KC_BIG %d: %.1f GFLOP per CPU-second%n", n, Simd.LANES, Gemm.KC, Gemm.KC_BIG, 2.0 * n * n * n / us / 1e3);
    }
}
