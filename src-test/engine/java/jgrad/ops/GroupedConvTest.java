package jgrad.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import jgrad.TorchFixture;
import jgrad.autograd.GradCheck;
import jgrad.autograd.NoGrad;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conv2d with groups (general and depthwise): against a plain convolution with a block-diagonal
 * weight (the definition), central differences for x, w and b, and PyTorch 1.13
 * (layers18_fixture.py), on the simd and reference backends; OpenCL in GroupedConvOnOpenClTest.
 */
class GroupedConvTest {
    private static final TorchFixture TORCH = TorchFixture.load("layers18_fixture.txt");

    static Stream<Device> devices() {
        return Stream.of(Device.cpu(), Device.reference());
    }

    private static Tensor tensor(Device d, String key) {
        return Tensor.of(d, TORCH.values(key), TORCH.shape(key));
    }

    /** config = sh sw ph pw dh dw groups. */
    private static int[] config(String key) {
        float[] v = TORCH.values(key);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (int) v[i];
        return out;
    }

    static Stream<Arguments> torchCases() {
        return devices().flatMap(d -> Stream.of("g2+bias", "depthwise", "depthmult+bias", "g3k1+bias").map(n -> Arguments.of(d, n)));
    }

    @ParameterizedTest(name = "{0}: gconv.{1}")
    @MethodSource("torchCases")
    void groupedConvolutionMatchesPyTorch(Device d, String name) {
        boolean hasBias = name.endsWith("+bias");
        String p = "gconv." + name.replace("+bias", "");
        int[] c = config(p + ".config");
        jgrad.nn.Conv2d conv = onDevice(d, () -> {
            int[] w = TORCH.shape(p + ".weight");
            return new jgrad.nn.Conv2d(w[1] * c[6], w[0], new int[] {w[2], w[3]}, new int[] {c[0], c[1]}, new int[] {c[2], c[3]},
                    new int[] {c[4], c[5]}, c[6], hasBias, new Generator(0));
        });
        try (NoGrad scope = NoGrad.enter()) {
            conv.weight.copyFrom(tensor(d, p + ".weight"));
            if (hasBias) conv.bias.copyFrom(tensor(d, p + ".bias"));
        }
        Tensor x = tensor(d, p + ".x").requiresGrad(true);
        Tensor y = conv.forward(x);
        TORCH.assertMatches(p + ".y", y, 1e-4, 1e-5);
        y.backward(tensor(d, p + ".dy"));
        TORCH.assertMatches(p + ".dx", x.grad(), 1e-4, 1e-5);
        TORCH.assertMatches(p + ".dweight", conv.weight.grad(), 1e-4, 1e-5);
        if (hasBias) TORCH.assertMatches(p + ".dbias", conv.bias.grad(), 1e-4, 1e-5);
    }

    private static <T> T onDevice(Device d, java.util.function.Supplier<T> make) {
        Device before = Device.getDefault();
        Device.setDefault(d);
        try {
            return make.get();
        } finally {
            Device.setDefault(before);
        }
    }

    /** w [K, C/G, R, S] spread into [K, C, R, S] with zeros outside each filter's group. */
    static Tensor blockDiagonal(Tensor w, int groups) {
        int k = w.size(0), cg = w.size(1), rs = w.size(2) * w.size(3), kg = k / groups;
        float[] src = w.toFloatArray(), out = new float[k * cg * groups * rs];
        for (int f = 0; f < k; f++) {
            int g = f / kg;
            System.arraycopy(src, f * cg * rs, out, (f * cg * groups + g * cg) * rs, cg * rs);
        }
        return Tensor.of(w.device(), out, k, cg * groups, w.size(2), w.size(3));
    }

    @ParameterizedTest
    @MethodSource("devices")
    void groupsEqualAPlainConvolutionWithABlockDiagonalWeight(Device d) {
        Generator gen = new Generator(11);
        int[] stride = {2, 1}, padding = {1, 2}, dilation = {1, 2};
        for (int groups : new int[] {1, 2, 3, 6}) {
            Tensor x = Tensor.randn(gen, 2, 6, 7, 9).to(d), w = Tensor.randn(gen, 12, 6 / groups, 3, 2).to(d), b = Tensor.randn(gen, 12).to(d);
            float[] grouped = Conv2d.apply(x, w, b, stride, padding, dilation, groups).toFloatArray();
            float[] plain = Conv2d.apply(x, blockDiagonal(w, groups), b, stride, padding, dilation).toFloatArray();
            for (int i = 0; i < plain.length; i++) {
                assertThat(grouped[i]).as("groups=%d, element %d", groups, i).isCloseTo(plain[i], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void backwardMatchesCentralDifferencesForInputWeightAndBias(Device d) {
        Generator gen = new Generator(12);
        // depthwise 3×3 stride 2, and 2 groups of 2 → 3 filters with dilation
        Object[][] cases = {{new int[] {1, 3, 6, 5}, new int[] {3, 1, 3, 3}, 3, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}},
                {new int[] {2, 4, 5, 6}, new int[] {6, 2, 2, 3}, 2, new int[] {1, 2}, new int[] {1, 0}, new int[] {2, 1}}};
        for (Object[] c : cases) {
            int[] xs = (int[]) c[0], ws = (int[]) c[1];
            int groups = (int) c[2];
            Tensor x = Tensor.randn(gen, xs).to(d).requiresGrad(true), w = Tensor.randn(gen, ws).to(d).requiresGrad(true);
            Tensor b = Tensor.randn(gen, ws[0]).to(d).requiresGrad(true);
            GradCheck.Result r = new GradCheck().check(t -> Conv2d.apply(t[0], t[1], t[2], (int[]) c[3], (int[]) c[4], (int[]) c[5], groups), x, w, b);
            assertThat(r.passed()).as("groups=%d: %s", groups, r.detail()).isTrue();
        }
    }

    @Test
    void badGroupCountsAreNamed() {
        assertThatThrownBy(() -> new jgrad.nn.Conv2d(6, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 4, true,
                new Generator(1))).hasMessageContaining("groups=4").hasMessageContaining("multiples of groups");
        assertThatThrownBy(() -> Conv2d.apply(Tensor.zeros(1, 6, 4, 4), Tensor.zeros(4, 2, 1, 1), null, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, 2)).hasMessageContaining("groups=2").hasMessageContaining("[4, 2, 1, 1]");
        jgrad.nn.Conv2d depthwise = new jgrad.nn.Conv2d(8, 8, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 8, false,
                new Generator(1));
        assertThat(depthwise.weight.shape()).containsExactly(8, 1, 3, 3);
        for (float v : depthwise.weight.toFloatArray()) {
            assertThat(Math.abs(v)).as("bound 1/√fan_in, fan_in = (8/8)·3·3").isLessThanOrEqualTo(1 / 3f);
        }
        assertThat(new jgrad.nn.Sequential(depthwise).toString()).contains("groups=8, bias=False");
    }
}
