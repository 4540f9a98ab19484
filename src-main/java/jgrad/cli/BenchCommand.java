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
import jgrad.backend.simd.Simd;
import jgrad.bench.LeNetStep;
import jgrad.bench.MlpStep;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jgrad bench}: a quick subset of the JMH suite (well under a minute), the fast CPU backend
 * and the reference side by side. Each case is warmed up, then timed over repeated calls; the
 * table shows the mean time per call. For careful numbers use the JMH suite (see README).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Quick benchmarks: sgemm, MLP and LeNet training steps, LeNet inference, elementwise, reductions, softmax; cpu vs reference.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
    Path json;
    @Option(names = "--seconds", defaultValue = "0.4", description = "time to measure each case (default: ${DEFAULT-VALUE})")
    double seconds;
    @Option(names = "--only", split = ",", paramLabel = "NAME",
            description = "run only these benchmarks: sgemm, mlp_step, lenet_train, lenet_infer, add, sigmoid, sum, softmax")
    List<String> only;
    @Option(names = "--warmup-cap", defaultValue = "1", hidden = true, description = "scales the warm-up caps (tests use a small value)")
    double warmupScale;

    private static final List<String> NAMES = List.of("sgemm", "mlp_step", "lenet_train", "lenet_infer", "add", "sigmoid", "sum", "softmax");

    private boolean wanted(String name) {
        return only == null || only.contains(name);
    }

    private final List<Map<String, Object>> rows = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (only != null) {
            for (String n : only) {
                if (!NAMES.contains(n)) throw new IllegalArgumentException("--only: unknown benchmark '" + n + "', expected one of " + NAMES);
            }
        }
        Device cpu = Device.cpu(), ref = Device.reference();
        System.out.printf("jgrad bench: cpu = %s backend (%d-bit vectors), %d threads; reference = plain loops, 1 thread%n%n",
                cpu.backend().name(), Simd.BITS, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-12s %-34s %-10s %7s %11s %10s %12s%n", "benchmark", "shape", "device", "threads", "ms", "GFLOP/s", "images/s");
        for (int n : wanted("sgemm") ? new int[] {128, 256, 512, 1024, 2048} : new int[0]) {
            for (Device d : n <= 256 ? List.of(cpu, ref) : List.of(cpu)) {
                Tensor a = Tensor.randn(new Generator(1), n, n).to(d), b = Tensor.randn(new Generator(2), n, n).to(d);
                time("sgemm", n + "x" + n + "x" + n, d, 2.0 * n * n * n, 0, () -> a.matmul(b));
            }
        }
        Object[][] mlps = {{new int[] {784, 16, 16, 10}, "sigmoid"}, {new int[] {784, 128, 64, 10}, "relu"}};
        for (Object[] mlp : wanted("mlp_step") ? mlps : new Object[0][]) {
            for (Device d : List.of(cpu, ref)) {
                MlpStep step = new MlpStep(d, (int[]) mlp[0], (String) mlp[1], 64);
                time("mlp_step", step.name + " batch 64", d, 0, 64, step::step, d == cpu ? 3.0 : 1.0);
            }
        }
        if (wanted("lenet_train")) time("lenet_train", "batch 64", cpu, 0, 64, new LeNetStep(cpu, 64)::train, 3.0);
        if (wanted("lenet_infer")) time("lenet_infer", "batch 256", cpu, 0, 256, new LeNetStep(cpu, 256)::infer, 2.0);
        for (Device d : List.of(cpu, ref)) {
            Tensor x = Tensor.randn(new Generator(3), 1024, 1024).to(d), bias = Tensor.randn(new Generator(4), 1024).to(d);
            if (wanted("add")) time("add", "[1024,1024] + [1024]", d, 1024 * 1024, 0, () -> x.add(bias));
            if (wanted("sigmoid")) time("sigmoid", "[1024,1024]", d, 1024 * 1024, 0, x::sigmoid);
            if (wanted("sum")) time("sum", "[1024,1024] over dim 1", d, 1024 * 1024, 0, () -> x.sum(1, false));
            Tensor logits = Tensor.randn(new Generator(5), 256, 1000).to(d);
            if (wanted("softmax")) {
                time("softmax", "[256,1000] over dim 1", d, 256 * 1000 * 4, 0, () -> jgrad.nn.Functional.softmax(logits, 1));
            }
        }
        if (json != null) {
            StringBuilder sb = new StringBuilder("[\n");
            for (int i = 0; i < rows.size(); i++) sb.append(Json.object(rows.get(i)).strip()).append(i + 1 < rows.size() ? ",\n" : "\n");
            Files.writeString(json, sb.append("]\n").toString());
            System.out.println("\nResults written to " + json);
        }
        return 0;
    }

    /** Warms up, then times calls for about {@code seconds}; flops or images per call give the rate. */
    private void time(String name, String shape, Device d, double flops, int images, Supplier<?> work) {
        time(name, shape, d, flops, images, work, 1.0);
    }

    private void time(String name, String shape, Device d, double flops, int images, Supplier<?> work, double warmCapSeconds) {
        // Warm-up: long enough for the JIT to compile the whole path (a training step touches many
        // methods; measured: it keeps speeding up for several thousand steps), capped so that the
        // whole command stays under a minute (3 s for the fast backend's training steps, 1 s otherwise).
        long start = System.nanoTime(), warmEnd = start + (long) (seconds * 0.6e9), cap = start + (long) (warmCapSeconds * warmupScale * 1e9);
        Object sink = null;
        for (int warm = 0; (System.nanoTime() < warmEnd || warm < 8000) && System.nanoTime() < cap; warm++) sink = work.get();
        if (sink == null) sink = work.get();
        long t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
        int calls = 0;
        do {
            sink = work.get();
            calls++;
        } while (System.nanoTime() < end);
        double ms = (System.nanoTime() - t0) / 1e6 / calls;
        if (sink == null) throw new IllegalStateException();
        int threads = d == Device.reference() ? 1 : Runtime.getRuntime().availableProcessors();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("shape", shape);
        row.put("device", d.name() + "/" + d.backend().name());
        row.put("threads", threads);
        row.put("ms", ms);
        if (flops > 0) row.put("gflops", flops / ms / 1e6);
        if (images > 0) row.put("images_per_second", images / ms * 1e3);
        rows.add(row);
        System.out.printf(Locale.ROOT, "%-12s %-34s %-10s %7d %11.4f %10s %12s%n", name, shape, d.name(), threads, ms,
                flops > 0 ? String.format(Locale.ROOT, "%.2f", flops / ms / 1e6) : "",
                images > 0 ? String.format(Locale.ROOT, "%,.0f", images / ms * 1e3) : "");
    }
}
