package jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jgrad.autograd.GradCheck;
import jgrad.autograd.NoGrad;
import jgrad.ops.Pool2d;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CNN layers' own behaviour: batch norm's statistics and modes, dropout's mask, adaptive
 * pooling, the Conv2d / pooling / softmax modules. Device-dependent checks run on the simd "cpu"
 * backend and on the reference loops. PyTorch values are in {@link TorchParityCnnTest}.
 */
class CnnLayersTest {
    static Stream<Device> devices() {
        return Stream.of(Device.cpu(), Device.reference());
    }

    /** Builds a module with its parameters and buffers on {@code d} (they are made on the default device). */
    static <M extends Module> M on(Device d, Supplier<M> make) {
        Device before = Device.getDefault();
        Device.setDefault(d);
        try {
            return make.get();
        } finally {
            Device.setDefault(before);
        }
    }

    static void set(Tensor t, float... values) {
        try (NoGrad scope = NoGrad.enter()) {
            t.copyFrom(Tensor.of(t.device(), values, t.shape()));
        }
    }

    /** Normal values with a different offset and spread in each channel (dimension 1). */
    static Tensor channelData(Device d, long seed, int... shape) {
        Generator g = new Generator(seed);
        int channels = shape[1], inner = 1;
        for (int i = 2; i < shape.length; i++) inner *= shape[i];
        float[] v = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) {
            int c = (i / inner) % channels;
            v[i] = (c - 1.5f) * 3 + (1 + c) * g.nextGaussian();
        }
        return Tensor.of(d, v, shape);
    }

    /** Per-channel mean and biased variance over every dimension but 1, in double. */
    record ChannelStats(double[] mean, double[] var, int count) {
        static ChannelStats of(Tensor t) {
            int[] shape = t.shape();
            int channels = shape[1], inner = 1;
            for (int i = 2; i < shape.length; i++) inner *= shape[i];
            float[] v = t.toFloatArray();
            int count = v.length / channels;
            double[] mean = new double[channels], var = new double[channels];
            for (int i = 0; i < v.length; i++) mean[(i / inner) % channels] += v[i] / (double) count;
            for (int i = 0; i < v.length; i++) {
                double dev = v[i] - mean[(i / inner) % channels];
                var[(i / inner) % channels] += dev * dev / count;
            }
            return new ChannelStats(mean, var, count);
        }
    }

    private static Tensor buffer(Module m, String name) {
        return m.namedBuffers().get(name);
    }

    // ---- BatchNorm ---------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("devices")
    void batchNormInTrainingStandardisesEachChannel(Device d) {
        for (int[] shape : new int[][] {{4, 3, 5, 6}, {16, 3}, {4, 3, 7}}) {
            BatchNorm bn = on(d, () -> shape.length == 4 ? new BatchNorm2d(3) : new BatchNorm1d(3));
            Tensor x = channelData(d, 1, shape);
            ChannelStats in = ChannelStats.of(x), out = ChannelStats.of(bn.forward(x));
            for (int c = 0; c < 3; c++) {
                assertThat(out.mean()[c]).as("%s %s, channel %d mean (input mean %s)", bn.getClass().getSimpleName(), Arrays.toString(shape), c, in.mean()[c])
                        .isCloseTo(0, within(1e-5));
                // var/(var + ε) with ε = 1e-5: 1 to within 1e-5 / var
                assertThat(out.var()[c]).as("%s, channel %d variance (input variance %s)", Arrays.toString(shape), c, in.var()[c])
                        .isCloseTo(1, within(1e-4));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void batchNormWeightAndBiasScaleAndShiftTheStandardisedValues(Device d) {
        BatchNorm2d bn = on(d, () -> new BatchNorm2d(3));
        set(bn.weight, 2, 0.5f, -1);
        set(bn.bias, 1, -3, 0.25f);
        ChannelStats out = ChannelStats.of(bn.forward(channelData(d, 2, 2, 3, 4, 5)));
        double[] wantMean = {1, -3, 0.25}, wantVar = {4, 0.25, 1};
        for (int c = 0; c < 3; c++) {
            assertThat(out.mean()[c]).as("channel %d mean = β", c).isCloseTo(wantMean[c], within(1e-5));
            assertThat(out.var()[c]).as("channel %d variance = γ²", c).isCloseTo(wantVar[c], within(1e-4 * wantVar[c]));
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void runningStatisticsMoveByMomentumWithTheUnbiasedVariance(Device d) {
        BatchNorm2d bn = on(d, () -> new BatchNorm2d(3, 1e-5f, 0.3f));
        assertThat(buffer(bn, "running_mean").toFloatArray()).as("initial running mean").containsExactly(0, 0, 0);
        assertThat(buffer(bn, "running_var").toFloatArray()).as("initial running var").containsExactly(1, 1, 1);
        double[] mean = {0, 0, 0}, var = {1, 1, 1};
        for (int step = 1; step <= 3; step++) {
            Tensor x = channelData(d, 10 + step, 2, 3, 3, 4);
            bn.forward(x);
            ChannelStats s = ChannelStats.of(x);
            for (int c = 0; c < 3; c++) {
                // running ← (1 − m)·running + m·batch, the batch variance times n/(n − 1) (n = 2·3·4 = 24)
                mean[c] = 0.7 * mean[c] + 0.3 * s.mean()[c];
                var[c] = 0.7 * var[c] + 0.3 * s.var()[c] * s.count() / (s.count() - 1);
            }
            float[] rm = buffer(bn, "running_mean").toFloatArray(), rv = buffer(bn, "running_var").toFloatArray();
            for (int c = 0; c < 3; c++) {
                assertThat((double) rm[c]).as("step %d, running mean of channel %d in %s", step, c, Arrays.toString(rm))
                        .isCloseTo(mean[c], within(1e-5 + 1e-5 * Math.abs(mean[c])));
                assertThat((double) rv[c]).as("step %d, running var of channel %d in %s", step, c, Arrays.toString(rv))
                        .isCloseTo(var[c], within(1e-5 * var[c]));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void batchNormInEvaluationUsesTheRunningStatistics(Device d) {
        BatchNorm1d bn = on(d, () -> new BatchNorm1d(2));
        set(buffer(bn, "running_mean"), 1, -2);
        set(buffer(bn, "running_var"), 4, 0.25f);
        set(bn.weight, 3, 1);
        set(bn.bias, 0, 10);
        bn.eval();
        Tensor x = Tensor.of(d, new float[] {1, -2, 5, -1.5f, -3, 0}, 3, 2);
        // channel 0: (x − 1)/√(4 + ε)·3 → 0, 6, −6; channel 1: (x + 2)/√(0.25 + ε) + 10 → 10, 11, 14
        float[] y = bn.forward(x).toFloatArray();
        float[] want = {0, 10, 6, 11, -6, 14};
        for (int i = 0; i < 6; i++) assertThat(y[i]).as("y[%d] of %s", i, Arrays.toString(y)).isCloseTo(want[i], within(1e-4f));
        assertThat(buffer(bn, "running_mean").toFloatArray()).as("evaluation leaves the running mean").containsExactly(1, -2);
        assertThat(buffer(bn, "running_var").toFloatArray()).as("evaluation leaves the running var").containsExactly(4, 0.25f);
        // each example alone gives the same answer: no batch statistics in evaluation
        assertThat(bn.forward(x.slice(0, 1, 2)).toFloatArray()).containsExactly(Arrays.copyOfRange(y, 2, 4));
    }

    @ParameterizedTest
    @MethodSource("devices")
    void batchNorm2dTrainingBackwardMatchesCentralDifferenceForInputWeightAndBias(Device d) {
        BatchNorm2d bn = on(d, () -> new BatchNorm2d(3));
        set(bn.weight, 1.5f, -0.5f, 0.8f);
        set(bn.bias, 0.1f, 0.2f, -0.3f);
        Tensor x = channelData(d, 5, 2, 3, 3, 4).requiresGrad(true);
        GradCheck.Result r = new GradCheck().check(t -> bn.forward(t[0]), x, bn.weight, bn.bias);
        assertThat(r.passed()).as(r.detail()).isTrue();
        BatchNorm1d bn1 = on(d, () -> new BatchNorm1d(4));
        set(bn1.weight, 1.5f, -0.5f, 0.8f, 2);
        GradCheck.Result r1 = new GradCheck().check(t -> bn1.forward(t[0]), channelData(d, 6, 6, 4).requiresGrad(true), bn1.weight, bn1.bias);
        assertThat(r1.passed()).as("BatchNorm1d: %s", r1.detail()).isTrue();
    }

    @Test
    void runningStatisticsAreBuffersInTheStateDictNotParameters() {
        Sequential net = new Sequential(new Conv2d(1, 3, 3), new BatchNorm2d(3), new ReLU());
        assertThat(net.namedParameters().keySet()).containsExactly("0.weight", "0.bias", "1.weight", "1.bias");
        assertThat(net.namedBuffers().keySet()).containsExactly("1.running_mean", "1.running_var", "1.num_batches_tracked");
        Map<String, Tensor> state = net.stateDict();
        assertThat(state.keySet()).contains("1.running_mean", "1.running_var");

        net.forward(channelData(Device.getDefault(), 3, 2, 1, 5, 5));
        float[] afterStep = net.namedBuffers().get("1.running_mean").toFloatArray();
        assertThat(afterStep).as("one training step moved the running mean").isNotEqualTo(new float[3]);
        net.loadStateDict(state);
        assertThat(net.namedBuffers().get("1.running_mean").toFloatArray()).as("loading restores the running mean").containsExactly(0, 0, 0);
        assertThat(net.namedBuffers().get("1.running_var").toFloatArray()).containsExactly(1, 1, 1);
    }

    @Test
    void batchNormRefusesTheWrongRankOrChannelCount() {
        assertThatThrownBy(() -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BatchNorm2d(3)").hasMessageContaining("[2, 3, 4]");
        assertThatThrownBy(() -> new BatchNorm1d(3).forward(Tensor.zeros(2, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BatchNorm1d(3)").hasMessageContaining("[2, 4]")
                .hasMessageContaining("3 channels");
        assertThatThrownBy(() -> new BatchNorm2d(0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- Dropout -----------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("devices")
    void dropoutInEvaluationIsTheIdentity(Device d) {
        Tensor x = channelData(d, 7, 4, 5);
        Dropout drop = new Dropout(0.5f, new Generator(1));
        drop.eval();
        assertThat(drop.forward(x).toFloatArray()).containsExactly(x.toFloatArray());
        assertThat(new Dropout(0f, new Generator(1)).forward(x).toFloatArray()).as("p = 0 in training").containsExactly(x.toFloatArray());
    }

    @ParameterizedTest
    @MethodSource("devices")
    void dropoutZeroesAFractionPAndScalesTheSurvivors(Device d) {
        int n = 100_000;
        for (float p : new float[] {0.1f, 0.5f, 0.8f}) {
            Tensor x = Tensor.full(d, 1f, n);
            float[] y = new Dropout(p, new Generator(42)).forward(x).toFloatArray();
            float keep = 1f / (1 - p);
            int zeros = 0;
            for (int i = 0; i < n; i++) {
                if (y[i] == 0) {
                    zeros++;
                } else if (y[i] != keep) {
                    throw new AssertionError("p = " + p + ": element " + i + " is " + y[i] + ", neither 0 nor 1/(1 − p) = " + keep);
                }
            }
            // a binomial fraction over 100k has standard deviation ≤ 0.0016: 0.01 is over 6σ
            assertThat(zeros / (double) n).as("fraction dropped with p = %s", p).isCloseTo(p, within(0.01));
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void dropoutGradientIsTheMaskAndTheSeedFixesTheMask(Device d) {
        Tensor x = Tensor.full(d, 1f, 6, 50).requiresGrad(true);
        Tensor y = new Dropout(0.4f, new Generator(9)).forward(x);
        y.sum().backward();
        assertThat(x.grad().toFloatArray()).as("dX = mask = y for x = 1").containsExactly(y.toFloatArray());

        Tensor x2 = channelData(d, 8, 6, 50);
        float[] a = new Dropout(0.4f, new Generator(9)).forward(x2).toFloatArray();
        float[] b = new Dropout(0.4f, new Generator(9)).forward(x2).toFloatArray();
        float[] c = new Dropout(0.4f, new Generator(10)).forward(x2).toFloatArray();
        assertThat(b).as("same seed, same mask").containsExactly(a);
        assertThat(c).as("another seed, another mask").isNotEqualTo(a);
        float[] mask = y.toFloatArray(), xv = x2.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("element %d: the seed-9 mask applied to x", i).isEqualTo(xv[i] * mask[i]);
        }
    }

    @Test
    void dropoutRefusesAProbabilityOutsideZeroToOne() {
        for (float p : new float[] {1f, -0.1f, Float.NaN}) {
            assertThatThrownBy(() -> new Dropout(p)).as("p = %s", p).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[0, 1)");
        }
    }

    // ---- AdaptiveAvgPool2d -------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("devices")
    void adaptiveAvgPoolOfADivisibleSizeIsAnAvgPool(Device d) {
        Tensor x = channelData(d, 4, 2, 3, 6, 8);
        float[] adaptive = new AdaptiveAvgPool2d(3, 2).forward(x).toFloatArray();
        assertThat(adaptive).as("6×8 → 3×2 is a 2×4 average pool with stride 2×4")
                .containsExactly(Pool2d.avg(x, new int[] {2, 4}, new int[] {2, 4}, new int[] {0, 0}).toFloatArray());
        Tensor square = channelData(d, 5, 2, 3, 6, 6);
        assertThat(new AdaptiveAvgPool2d(2, 2).forward(square).toFloatArray()).as("6×6 → 2×2 = AvgPool2d(3)")
                .containsExactly(new AvgPool2d(3).forward(square).toFloatArray());
        // 1×1 is the global average of each channel
        float[] global = new AdaptiveAvgPool2d(1, 1).forward(x).toFloatArray(), mean = x.mean(new int[] {2, 3}, false).toFloatArray();
        for (int i = 0; i < global.length; i++) assertThat(global[i]).as("map %d", i).isCloseTo(mean[i], within(1e-5f));
        GradCheck.assertGradientsMatch(t -> new AdaptiveAvgPool2d(2, 3).forward(t[0]), channelData(d, 6, 1, 2, 4, 6).requiresGrad(true));
    }

    /** 5×7 → 3×2: overlapping windows (rows 0–1, 1–3, 3–4; columns 0–3, 3–6), values from PyTorch 1.13. */
    @ParameterizedTest
    @MethodSource("devices")
    void adaptiveAvgPoolOfANonDivisibleSizeMatchesPyTorch(Device d) {
        float[] v = new float[35];
        for (int i = 0; i < 35; i++) v[i] = i;
        Tensor x = Tensor.of(d, v, 1, 1, 5, 7).requiresGrad(true);
        Tensor y = new AdaptiveAvgPool2d(3, 2).forward(x);
        assertThat(y.toFloatArray()).containsExactly(5f, 8f, 15.5f, 18.5f, 26f, 29f);
        y.backward(Tensor.of(d, new float[] {1, 2, 3, 4, 5, 6}, 1, 1, 3, 2));
        float[] expected = {0.125f, 0.125f, 0.125f, 0.375f, 0.25f, 0.25f, 0.25f, 0.375f, 0.375f, 0.375f, 0.958333f, 0.583333f,
                0.583333f, 0.583333f, 0.25f, 0.25f, 0.25f, 0.583333f, 0.333333f, 0.333333f, 0.333333f, 0.875f, 0.875f, 0.875f,
                1.958333f, 1.083333f, 1.083333f, 1.083333f, 0.625f, 0.625f, 0.625f, 1.375f, 0.75f, 0.75f, 0.75f};
        float[] grad = x.grad().toFloatArray();
        for (int i = 0; i < 35; i++) assertThat(grad[i]).as("dx[%d] on %s", i, d).isCloseTo(expected[i], within(1e-5f));
        GradCheck.assertGradientsMatch(t -> new AdaptiveAvgPool2d(3, 4).forward(t[0]), channelData(d, 7, 1, 2, 5, 7).requiresGrad(true));
        assertThatThrownBy(() -> new AdaptiveAvgPool2d(2, 2).forward(Tensor.zeros(2, 6, 7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[N, C, H, W]").hasMessageContaining("[2, 6, 7]");
    }

    // ---- Conv2d, MaxPool2d, AvgPool2d modules ------------------------------------------------

    @ParameterizedTest
    @MethodSource("devices")
    void conv2dLayerIsTheConvolutionPlusOneBiasPerFilter(Device d) {
        Conv2d conv = on(d, () -> new Conv2d(2, 3, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, true, new Generator(3)));
        assertThat(conv.weight.shape()).containsExactly(3, 2, 3, 2);
        assertThat(conv.bias.shape()).containsExactly(3);
        float bound = (float) (1 / Math.sqrt(2 * 3 * 2));
        for (float w : conv.weight.toFloatArray()) assertThat(Math.abs(w)).as("|w| ≤ 1/√fan_in").isLessThanOrEqualTo(bound);
        set(conv.bias, 1, -2, 0.5f);
        Tensor x = channelData(d, 9, 2, 2, 5, 4);
        Tensor y = conv.forward(x);
        assertThat(y.shape()).as("P = ⌊(5 + 2 − 2 − 1)/2⌋ + 1, Q = 4 − 1").containsExactly(2, 3, 3, 3);
        float[] plain = jgrad.ops.Conv2d.apply(x, conv.weight, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}).toFloatArray();
        float[] got = y.toFloatArray(), bias = {1, -2, 0.5f};
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).as("element %d (filter %d)", i, (i / 9) % 3).isCloseTo(plain[i] + bias[(i / 9) % 3], within(1e-5f));
        }
        assertThat(conv.toString()).startsWith("Conv2d(2, 3, kernel_size=(3, 2), stride=(2, 1), padding=(1, 0))");
        GradCheck.Result r = new GradCheck().check(t -> conv.forward(t[0]), channelData(d, 10, 1, 2, 4, 3).requiresGrad(true),
                conv.weight, conv.bias);
        assertThat(r.passed()).as(r.detail()).isTrue();
    }

    @Test
    void conv2dLayerRefusesTheWrongChannelCount() {
        Conv2d conv = new Conv2d(3, 4, 3);
        assertThatThrownBy(() -> conv.forward(Tensor.zeros(1, 1, 8, 8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in_channels=3").hasMessageContaining("[N, 3, H, W]").hasMessageContaining("[1, 1, 8, 8]");
        assertThatThrownBy(() -> new Conv2d(0, 4, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Conv2d(3, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {2, 2}, false, new Generator(1)).toString())
                .startsWith("Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1), dilation=(2, 2), bias=False)");
    }

    @Test
    void poolingLayersDefaultTheirStrideToTheKernel() {
        Tensor x = channelData(Device.getDefault(), 11, 1, 2, 6, 6);
        assertThat(new MaxPool2d(2).forward(x).toFloatArray())
                .containsExactly(Pool2d.max(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}).toFloatArray());
        assertThat(new AvgPool2d(3, 2, 1).forward(x).toFloatArray())
                .containsExactly(Pool2d.avg(x, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}).toFloatArray());
        assertThat(new MaxPool2d(2).toString()).startsWith("MaxPool2d(kernel_size=2, stride=2, padding=0)");
    }

    // ---- Softmax and LogSoftmax modules ------------------------------------------------------

    @ParameterizedTest
    @MethodSource("devices")
    void softmaxModuleGivesProbabilitiesAlongItsDimension(Device d) {
        Tensor x = channelData(d, 12, 2, 4, 2, 3);
        float[] p = new Softmax(1).forward(x).toFloatArray(), logp = new LogSoftmax(1).forward(x).toFloatArray();
        for (int n = 0; n < 2; n++) {
            for (int pixel = 0; pixel < 6; pixel++) {
                double sum = 0;
                for (int c = 0; c < 4; c++) {
                    int i = (n * 4 + c) * 6 + pixel;
                    sum += p[i];
                    assertThat(logp[i]).as("log softmax = log of softmax at %d", i).isCloseTo((float) Math.log(p[i]), within(1e-5f));
                }
                assertThat(sum).as("image %d pixel %d: Σ over the 4 channels", n, pixel).isCloseTo(1, within(1e-6));
            }
        }
        assertThat(new Softmax(-1).forward(Tensor.of(d, new float[] {1, 2, 3}, 1, 3)).toFloatArray()[2])
                .as("e³ / (e¹ + e² + e³)").isCloseTo(0.66524096f, within(1e-6f));
        GradCheck.assertGradientsMatch(t -> new Softmax(1).forward(t[0]), channelData(d, 13, 2, 3, 2, 2).requiresGrad(true));
        GradCheck.assertGradientsMatch(t -> new LogSoftmax(1).forward(t[0]), channelData(d, 14, 3, 4).requiresGrad(true));
        assertThat(new Softmax(1).toString()).startsWith("Softmax(dim=1)");
        assertThat(new LogSoftmax(-1).toString()).startsWith("LogSoftmax(dim=-1)");
    }

    @org.junit.jupiter.api.Test
    void batchNormRefusesToTrainOnOneValuePerChannel() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BatchNorm1d(3).forward(jgrad.tensor.Tensor.zeros(1, 3)))
                .hasMessageContaining("more than one value per channel").hasMessageContaining("[1, 3]");
    }

    @org.junit.jupiter.api.Test
    void adaptivePoolingRejectsAnEmptyOutputSize() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AdaptiveAvgPool2d(0, 2)).hasMessageContaining("must be positive");
    }
}
