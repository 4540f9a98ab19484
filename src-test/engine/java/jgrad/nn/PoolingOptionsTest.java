package jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import jgrad.TorchFixture;
import jgrad.autograd.GradCheck;
import jgrad.backend.Pool2dShape;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pooling with PyTorch's ceil_mode, count_include_pad and non-square kernel, stride and padding, and
 * adaptive average pooling to sizes that do not divide the input: by hand, against central
 * differences, and against PyTorch 1.13 (layers18_fixture.py) on the simd and reference backends
 * (OpenCL: the random geometries of ConvPoolContractTest).
 */
class PoolingOptionsTest {
    private static final TorchFixture TORCH = TorchFixture.load("layers18_fixture.txt");
    private static final double RTOL = 1e-5, ATOL = 1e-6;

    private static Tensor tensor(Device d, String key) {
        return Tensor.of(d, TORCH.values(key), TORCH.shape(key));
    }

    private static int[] config(String key) {
        float[] v = TORCH.values(key);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (int) v[i];
        return out;
    }

    static Stream<Arguments> poolCases() {
        return Stream.of(Device.cpu(), Device.reference()).flatMap(d -> Stream.of("max.ceil", "max.rect", "max.rectceil", "avg.ceil",
                "avg.ceilnopad", "avg.rectnopad", "avg.rectceil", "avg.ceil0").map(n -> Arguments.of(d, n)));
    }

    /** The module of case pool.NAME: config = kh kw sh sw ph pw ceil include_pad. */
    static Module module(String name) {
        int[] c = config("pool." + name + ".config");
        int[] k = {c[0], c[1]}, s = {c[2], c[3]}, p = {c[4], c[5]};
        return name.startsWith("max") ? new MaxPool2d(k, s, p, c[6] == 1) : new AvgPool2d(k, s, p, c[6] == 1, c[7] == 1);
    }

    @ParameterizedTest(name = "{0}: pool.{1}")
    @MethodSource("poolCases")
    void poolingWithOptionsMatchesPyTorch(Device d, String name) {
        String p = "pool." + name;
        Tensor x = tensor(d, p + ".x").requiresGrad(true);
        Tensor y = module(name).forward(x);
        TORCH.assertMatches(p + ".y", y, RTOL, ATOL);
        y.backward(tensor(d, p + ".dy"));
        TORCH.assertMatches(p + ".dx", x.grad(), RTOL, ATOL);
    }

