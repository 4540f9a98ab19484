package jgrad.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.stream.Stream;
import jgrad.autograd.GradCheck;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conv2d and Pool2d: forward by hand on 3×3 and 4×4 images, backward by central differences on
 * awkward geometries (strides, padding, dilation, non-square kernels, odd sizes, several channels),
 * and the messages for inputs that do not fit. Every check runs on the simd "cpu" backend and on
 * the reference loops. PyTorch values are in {@code jgrad.nn.TorchParityCnnTest}.
 */
class ConvPoolTest {
    static Stream<Device> devices() {
        return Stream.of(Device.cpu(), Device.reference());
    }

    private static Tensor tensor(Device d, float[] values, int... shape) {
        return Tensor.of(d, values, shape);
    }

    private static Tensor leaf(Device d, float[] values, int... shape) {
        return Tensor.of(d, values, shape).requiresGrad(true);
    }

    /** Standard normal values. */
    private static float[] randn(long seed, int... shape) {
        Generator g = new Generator(seed);
        float[] v = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) v[i] = g.nextGaussian();
        return v;
    }

    /**
     * Distinct values 0.05 apart in random order, so no pooling window has a tie and a nudge of
     * GradCheck's step (0.01) never changes which element is the maximum.
     */
    private static float[] distinct(long seed, int... shape) {
        int[] perm = new Generator(seed).permutation(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
        float[] v = new float[perm.length];
        for (int i = 0; i < v.length; i++) v[i] = (perm[i] - v.length / 2f) * 0.05f;
        return v;
    }

    private static float[] arange(int from, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = from + i;
        return v;
    }

    private static final int[] ONE = {1, 1}, ZERO = {0, 0}, TWO = {2, 2};

    private static void assertGradCheck(String what, GradCheck.Result r) {
        assertThat(r.passed()).as("%s: %s", what, r.detail()).isTrue();
    }

    // ---- convolution by hand ----------------------------------------------------------------------

    // x = 1 2 3    w = 1 2
    //     4 5 6        3 4
    //     7 8 9
    @ParameterizedTest
    @MethodSource("devices")
    void convolutionOfOneToNineWithOneToFourByHand(Device d) {
        Tensor x = tensor(d, arange(1, 9), 1, 1, 3, 3), w = tensor(d, arange(1, 4), 1, 1, 2, 2);
        // y[0,0] = 1·1 + 2·2 + 4·3 + 5·4 = 37, then 47, 67, 77 (the window moves one pixel)
        Tensor y = Conv2d.apply(x, w, ONE, ZERO, ONE);
        assertThat(y.shape()).containsExactly(1, 1, 2, 2);
        assertThat(y.toFloatArray()).as("stride 1, no padding").containsExactly(37, 47, 67, 77);

        // padding 1, stride 2: the window starts at (−1, −1), so y[0,0] = x[0,0]·w[1,1] = 4;
        // y[0,1] = 2·3 + 3·4 = 18; y[1,0] = 4·2 + 7·4 = 36; y[1,1] = 5·1 + 6·2 + 8·3 + 9·4 = 77
        assertThat(Conv2d.apply(x, w, TWO, ONE, ONE).toFloatArray()).as("stride 2, padding 1").containsExactly(4, 18, 36, 77);

        // dilation 2: the kernel's taps are 2 apart and meet the corners: 1·1 + 3·2 + 7·3 + 9·4 = 64
        assertThat(Conv2d.apply(x, w, ONE, ZERO, TWO).toFloatArray()).as("dilation 2").containsExactly(64);

        // two channels add up; two filters give two maps (the second filter is −w on channel 0 only)
        Tensor x2 = tensor(d, concat(arange(1, 9), arange(1, 9)), 1, 2, 3, 3);
        Tensor w2 = tensor(d, new float[] {1, 2, 3, 4, 1, 2, 3, 4, -1, -2, -3, -4, 0, 0, 0, 0}, 2, 2, 2, 2);
        assertThat(Conv2d.apply(x2, w2, ONE, ZERO, ONE).toFloatArray()).as("two channels, two filters")
                .containsExactly(74, 94, 134, 154, -37, -47, -67, -77);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void kernelTapsThatLieWhollyInThePaddingReadZeros(Device d) {
        // x = [5] (1×1), w = [1 2 3] with dilation 2 and padding 2 on each side: the taps fall on
        // columns −2, 0, 2, so only the middle one meets the image: y = 5·2
        Tensor x = tensor(d, new float[] {5}, 1, 1, 1, 1), w = tensor(d, new float[] {1, 2, 3}, 1, 1, 1, 3);
        assertThat(Conv2d.apply(x, w, ONE, new int[] {0, 2}, new int[] {1, 2}).toFloatArray()).containsExactly(10);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void convolutionGradientsByHand(Device d) {
        Tensor x = leaf(d, arange(1, 9), 1, 1, 3, 3), w = leaf(d, arange(1, 4), 1, 1, 2, 2);
        Conv2d.apply(x, w, ONE, ZERO, ONE).sum().backward();
        // dL/dw[r,s] = Σ over the 4 windows of the pixel under w[r,s]: 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
        assertThat(w.grad().toFloatArray()).as("dW for dY = 1").containsExactly(12, 16, 24, 28);
        // dL/dx[h,w] = Σ of the weights that met pixel (h, w): corners meet one, the centre all four
        assertThat(x.grad().toFloatArray()).as("dX for dY = 1").containsExactly(
                1, 3, 2,
                4, 10, 6,
                3, 7, 4);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---- convolution by central differences --------------------------------------------------------

    /** x [N, C, H, W], w [K, C, R, S]; every case stays under ~200 elements per input. */
    record ConvCase(String name, int[] x, int[] w, int[] stride, int[] padding, int[] dilation) {
        @Override
        public String toString() {
            return name + " x" + Arrays.toString(x) + " w" + Arrays.toString(w) + " stride " + Arrays.toString(stride)
                    + " padding " + Arrays.toString(padding) + " dilation " + Arrays.toString(dilation);
        }
    }

    static Stream<Arguments> convCases() {
        ConvCase[] cases = {
            new ConvCase("plain 3×3", new int[] {2, 3, 5, 6}, new int[] {2, 3, 3, 3}, ONE, ZERO, ONE),
            new ConvCase("stride 2, padding 1, 3×2 kernel, 7×9 input", new int[] {1, 2, 7, 9}, new int[] {3, 2, 3, 2}, TWO, ONE, ONE),
            new ConvCase("padding 2, dilation 2, 2×3 kernel", new int[] {2, 2, 5, 7}, new int[] {2, 2, 2, 3}, ONE, TWO, TWO),
            new ConvCase("mixed per-axis stride/padding/dilation", new int[] {1, 3, 7, 5}, new int[] {2, 3, 3, 2},
                    new int[] {2, 1}, new int[] {0, 2}, new int[] {1, 2}),
            new ConvCase("1×1 kernel, stride 2", new int[] {1, 4, 5, 5}, new int[] {3, 4, 1, 1}, TWO, ZERO, ONE),
            new ConvCase("kernel as large as the input", new int[] {2, 2, 3, 4}, new int[] {2, 2, 3, 4}, ONE, ZERO, ONE),
            new ConvCase("stride 2 leaves the last row and column unread", new int[] {1, 2, 6, 8}, new int[] {2, 2, 3, 3}, TWO, ZERO, ONE),
            new ConvCase("stride 3, padding 2, dilation 2", new int[] {1, 2, 9, 8}, new int[] {2, 2, 2, 2},
                    new int[] {3, 3}, TWO, TWO),
            new ConvCase("1-wide input, outer taps wholly in the padding", new int[] {2, 2, 3, 1}, new int[] {2, 2, 2, 3},
                    ONE, new int[] {1, 2}, new int[] {1, 2}),
        };
        return devices().flatMap(d -> Arrays.stream(cases).map(c -> Arguments.of(d, c)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("convCases")
    void convolutionBackwardMatchesCentralDifferenceForInputAndWeight(Device d, ConvCase c) {
        Tensor x = leaf(d, randn(11, c.x()), c.x()), w = leaf(d, randn(12, c.w()), c.w());
        GradCheck.Result r = new GradCheck().check(t -> Conv2d.apply(t[0], t[1], c.stride(), c.padding(), c.dilation()), x, w);
        assertGradCheck(c.toString(), r);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("convCases")
    void convolutionWithBiasMatchesCentralDifferenceForInputWeightAndBias(Device d, ConvCase c) {
        Tensor x = leaf(d, randn(11, c.x()), c.x()), w = leaf(d, randn(12, c.w()), c.w());
        int[] bShape = {c.w()[0]};
        Tensor b = leaf(d, randn(13, bShape), bShape);
        GradCheck.Result r = new GradCheck().check(t -> Conv2d.apply(t[0], t[1], t[2], c.stride(), c.padding(), c.dilation()), x, w, b);
        assertGradCheck(c + " with bias", r);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void biasIsAddedToEveryPositionOfItsMapAndItsGradientSumsThem(Device d) {
        // x = 1…9 (3×3), w = 1…4 (2×2): the by-hand case below, (37, 47, 67, 77), plus b = 10
        Tensor x = Tensor.of(d, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor w = Tensor.of(d, new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor b = Tensor.of(d, new float[] {10}, 1).requiresGrad(true);
        Tensor y = Conv2d.apply(x, w, b, ONE, ZERO, ONE);
        assertThat(y.toFloatArray()).containsExactly(47, 57, 77, 87);
        y.mul(Tensor.of(d, new float[] {1, 2, 3, 4}, 1, 1, 2, 2)).sum().backward();
        assertThat(b.grad().toFloatArray()).containsExactly(10);
        assertThatThrownBy(() -> Conv2d.apply(x, w, Tensor.of(d, new float[] {1, 2}, 2), ONE, ZERO, ONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias [1]");
    }

    @ParameterizedTest
    @MethodSource("devices")
    void convolutionOfViewsEqualsConvolutionOfTheirCopies(Device d) {
        // a transposed input (not contiguous) and a slice with an offset into its buffer
        Tensor big = tensor(d, randn(21, 3, 2, 6, 5), 3, 2, 6, 5);
        Tensor w = tensor(d, randn(22, 2, 2, 3, 2), 2, 2, 3, 2);
        for (Tensor view : new Tensor[] {big.transpose(2, 3), big.slice(0, 1, 3)}) {
            Tensor copy = tensor(d, view.toFloatArray(), view.shape());
            assertThat(Conv2d.apply(view, w, ONE, ONE, ONE).toFloatArray()).as("conv of view %s", Arrays.toString(view.shape()))
                    .containsExactly(Conv2d.apply(copy, w, ONE, ONE, ONE).toFloatArray());
        }
        // and the gradient flows back through the view
        Tensor leafBig = leaf(d, randn(23, 2, 2, 4, 5), 2, 2, 4, 5);
        assertGradCheck("conv of a transposed input", new GradCheck().check(
                t -> Conv2d.apply(t[0].transpose(2, 3), t[1], TWO, ONE, ONE), leafBig, w.requiresGrad(true)));
    }

    // ---- pooling by hand ---------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("devices")
    void maxPoolByHandRoutesTheGradientToTheMaximum(Device d) {
        Tensor x = leaf(d, new float[] {
                1, 5, 2, 0,
                3, 4, 8, 6,
                -1, -2, 7, 9,
                -4, -3, 11, 10}, 1, 1, 4, 4);
        Tensor y = Pool2d.max(x, TWO, TWO, ZERO);
        assertThat(y.toFloatArray()).as("max of each 2×2 block").containsExactly(5, 8, -1, 11);
        y.sum().backward();
        assertThat(x.grad().toFloatArray()).as("dX: 1 where each block's maximum was").containsExactly(
                0, 1, 0, 0,
                0, 0, 1, 0,
                1, 0, 0, 0,
                0, 0, 1, 0);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void maxPoolWithoutGradientGivesTheSameMaximaAndRecordsNothing(Device d) {
        // inference takes a path that computes no argmax: same values, and no graph
        Tensor x = leaf(d, randn(5, 2, 3, 9, 18), 2, 3, 9, 18);
        Tensor recorded = Pool2d.max(x, TWO, TWO, ZERO);
        Tensor plain;
        try (jgrad.autograd.NoGrad scope = jgrad.autograd.NoGrad.enter()) {
            plain = Pool2d.max(x, TWO, TWO, ZERO);
        }
        assertThat(plain.toFloatArray()).containsExactly(recorded.toFloatArray());
        assertThat(plain.requiresGrad()).isFalse();
        assertThat(recorded.requiresGrad()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("devices")
    void maxPoolPaddingNeverWinsOverNegativeValues(Device d) {
        // PyTorch pads max pooling with −∞: an all-negative image must not pool to 0
        Tensor x = leaf(d, new float[] {-1, -2, -3, -4, -5, -6, -7, -8, -9}, 1, 1, 3, 3);
        Tensor y = Pool2d.max(x, new int[] {3, 3}, TWO, ONE);
        // windows (rows × cols): {0,1}×{0,1}, {0,1}×{1,2}, {1,2}×{0,1}, {1,2}×{1,2}
        assertThat(y.toFloatArray()).containsExactly(-1, -2, -4, -5);
        y.sum().backward();
        assertThat(x.grad().toFloatArray()).as("overlapping windows: pixel −1 wins one, −2 one, −4 one, −5 one")
                .containsExactly(1, 1, 0, 1, 1, 0, 0, 0, 0);
    }

    @ParameterizedTest
    @MethodSource("devices")
    void avgPoolByHandCountsPaddingAsZeros(Device d) {
        Tensor x = leaf(d, arange(1, 9), 1, 1, 3, 3);
        assertThat(Pool2d.avg(x, TWO, ONE, ZERO).toFloatArray()).as("(1+2+4+5)/4, (2+3+5+6)/4, …").containsExactly(3, 4, 6, 7);
        // kernel 3, stride 2, padding 1: each window holds 4 pixels and 5 zeros, and divides by 9
        Tensor y = Pool2d.avg(x, new int[] {3, 3}, TWO, ONE);
        float[] expected = {12 / 9f, 16 / 9f, 24 / 9f, 28 / 9f};
        float[] got = y.toFloatArray();
        for (int i = 0; i < 4; i++) assertThat(got[i]).as("window %d of %s", i, Arrays.toString(got)).isCloseTo(expected[i], within(1e-6f));
        y.sum().backward();
        // the centre pixel is in all four windows, edges in two, corners in one: each adds 1/9
        float[] dx = x.grad().toFloatArray();
        float[] counts = {1, 2, 1, 2, 4, 2, 1, 2, 1};
        for (int i = 0; i < 9; i++) assertThat(dx[i]).as("dX[%d] of %s", i, Arrays.toString(dx)).isCloseTo(counts[i] / 9f, within(1e-6f));
    }

    // ---- pooling by central differences -------------------------------------------------------------

    /** x [N, C, H, W] and the kernel, stride and padding as {height, width}. */
    record PoolCase(int[] x, int[] kernel, int[] stride, int[] padding) {
        @Override
        public String toString() {
            return "x" + Arrays.toString(x) + " kernel " + Arrays.toString(kernel) + " stride " + Arrays.toString(stride)
                    + " padding " + Arrays.toString(padding);
        }
    }

    static Stream<Arguments> poolCases() {
        PoolCase[] cases = {
            new PoolCase(new int[] {2, 3, 6, 7}, TWO, TWO, ZERO),
            new PoolCase(new int[] {2, 2, 7, 9}, new int[] {3, 3}, TWO, ONE),
            new PoolCase(new int[] {1, 3, 5, 8}, new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 0}),
            new PoolCase(new int[] {1, 2, 7, 7}, new int[] {5, 4}, new int[] {3, 2}, TWO),
        };
        return devices().flatMap(d -> Arrays.stream(cases).map(c -> Arguments.of(d, c)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("poolCases")
    void maxPoolBackwardMatchesCentralDifference(Device d, PoolCase c) {
        Tensor x = leaf(d, distinct(31, c.x()), c.x());
        assertGradCheck("max pool " + c, new GradCheck().check(t -> Pool2d.max(t[0], c.kernel(), c.stride(), c.padding()), x));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("poolCases")
    void avgPoolBackwardMatchesCentralDifference(Device d, PoolCase c) {
        Tensor x = leaf(d, randn(32, c.x()), c.x());
        assertGradCheck("avg pool " + c, new GradCheck().check(t -> Pool2d.avg(t[0], c.kernel(), c.stride(), c.padding()), x));
    }

    // ---- inputs that do not fit ----------------------------------------------------------------------

    @Test
    void convolutionRefusesWrongRanksAndMismatchedChannels() {
        Tensor w = Tensor.zeros(2, 3, 3, 3);
        assertThatThrownBy(() -> Conv2d.apply(Tensor.zeros(3, 5, 5), w, ONE, ZERO, ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[N, C, H, W]").hasMessageContaining("[3, 5, 5]").hasMessageContaining("[2, 3, 3, 3]");
        assertThatThrownBy(() -> Conv2d.apply(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(3, 3, 3), ONE, ZERO, ONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[K, C, R, S]").hasMessageContaining("[3, 3, 3]");
        assertThatThrownBy(() -> Conv2d.apply(Tensor.zeros(1, 4, 5, 5), w, ONE, ZERO, ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same C").hasMessageContaining("[1, 4, 5, 5]").hasMessageContaining("[2, 3, 3, 3]");
    }

    @Test
    void convolutionRefusesAnInputSmallerThanTheKernel() {
        Tensor w = Tensor.zeros(1, 1, 3, 3);
        assertThatThrownBy(() -> Conv2d.apply(Tensor.zeros(1, 1, 2, 5), w, ONE, ZERO, ONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 2×5").hasMessageContaining("kernel 3×3");
        // dilation 2 spreads a 3×3 kernel over 5×5
        assertThatThrownBy(() -> Conv2d.apply(Tensor.zeros(1, 1, 4, 4), w, ONE, ZERO, TWO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dilated kernel 5×5");
        // with stride 2 the output-size formula rounds (3 − 4)/2 towards 0: the check must not rely on it
        assertThatThrownBy(() -> Conv2d.apply(Tensor.zeros(1, 1, 3, 3), Tensor.zeros(1, 1, 4, 4), TWO, ZERO, ONE))
                .as("a 3×3 input under a 4×4 kernel with stride 2 (PyTorch: 'Kernel size can't be greater than actual input size')")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 3×3").hasMessageContaining("kernel 4×4");
        assertThatThrownBy(() -> Conv2d.apply(Tensor.zeros(1, 1, 5, 5), w, new int[] {1, 0}, ZERO, ONE))
                .as("the message names the geometry it got").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid convolution geometry").hasMessageContaining("h=5").hasMessageContaining("stride 1×0");
        // padding can make it fit, as in PyTorch
        assertThat(Conv2d.apply(Tensor.zeros(1, 1, 2, 2), w, ONE, ONE, ONE).shape()).containsExactly(1, 1, 2, 2);
    }

    @Test
    void poolingRefusesWrongRankTooSmallInputAndTooMuchPadding() {
        assertThatThrownBy(() -> Pool2d.max(Tensor.zeros(3, 4, 4), TWO, TWO, ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[N, C, H, W]").hasMessageContaining("[3, 4, 4]");
        assertThatThrownBy(() -> Pool2d.avg(Tensor.zeros(1, 1, 2, 5), new int[] {3, 3}, ONE, ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input 2×5").hasMessageContaining("kernel 3×3");
        assertThatThrownBy(() -> Pool2d.max(Tensor.zeros(1, 1, 3, 3), new int[] {3, 3}, TWO, new int[] {2, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most half the kernel");
        assertThatThrownBy(() -> Pool2d.max(Tensor.zeros(1, 1, 4, 4), TWO, ZERO, ZERO))
                .as("the message names the geometry it got").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid pooling geometry").hasMessageContaining("h=4").hasMessageContaining("stride 0×0");
    }

    /** Pixels past the last output column must not leak into the weight gradient (0 · ∞ = NaN). */
    @org.junit.jupiter.api.Test
    void weightGradientIgnoresAnInfinitePixelNoOutputUses() {
        float[] row = new float[11];
        for (int i = 0; i < 10; i++) row[i] = i + 1;
        row[10] = Float.POSITIVE_INFINITY;  // used only by kernel tap s = 2 at the last output column
        for (jgrad.tensor.Device d : new jgrad.tensor.Device[] {jgrad.tensor.Device.cpu(), jgrad.tensor.Device.reference()}) {
            jgrad.tensor.Tensor x = jgrad.tensor.Tensor.of(d, row, 1, 1, 1, 11);
            jgrad.tensor.Tensor dy = jgrad.tensor.Tensor.full(d, 1f, 1, 1, 1, 9);
            float[] dw = jgrad.tensor.FusedKernels.conv2dWeightGrad(
                    new jgrad.backend.Conv2dShape(1, 1, 1, 11, 1, 1, 3, 1, 1, 0, 0, 1, 1), x, dy).toFloatArray();
            // dw[s] = Σ_q x[q + s] over q < 9: 45, 54, ∞
            org.assertj.core.api.Assertions.assertThat(dw).as("device %s", d).containsExactly(45f, 54f, Float.POSITIVE_INFINITY);
        }
    }
}
