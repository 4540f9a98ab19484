package jgrad.nn;

import java.util.stream.Stream;
import jgrad.TorchFixture;
import jgrad.autograd.NoGrad;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CNN layers against PyTorch 1.13: outputs and gradients (for a fixed random upstream gradient
 * dy) of conv2d, max/avg pooling, batch norm in both modes (and its running statistics), softmax,
 * log-softmax and cross-entropy. The values come from src-test/engine/resources/torch/cnn_fixture.py; each
 * check runs on the simd "cpu" backend and on the reference loops.
 */
class TorchParityCnnTest {
    private static final TorchFixture TORCH = TorchFixture.load("cnn_fixture.txt");
    /** float32 sums of up to ~50 products in a different order than PyTorch's: 1e-4 relative, 1e-5 absolute near 0. */
    private static final double RTOL = 1e-4, ATOL = 1e-5;

    static Stream<Device> devices() {
        return Stream.of(Device.cpu(), Device.reference());
    }

    private static Tensor tensor(Device d, String key) {
        return Tensor.of(d, TORCH.values(key), TORCH.shape(key));
    }

    private static void set(Tensor t, Device d, String key) {
        try (NoGrad scope = NoGrad.enter()) {
            t.copyFrom(tensor(d, key));
        }
    }

    private static void assertMatches(Device d, String key, Tensor actual) {
        try {
            TORCH.assertMatches(key, actual, RTOL, ATOL);
        } catch (AssertionError e) {
            throw new AssertionError("on device " + d + ": " + e.getMessage(), e);
        }
    }

    private static int[] config(String key) {
        float[] v = TORCH.values(key);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (int) v[i];
        return out;
    }

    /** Every case name crossed with both devices. */
    private static Stream<Arguments> onBothDevices(String... names) {
        return devices().flatMap(d -> Stream.of(names).map(n -> Arguments.of(d, n)));
    }

    // ---- conv2d ------------------------------------------------------------------------------

    /** The cases of cnn_fixture.py's CONV list; those with a bias have conv.NAME.bias and .dbias. */
    static Stream<Arguments> convCases() {
        return onBothDevices("s1p0+bias", "s2p1", "s1p2d2+bias", "s2p2d2", "mixed+bias", "k1s2+bias", "padtap+bias");
    }

    @ParameterizedTest(name = "{0}: conv.{1}")
    @MethodSource("convCases")
    void conv2dMatchesPyTorch(Device d, String name) {
        boolean bias = name.endsWith("+bias");
        String p = "conv." + name.replace("+bias", "");
        int[] c = config(p + ".config"), w = TORCH.shape(p + ".weight");
        Conv2d conv = CnnLayersTest.on(d, () -> new Conv2d(w[1], w[0], new int[] {w[2], w[3]}, new int[] {c[0], c[1]},
                new int[] {c[2], c[3]}, new int[] {c[4], c[5]}, bias, new Generator(0)));
        set(conv.weight, d, p + ".weight");
        if (bias) set(conv.bias, d, p + ".bias");
        Tensor x = tensor(d, p + ".x").requiresGrad(true);
        Tensor y = conv.forward(x);
        assertMatches(d, p + ".y", y);
        y.backward(tensor(d, p + ".dy"));
        assertMatches(d, p + ".dx", x.grad());
        assertMatches(d, p + ".dweight", conv.weight.grad());
        if (bias) assertMatches(d, p + ".dbias", conv.bias.grad());
    }

    // ---- pooling -----------------------------------------------------------------------------