    @ParameterizedTest(name = "{0}: pool.{1}")
    @MethodSource("poolCases")
    void poolingWithOptionsMatchesCentralDifferences(Device d, String name) {
        // distinct values 0.05 apart (a permutation), so the step 0.01 never changes a window's maximum
        int[] shape = {1, 2, 7, 8};
        int n = 2 * 7 * 8;
        float[] v = new float[n];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < n; i++) v[i] = i * 0.05f;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        Module m = module(name);
        GradCheck.Result res = new GradCheck().check(t -> m.forward(t[0]), Tensor.of(d, v, shape).requiresGrad(true));
        assertThat(res.passed()).as("%s: %s", name, res.detail()).isTrue();
    }

    @Test
    void ceilModeAddsAPartialWindowOnlyIfItStartsInsideTheInputOrTopPadding() {
        // H = 7, k = 3, s = 2: floor ⌊4/2⌋ + 1 = 3; ceil ⌈4/2⌉ + 1 = 3 too. H = 8: floor 3, ceil 4 (rows 6, 7 and one past)
        assertThat(new Pool2dShape(1, 1, 7, 8, 3, 3, 2, 2, 0, 0, true, true).p()).isEqualTo(3);
        assertThat(new Pool2dShape(1, 1, 7, 8, 3, 3, 2, 2, 0, 0, true, true).q()).isEqualTo(4);
        assertThat(new Pool2dShape(1, 1, 7, 8, 3, 3, 2, 2, 0, 0, false, true).q()).isEqualTo(3);
        // H = 5, k = 2, s = 2, pad 1: ⌈5/2⌉ + 1 = 4, but window 3 would start at 3·2 − 1 = 5 = H: dropped, 3
        assertThat(new Pool2dShape(1, 1, 5, 5, 2, 2, 2, 2, 1, 1, true, true).p()).isEqualTo(3);
        // its divisors: window 0 covers rows −1, 0 (padding counted: 2; not counted: 1), window 2 rows 3, 4
        Pool2dShape g = new Pool2dShape(1, 1, 5, 5, 2, 2, 2, 2, 1, 1, true, false);
        assertThat(g.avgDivisor(0, 0)).isEqualTo(1);
        assertThat(g.avgDivisor(2, 2)).isEqualTo(4);
        // a ceil-mode window past the padding is cut at H + pad even when padding is counted: H = 4, k = 3, s = 2, pad 1
        Pool2dShape cut = new Pool2dShape(1, 1, 4, 4, 3, 3, 2, 2, 1, 1, true, true);
        assertThat(cut.p()).isEqualTo(3);
        assertThat(cut.avgDivisor(2, 2)).as("rows 3, 4 (4 is padding), 5 cut").isEqualTo(4);
        // an input smaller than the kernel: one window in ceil mode (PyTorch: 1×17, k 2, s 2 → 1×9), none in floor mode
        assertThat(new Pool2dShape(1, 1, 1, 17, 2, 2, 2, 2, 0, 0, true, true).p()).isEqualTo(1);
        assertThat(new Pool2dShape(1, 1, 1, 17, 2, 2, 2, 2, 0, 0, true, true).q()).isEqualTo(9);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Pool2dShape(1, 1, 1, 17, 2, 2, 2, 2, 0, 0, false, true))
                .hasMessageContaining("input 1×17 is smaller than the kernel 2×2");
    }

    @Test
    void averageWithoutPaddingDividesByTheInputPositionsOnly() {
        // 1×1×2×2 input, kernel 2, stride 1, padding 1: the corner window (−1…0)² holds x[0,0] alone
        Tensor x = Tensor.of(new float[] {4, 8, 12, 16}, 1, 1, 2, 2);
        float[] counted = new AvgPool2d(new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, false, true).forward(x).toFloatArray();
        float[] notCounted = new AvgPool2d(new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, false, false).forward(x).toFloatArray();
        assertThat(counted).containsExactly(1, 3, 2, 4, 10, 6, 3, 7, 4);
        assertThat(notCounted).containsExactly(4, 6, 8, 8, 10, 12, 12, 14, 16);
        assertThat(new AvgPool2d(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, true, false).toString())
                .startsWith("AvgPool2d(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), ceil_mode=True, count_include_pad=False)");
    }

    static Stream<Arguments> adaptiveCases() {
        return Stream.of(Device.cpu(), Device.reference()).flatMap(d -> Stream.of("7x10to3x4", "5x5to3x2").map(n -> Arguments.of(d, n)));
    }

    @ParameterizedTest(name = "{0}: adaptive.{1}")
    @MethodSource("adaptiveCases")
    void adaptiveAveragePoolingToSizesThatDoNotDivideMatchesPyTorch(Device d, String name) {
        String p = "adaptive." + name;
        int[] c = config(p + ".config");
        Tensor x = tensor(d, p + ".x").requiresGrad(true);
        Tensor y = new AdaptiveAvgPool2d(c[0], c[1]).forward(x);
        TORCH.assertMatches(p + ".y", y, RTOL, ATOL);
        y.backward(tensor(d, p + ".dy"));
        TORCH.assertMatches(p + ".dx", x.grad(), RTOL, ATOL);
        GradCheck.Result r = new GradCheck().check(t -> new AdaptiveAvgPool2d(c[0], c[1]).forward(t[0]),
                Tensor.randn(new Generator(5), 1, 2, x.size(2), x.size(3)).requiresGrad(true));
        assertThat(r.passed()).as(r.detail()).isTrue();
    }
}
