package jgrad.models;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import jgrad.autograd.NoGrad;
import jgrad.nn.Module;
import jgrad.tensor.Tensor;

/**
 * The deterministic weights of src-test/engine/resources/torch/zoo_fixture.py, bit for bit: every
 * parameter and buffer a function of its key and position (integer hashing only, so Java and
 * PyTorch agree exactly), scaled so that activations stay of order 1. See the script's docstring.
 */
final class ZooFill {
    private static final long M32 = 0xFFFFFFFFL;

    private ZooFill() {}

    static int fnv1a(String key) {
        long h = 2166136261L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) h = ((h ^ (b & 0xFF)) * 16777619L) & M32;
        return (int) h;
    }

    /** v(key, i) in [−1, 1), exactly a float32. */
    static float[] unit(String key, int numel) {
        long h = fnv1a(key) & M32;
        float[] v = new float[numel];
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, numel);
        (numel > 1 << 20 ? range.parallel() : range).forEach(i -> {  // VGG's 10⁸-value classifier: both cores
            long x = (h + i * 2654435761L) & M32;
            x ^= x >>> 16;
            x = (x * 0x45D9F3BL) & M32;
            x ^= x >>> 16;
            x = (x * 0x45D9F3BL) & M32;
            x ^= x >>> 16;
            v[i] = (float) (x >>> 8) / 8388608f - 1f;
        });
        return v;
    }

    static Tensor fill(String key, int... shape) {
        return fill(key, false, shape);
    }

    /** {@code batchNorm}: the key is a batch norm's bias, shifted to 2 + v/10 (most ReLU inputs then sit far from the kink). */
    static Tensor fill(String key, boolean batchNorm, int... shape) {
        int numel = 1;
        for (int s : shape) numel *= s;
        float[] v = unit(key, numel);
        String name = key.substring(key.lastIndexOf('.') + 1);
        float scale, offset = 0;
        switch (name) {
            case "running_var" -> { scale = 0.25f; offset = 1f; }
            case "running_mean" -> scale = (float) 0.1;
            case "bias" -> {
                scale = (float) 0.1;
                offset = batchNorm ? 2f : 0f;
            }
            case "weight" -> {
                if (shape.length == 1) {
                    scale = 0.25f;
                    offset = 1f;
                } else {
                    scale = (float) Math.sqrt(6.0 / (numel / shape[0]));
                }
            }
            default -> {
                if (!name.startsWith("input")) throw new IllegalArgumentException(key);
                scale = 1f;
            }
        }
        if (!name.startsWith("input")) {
            for (int i = 0; i < numel; i++) v[i] = v[i] * scale + offset;
        }
        return Tensor.of(v, shape);
    }

    /** Sets every parameter and buffer of {@code model} but num_batches_tracked as the script does. */
    static void setAll(Module model) {
        try (NoGrad scope = NoGrad.enter()) {
            Map<String, Tensor> buffers = model.namedBuffers();
            for (Map.Entry<String, ? extends Tensor> e : model.namedParameters().entrySet()) {
                String k = e.getKey();
                boolean bn = k.endsWith(".bias") && buffers.containsKey(k.substring(0, k.length() - 5) + ".running_mean");
                e.getValue().copyFrom(fill(k, bn, e.getValue().shape()));
            }
            for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
                if (!e.getKey().endsWith("num_batches_tracked")) e.getValue().copyFrom(fill(e.getKey(), e.getValue().shape()));
            }
        }
    }
}