    static Stream<Arguments> poolCases() {
        return onBothDevices("maxpool.k2s2", "maxpool.k3s2p1", "avgpool.k2s2", "avgpool.k3s2p1");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("poolCases")
    void poolingMatchesPyTorch(Device d, String p) {
        int[] c = config(p + ".config");
        Module pool = p.startsWith("max") ? new MaxPool2d(c[0], c[1], c[2]) : new AvgPool2d(c[0], c[1], c[2]);
        Tensor x = tensor(d, p + ".x").requiresGrad(true);
        Tensor y = pool.forward(x);
        assertMatches(d, p + ".y", y);
        y.backward(tensor(d, p + ".dy"));
        assertMatches(d, p + ".dx", x.grad());
    }

    // ---- batch norm --------------------------------------------------------------------------

    static Stream<Arguments> batchNormTrainCases() {
        return onBothDevices("bn2d.train", "bn1d.train", "bn1d3.train");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("batchNormTrainCases")
    void batchNormInTrainingMatchesPyTorchIncludingTheRunningStatistics(Device d, String p) {
        int features = TORCH.shape(p + ".weight")[0];
        BatchNorm bn = CnnLayersTest.on(d, () -> p.startsWith("bn2d") ? new BatchNorm2d(features, 1e-5f, 0.1f)
                : new BatchNorm1d(features, 1e-5f, 0.1f));
        set(bn.weight, d, p + ".weight");
        set(bn.bias, d, p + ".bias");
        set(bn.namedBuffers().get("running_mean"), d, p + ".running_mean.0");
        set(bn.namedBuffers().get("running_var"), d, p + ".running_var.0");
        Tensor x = tensor(d, p + ".x").requiresGrad(true);
        Tensor y = bn.forward(x);
        assertMatches(d, p + ".y", y);
        y.backward(tensor(d, p + ".dy"));
        assertMatches(d, p + ".dx", x.grad());
        assertMatches(d, p + ".dweight", bn.weight.grad());
        assertMatches(d, p + ".dbias", bn.bias.grad());
        assertMatches(d, p + ".running_mean.1", bn.namedBuffers().get("running_mean"));
        assertMatches(d, p + ".running_var.1", bn.namedBuffers().get("running_var"));
    }

    @ParameterizedTest
    @MethodSource("devices")
    void batchNorm2dInEvaluationMatchesPyTorch(Device d) {
        String p = "bn2d.eval";
        BatchNorm2d bn = CnnLayersTest.on(d, () -> new BatchNorm2d(3));
        set(bn.weight, d, p + ".weight");
        set(bn.bias, d, p + ".bias");
        set(bn.namedBuffers().get("running_mean"), d, p + ".running_mean");
        set(bn.namedBuffers().get("running_var"), d, p + ".running_var");
        bn.eval();
        Tensor x = tensor(d, p + ".x").requiresGrad(true);
        Tensor y = bn.forward(x);
        assertMatches(d, p + ".y", y);
        y.backward(tensor(d, p + ".dy"));
        assertMatches(d, p + ".dx", x.grad());
        assertMatches(d, p + ".dweight", bn.weight.grad());
        assertMatches(d, p + ".dbias", bn.bias.grad());
        assertMatches(d, p + ".running_mean", bn.namedBuffers().get("running_mean"));
        assertMatches(d, p + ".running_var", bn.namedBuffers().get("running_var"));
    }

    // ---- softmax, log-softmax, cross-entropy -------------------------------------------------

    @ParameterizedTest
    @MethodSource("devices")
    void softmaxLogSoftmaxAndCrossEntropyMatchPyTorch(Device d) {
        for (String p : new String[] {"softmax", "softmax2d"}) {
            String input = p.equals("softmax") ? ".logits" : ".x";
            for (String kind : new String[] {"softmax", "log_softmax"}) {
                Module m = kind.equals("softmax") ? new Softmax(1) : new LogSoftmax(1);
                Tensor x = tensor(d, p + input).requiresGrad(true);
                Tensor y = m.forward(x);
                assertMatches(d, p + "." + kind + ".y", y);
                y.backward(tensor(d, p + ".dy"));
                assertMatches(d, p + "." + kind + ".dx", x.grad());
            }
        }
        Tensor logits = tensor(d, "softmax.logits").requiresGrad(true);
        Tensor loss = new CrossEntropyLoss().forward(logits, tensor(d, "softmax.target"));
        assertMatches(d, "softmax.cross_entropy", loss);
        loss.backward();
        assertMatches(d, "softmax.cross_entropy.dx", logits.grad());
    }
}
