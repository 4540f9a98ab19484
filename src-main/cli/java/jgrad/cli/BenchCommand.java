package jgrad.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import jgrad.backend.Backend;
import jgrad.backend.Buffer;
import jgrad.backend.Conv2dShape;
import jgrad.backend.simd.Simd;
import jgrad.bench.LeNetStep;
import jgrad.bench.MlpStep;
import jgrad.bench.SequenceStep;
import jgrad.bench.PeakMemory;
import jgrad.bench.ZooStep;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import jgrad.train.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jgrad bench}: a quick subset of the JMH suite (well under a minute), the fast CPU backend
 * and the reference side by side. Each case is warmed up, then timed over repeated calls; the
 * table shows the mean time per call. For careful numbers use the JMH suite (see README).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Quick benchmarks: sgemm, convolutions, MLP and LeNet training steps, LeNet inference, elementwise, reductions, softmax; cpu vs reference, or one --device.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
    Path json;
    @Option(names = "--seconds", defaultValue = "0.3", description = "time to measure each case (default: ${DEFAULT-VALUE})")
    double seconds;
    @Option(names = "--only", split = ",", paramLabel = "NAME",
            description = "run only these benchmarks: sgemm, conv, mlp_step, lenet_train, lenet_infer, lstm_train, charlm_train, resnet18, "
                    + "mobilenet_v2, add, sigmoid, sum, softmax, loader (resnet18 and mobilenet_v2 only when named: they take minutes)")
    List<String> only;
    @Option(names = "--device", paramLabel = "DEVICE",
            description = "benchmark this device alone (cpu, reference, opencl, opencl:N) instead of cpu next to reference")
    String device;
    @Option(names = "--sizes", split = ",", paramLabel = "N",
            description = "sgemm sizes (default: 128,256,512,1024,2048; 1024,2048,4096,8192 with an OpenCL device)")
    List<Integer> sizes;
    @Option(names = "--lockstep", description = "serve measurements for jmh/peers/lockstep.py: read case names on standard "
            + "input (sgemm N, mlp 784-16-16-10, mlp 784-128-64-10, lenet_train, lenet_infer, lstm_train, charlm_train, "
            + "MODEL_train|infer|frozen SIZExBATCH such as resnet18_train 224x8), answer each with one JSON line")
    boolean lockstep;
    @Option(names = "--warmup-cap", defaultValue = "1", hidden = true, description = "scales the warm-up caps (tests use a small value)")
    double warmupScale;

    private static final List<String> NAMES = List.of("sgemm", "conv", "mlp_step", "lenet_train", "lenet_infer", "lstm_train", "charlm_train", "resnet18",
            "mobilenet_v2", "add", "sigmoid",
            "sum", "softmax", "loader");

    private boolean wanted(String name) {
        return only == null || only.contains(name);
    }

    private final List<Map<String, Object>> rows = new ArrayList<>();
    /** CPU model, instruction set and vector widths: in the header, and in every JSON row and lockstep answer. */
    private final MachineInfo machine = MachineInfo.here();

    @Override
    public Integer call() throws IOException {
        if (only != null) {
            for (String n : only) {
                if (!NAMES.contains(n)) throw new IllegalArgumentException("--only: unknown benchmark '" + n + "', expected one of " + NAMES);
            }
        }
        if (json != null) jgrad.tensor.AtomicFile.checkWritableFile(json, "--json");  // before the benchmarks, not after
        Device cpu = device == null ? Device.cpu() : Device.of(device);
        if (lockstep) {
            lockstep(cpu);
            return 0;
        }
        Device ref = Device.reference();
        List<Device> both = device == null ? List.of(cpu, ref) : List.of(cpu);
        boolean gpu = cpu.name().startsWith("opencl");
        if (device == null) {
            System.out.printf("jgrad bench: cpu = %s backend (%d-bit vectors), %d threads; reference = plain loops, 1 thread%n",
                    cpu.backend().name(), Simd.BITS, Simd.threads());
            System.out.printf("machine: %s%n%n", machine.describe());
        } else {
            System.out.printf("jgrad bench on %s%s%nmachine: %s%n%n", cpu.name(), gpu ? ": " + cpu.backend().name() : "", machine.describe());
        }
        System.out.printf("%-12s %-34s %-10s %7s %11s %10s %12s%n", "benchmark", "shape", "device", "threads", "ms", "GFLOP/s", "images/s");
        List<Integer> sgemmSizes = sizes != null ? sizes : gpu ? List.of(1024, 2048, 4096, 8192) : List.of(128, 256, 512, 1024, 2048);
        for (int n : wanted("sgemm") ? sgemmSizes : List.<Integer>of()) {
            for (Device d : n <= 256 ? both : List.of(cpu)) {
                Tensor a = Tensor.randn(new Generator(1), n, n).to(d), b = Tensor.randn(new Generator(2), n, n).to(d);
                time("sgemm", n + "x" + n + "x" + n, d, 2.0 * n * n * n, 0, () -> a.matmul(b));
            }
        }
        if (wanted("conv")) {
            // LeNet's two convolutions (batch 64) and a 3×3 64→64 layer on 32×32 (batch 32)
            Conv2dShape[] shapes = {new Conv2dShape(64, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 1, 1),
                    new Conv2dShape(64, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 1, 1),
                    new Conv2dShape(32, 64, 32, 32, 64, 3, 3, 1, 1, 1, 1, 1, 1)};
            for (Conv2dShape g : shapes) convCases(cpu, g);
        }
        Object[][] mlps = {{new int[] {784, 16, 16, 10}, "sigmoid"}, {new int[] {784, 128, 64, 10}, "relu"}};
        for (Object[] mlp : wanted("mlp_step") ? mlps : new Object[0][]) {
            for (Device d : both) {
                MlpStep step = new MlpStep(d, (int[]) mlp[0], (String) mlp[1], 64);
                time("mlp_step", step.name + " batch 64", d, 0, 64, step::step, d == cpu ? 4.0 : 1.0);
            }
        }
        if (wanted("lenet_train")) time("lenet_train", "batch 64", cpu, 0, 64, new LeNetStep(cpu, 64)::train, 6.0);
        if (wanted("lenet_infer")) time("lenet_infer", "batch 256", cpu, 0, 256, new LeNetStep(cpu, 256)::infer, 3.0);
        // recurrent training steps (the "images/s" column counts sequences): sequential MNIST, and the char-LM
        if (wanted("lstm_train")) time("lstm_train", "28x28 rows, hidden 128, batch 64", cpu, 0, 64, SequenceStep.lstm(cpu)::step, 4.0);
        if (wanted("charlm_train")) time("charlm_train", "100 chars, 64-256, batch 32", cpu, 0, 32, SequenceStep.charLm(cpu)::step, 4.0);
        for (String model : List.of("resnet18", "mobilenet_v2")) {  // only when named with --only: each takes a minute
            if (only == null || !only.contains(model)) continue;
            for (String c : ZooStep.BENCH_CASES) {
                ZooStep z = ZooStep.of(cpu, model + "_" + c);
                time(model, c, cpu, 0, z.batch, z.work(), 10.0);
            }
        }
        for (Device d : both) {
            Tensor x = Tensor.randn(new Generator(3), 1024, 1024).to(d), bias = Tensor.randn(new Generator(4), 1024).to(d);
            if (wanted("add")) time("add", "[1024,1024] + [1024]", d, 1024 * 1024, 0, () -> x.add(bias));
            if (wanted("sigmoid")) time("sigmoid", "[1024,1024]", d, 1024 * 1024, 0, x::sigmoid);
            if (wanted("sum")) time("sum", "[1024,1024] over dim 1", d, 1024 * 1024, 0, () -> x.sum(1, false));
            Tensor logits = Tensor.randn(new Generator(5), 256, 1000).to(d);
            if (wanted("softmax")) {
                time("softmax", "[256,1000] over dim 1", d, 256 * 1000 * 4, 0, () -> jgrad.nn.Functional.softmax(logits, 1));
            }
        }
        if (wanted("loader")) loaderCases();
        if (json != null) {
            StringBuilder sb = new StringBuilder("[\n");
            for (int i = 0; i < rows.size(); i++) sb.append(Json.object(rows.get(i)).strip()).append(i + 1 < rows.size() ? ",\n" : "\n");
            jgrad.tensor.AtomicFile.writeString(json, sb.append("]\n").toString());
            System.out.println("\nResults written to " + json);
        }
        return 0;
    }

    /**
     * The lockstep protocol (jmh/peers/lockstep.py runs this and the PyTorch peer side by side): a
     * case name per input line, answered by one JSON line with the mean time per call over about
     * {@code --seconds}. A case is built and warmed up (about 3 s) the first time it is named; the
     * two programs then take turns, a few seconds apart, so that each pair of measurements sees the
     * same state of this shared machine.
     */
    private void lockstep(Device d) throws IOException {
        Map<String, LockstepCase> cases = new LinkedHashMap<>();
        var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> ready = new LinkedHashMap<>(Map.of("threads", threadsOf(d)));
        ready.putAll(machine.fields());
        System.out.println("ready " + oneLine(Json.object(ready)));
        System.out.flush();
        for (String line; (line = in.readLine()) != null; ) {
            String name = line.strip();
            if (name.isEmpty()) continue;
            if (name.equals("quit")) break;
            LockstepCase c = cases.get(name);
            if (c == null) {
                try {
                    c = lockstepCase(d, name);
                } catch (IllegalArgumentException e) {
                    System.out.println(oneLine(Json.object(Map.of("case", name, "error", e.getMessage()))));
                    System.out.flush();
                    continue;
                }
                cases.put(name, c);
                // First use: warm up for 3 s and at least 20 calls (up to 30 s): a ResNet-18 training
                // step at 224×224 takes 0.6 s, and 3 s of them left the JIT compiling through the
                // first rounds (the same case read 10.5 and 16.9 images/s in two quiet runs).
                long start = System.nanoTime(), until = start + (long) (3e9 * warmupScale), cap = start + (long) (30e9 * warmupScale);
                for (int warm = 0; (System.nanoTime() < until || warm < 20) && System.nanoTime() < cap; warm++) c.work().get();
                d.backend().finish();
            }
            Object sink = null;
            long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
            int calls = 0;
            while (calls < 2 || System.nanoTime() < end) {
                sink = c.work().get();
                calls++;
            }
            d.backend().finish();
            double ms = (System.nanoTime() - t0) / 1e6 / calls;
            if (sink == null) throw new IllegalStateException();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("case", name);
            row.put("ms", ms);
            row.put("calls", calls);
            row.put("rate", c.flops() > 0 ? c.flops() / ms / 1e6 : c.images() / ms * 1e3);
            row.put("unit", c.flops() > 0 ? "GFLOP/s" : "images/s");
            row.put("simd_bits", machine.simdBits());
            row.put("isa", machine.isa());
            row.put("peak_rss_mb", PeakMemory.rssMb());  // of this process so far (lockstep.py --fresh: of this case)
            System.out.println(oneLine(Json.object(row)));
            System.out.flush();
        }
    }

    /** CPU threads a device computes on: 1 for the reference backend, 0 for a GPU. */
    private static int threadsOf(Device d) {
        return d == Device.reference() ? 1 : d.name().startsWith("opencl") ? 0 : Simd.threads();
    }

    private static String oneLine(String json) {
        return json.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    /** One lockstep case: the work of one call, and the flops or images it stands for. */
    private record LockstepCase(Supplier<?> work, double flops, int images) {}

    private static LockstepCase lockstepCase(Device d, String name) {
        String[] p = name.split(" ");
        if (p.length == 2 && p[0].equals("sgemm") && p[1].matches("[1-9][0-9]{0,4}")) {
            int n = Integer.parseInt(p[1]);
            Tensor a = Tensor.randn(new Generator(1), n, n).to(d), b = Tensor.randn(new Generator(2), n, n).to(d);
            return new LockstepCase(() -> a.matmul(b), 2.0 * n * n * n, 0);
        }
        switch (name) {
            case "mlp 784-16-16-10" -> {
                return new LockstepCase(new MlpStep(d, new int[] {784, 16, 16, 10}, "sigmoid", 64)::step, 0, 64);
            }
            case "mlp 784-128-64-10" -> {
                return new LockstepCase(new MlpStep(d, new int[] {784, 128, 64, 10}, "relu", 64)::step, 0, 64);
            }
            case "lenet_train" -> {
                return new LockstepCase(new LeNetStep(d, 64)::train, 0, 64);
            }
            case "lenet_infer" -> {
                return new LockstepCase(new LeNetStep(d, 256)::infer, 0, 256);
            }
            case "lstm_train" -> {  // sequential MNIST: 28 steps of 28 pixels, hidden 128, batch 64 (rate: sequences/s)
                return new LockstepCase(SequenceStep.lstm(d)::step, 0, 64);
            }
            case "charlm_train" -> {  // 100 characters, embedding 64, hidden 256, vocabulary 96, batch 32
                return new LockstepCase(SequenceStep.charLm(d)::step, 0, 32);
            }
            default -> {
                ZooStep z = ZooStep.of(d, name);  // MODEL_train|infer|frozen SIZExBATCH, or null
                if (z != null) return new LockstepCase(z.work(), 0, z.batch);
                throw new IllegalArgumentException("unknown lockstep case '" + name + "': expected sgemm N (N up to 99999), mlp 784-16-16-10, "
                        + "mlp 784-128-64-10, lenet_train, lenet_infer, lstm_train, charlm_train or MODEL_train|infer|frozen SIZExBATCH "
                        + "(MODEL resnet18 or mobilenet_v2, e.g. resnet18_train 224x8)");
            }
        }
    }

    /** The three convolution primitives on one geometry, straight on the backend (no autograd around them). */
    private void convCases(Device d, Conv2dShape g) {
        Backend b = d.backend();
        Generator gen = new Generator(6);
        Buffer x = Tensor.randn(gen, g.n() * g.c() * g.h() * g.w()).to(d).buffer();
        Buffer w = Tensor.randn(gen, g.k() * g.c() * g.r() * g.s()).to(d).buffer();
        Buffer dy = Tensor.randn(gen, g.n() * g.k() * g.p() * g.q()).to(d).buffer();
        Buffer y = b.allocate(g.n() * g.k() * g.p() * g.q()), dx = b.allocate(g.n() * g.c() * g.h() * g.w());
        Buffer dw = b.allocate(g.k() * g.c() * g.r() * g.s());
        double flops = 2.0 * g.n() * g.k() * g.p() * g.q() * g.c() * g.r() * g.s();
        String shape = String.format(Locale.ROOT, "%dx%dx%dx%d k%d %dx%d", g.n(), g.c(), g.h(), g.w(), g.k(), g.r(), g.s());
        time("conv_fwd", shape, d, flops, 0, () -> { b.conv2d(g, x, 0, w, 0, y); return y; });
        time("conv_dgrad", shape, d, flops, 0, () -> { b.conv2dInputGrad(g, dy, w, 0, dx); return dx; });
        time("conv_wgrad", shape, d, flops, 0, () -> { b.conv2dWeightGrad(g, x, 0, dy, dw); return dw; });
    }

    /**
     * The data pipeline: 512 PNG files (128×128 RGB) decoded, resized to 32×32, randomly cropped,
     * flipped and normalized into batches of 64, with 0, 1 and 2 loader workers; then with the
     * decode + resize kept in a disk cache. Images per second over one epoch (after a warm-up epoch).
     */
    private void loaderCases() throws IOException {
        Path dir = Files.createTempDirectory("jgrad-loader-bench");
        try {
            Path images = Files.createDirectories(dir.resolve("images"));
            StringBuilder csv = new StringBuilder("file,label\n");
            Generator g = new Generator(1);
            for (int i = 0; i < 512; i++) {
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(128, 128, java.awt.image.BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 128; y++) for (int x = 0; x < 128; x++) img.setRGB(x, y, (x * 2 + y) * 0x010101 ^ g.nextInt(1 << 12));
                javax.imageio.ImageIO.write(img, "png", images.resolve(i + ".png").toFile());
                csv.append(i).append(".png,").append(i % 10).append('\n');
            }
            Files.writeString(dir.resolve("labels.csv"), csv);
            jgrad.vision.Transform augment = jgrad.vision.Transforms.compose(jgrad.vision.Transforms.randomCrop(28, 28, 0),
                    jgrad.vision.Transforms.randomHorizontalFlip(0.5f),
                    jgrad.vision.Transforms.normalize(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}));
            for (String variant : List.of("0 workers", "1 worker", "2 workers", "2 workers, cached")) {
                boolean cached = variant.endsWith("cached");
                int workers = variant.charAt(0) - '0';
                jgrad.vision.ImageDataset d = jgrad.vision.ImageDataset.csv(dir.resolve("labels.csv"), images, "file", "label",
                        cached ? augment : jgrad.vision.Transforms.compose(jgrad.vision.Transforms.resize(32, 32), augment), 1, false);
                if (cached) d.cache(dir.resolve("cache"), jgrad.vision.Transforms.resize(32, 32));
                jgrad.data.DataLoader loader = new jgrad.data.DataLoader(d, 64, true, new Generator(2)).numWorkers(workers)
                        .device(Device.reference());
                for (jgrad.data.Batch b : loader) b.size();  // warm-up epoch (and fills the cache)
                long t0 = System.nanoTime();
                int n = 0;
                for (jgrad.data.Batch b : loader) n += b.size();
                double ms = (System.nanoTime() - t0) / 1e6;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", "loader");
                row.put("shape", "png 128x128 -> 32 -> crop 28, " + variant);
                row.put("device", "host");
                row.put("threads", workers);
                row.put("ms", ms);
                row.put("images_per_second", n / ms * 1e3);
                row.putAll(machine.fields());
                rows.add(row);
                System.out.printf(Locale.ROOT, "%-12s %-34s %-10s %7d %11.4f %10s %12s%n", "loader", variant, "host", workers, ms, "",
                        String.format(Locale.ROOT, "%,.0f", n / ms * 1e3));
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Warms up, then times calls for about {@code seconds}; flops or images per call give the rate. */
    private void time(String name, String shape, Device d, double flops, int images, Supplier<?> work) {
        time(name, shape, d, flops, images, work, 0.7);
    }

    private void time(String name, String shape, Device d, double flops, int images, Supplier<?> work, double warmCapSeconds) {
        // Warm-up: long enough for the JIT to compile the whole path (a training step touches many
        // methods; in a fresh JVM LeNet's first 50 steps took 70 ms each, the next few hundred 8 ms,
        // and it settles near 4 ms after about 1,500). So whole steps (the cases given a longer cap)
        // warm up until the rate stops improving: windows of 0.2 s, ended when three in a row are no
        // more than 2% faster than the best so far (a pause while C2 compiles can look like a
        // plateau: with two windows and a shorter first stretch, a round measured the small MLP half
        // compiled, at 13k images/s). Capped so that the command stays around a minute.
        if (d == Device.reference()) warmCapSeconds = Math.min(warmCapSeconds, 0.3);  // plain loops: little to compile
        long start = System.nanoTime(), warmEnd = start + (long) (seconds * 0.6e9), cap = start + (long) (warmCapSeconds * warmupScale * 1e9);
        Object sink = null;
        // An asynchronous device (OpenCL) returns before the work is done: wait after each warm-up
        // call, and time in rounds that end with a wait, so the queue never runs far ahead of the clock.
        int warm = 0;
        for (; (System.nanoTime() < warmEnd || warm < 8000) && System.nanoTime() < cap; warm++) {
            sink = work.get();
            d.backend().finish();
        }
        double bestWindow = Double.MAX_VALUE;
        for (int stale = warmCapSeconds < 4 ? 3 : 0; stale < 3 && System.nanoTime() < cap; ) {
            long w0 = System.nanoTime(), wEnd = w0 + 200_000_000L;
            int calls = 0;
            for (; System.nanoTime() < wEnd; calls++) {
                sink = work.get();
                d.backend().finish();
            }
            double perCall = (System.nanoTime() - w0) / (double) calls;
            stale = perCall < 0.98 * bestWindow ? 0 : stale + 1;
            bestWindow = Math.min(bestWindow, perCall);
        }
        if (sink == null) sink = work.get();
        d.backend().finish();
        long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
        int calls = 0;
        for (int round = 1; System.nanoTime() < end; round = Math.min(2 * round, 1 << 12)) {
            for (int i = 0; i < round; i++) sink = work.get();
            d.backend().finish();
            calls += round;
        }
        double ms = (System.nanoTime() - t0) / 1e6 / calls;
        if (sink == null) throw new IllegalStateException();
        int threads = threadsOf(d);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("shape", shape);
        row.put("device", d.name() + "/" + d.backend().name());
        row.put("threads", threads);
        row.put("ms", ms);
        if (flops > 0) row.put("gflops", flops / ms / 1e6);
        if (images > 0) row.put("images_per_second", images / ms * 1e3);
        row.putAll(machine.fields());
        rows.add(row);
        System.out.printf(Locale.ROOT, "%-12s %-34s %-10s %7d %11.4f %10s %12s%n", name, shape, d.name(), threads, ms,
                flops > 0 ? String.format(Locale.ROOT, "%.2f", flops / ms / 1e6) : "",
                images > 0 ? String.format(Locale.ROOT, "%,.0f", images / ms * 1e3) : "");
    }
}
