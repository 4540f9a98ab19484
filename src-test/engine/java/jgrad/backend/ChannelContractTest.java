package jgrad.backend;

import static jgrad.backend.BackendContractTest.assertClose;
import static jgrad.backend.BackendContractTest.randomData;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part of the backend contract: batch norm's per-channel primitives {@link Backend#channelSums} and
 * {@link Backend#channelAffine} on every backend against their definition computed in double on the
 * host, over [N, C, HW] blocks with planes shorter than a vector (batch norm over [N, C]), a little
 * longer, and long (a ResNet map), with and without the optional operands. The reference backend runs
 * the seam's default ({@link PerChannel}: the composition from zip and reduce), the simd backend its
 * one-pass kernels; run at 512, 256 and 128 bits by the every-width profile.
 */
class ChannelContractTest {
    static Stream<Backend> backends() {
        return BackendContractTest.backends();
    }

    private static final int[][] SHAPES = {{7, 5, 1}, {3, 4, 9}, {2, 3, 37}, {4, 6, 196}, {2, 17, 1030}};

    @ParameterizedTest
    @MethodSource("backends")
    void channelSumsEqualTheirDefinition(Backend k) {
        Random r = new Random(11);
        for (int[] s : SHAPES) {
            int n = s[0], c = s[1], hw = s[2], size = n * c * hw;
            float[] a = randomData(r, size, false), b = randomData(r, size, false), ma = randomData(r, c, false), mb = randomData(r, c, false);
            // shifted data: the centred sums must not lose it to cancellation
            for (int i = 0; i < size; i++) a[i] += 50;
            for (int mode = 0; mode < 4; mode++) {
                boolean withB = (mode & 1) != 0, withMeans = (mode & 2) != 0;
                double[] want = new double[c];
                double absSum = 0;  // the float sums' rounding grows with Σ |term|
                for (int i = 0; i < size; i++) {
                    int ch = i / hw % c;
                    double ta = a[i] - (withMeans ? ma[ch] : 0.0), tb = withB ? b[i] - (withMeans ? mb[ch] : 0.0) : 1;
                    want[ch] += ta * tb;
                    absSum = Math.max(absSum, Math.abs(ta * tb) * n * hw);
                }
                Buffer out = k.allocate(c);
                k.channelSums(n, c, hw, k.upload(a), withMeans ? k.upload(ma) : null, withB ? k.upload(b) : null,
                        withMeans && withB ? k.upload(mb) : null, out);
                float[] got = k.read(out, Layout.contiguous(c)), expected = new float[c];
                for (int ch = 0; ch < c; ch++) expected[ch] = (float) want[ch];
                assertClose(k.name() + " channelSums mode " + mode + " [" + n + ", " + c + ", " + hw + "]", expected, got, 1e-5, 1e-5 * absSum);
            }
            // Σ (a − μ)² with μ the mean: the variance's numerator, positive
            float[] mean = new float[c];
            for (int i = 0; i < size; i++) mean[i / hw % c] += a[i] / (n * hw);
            Buffer var = k.allocate(c);
            Buffer au = k.upload(a), mu = k.upload(mean);
            k.channelSums(n, c, hw, au, mu, au, mu, var);
            for (float v : k.read(var, Layout.contiguous(c))) assertThat(v).isPositive();
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void channelAffineEqualsItsDefinition(Backend k) {
        Random r = new Random(12);
        for (int[] s : SHAPES) {
            int n = s[0], c = s[1], hw = s[2], size = n * c * hw;
            float[] x = randomData(r, size, false), z = randomData(r, size, false);
            float[] mean = randomData(r, c, false), scale = randomData(r, c, false), shift = randomData(r, c, false), zScale = randomData(r, c, false);
            for (boolean withZ : new boolean[] {false, true}) {
                float[] want = new float[size];
                for (int i = 0; i < size; i++) {
                    int ch = i / hw % c;
                    want[i] = (float) (((double) x[i] - mean[ch]) * scale[ch] + shift[ch] + (withZ ? (double) zScale[ch] * z[i] : 0));
                }
                Buffer out = k.allocate(size);
                k.channelAffine(n, c, hw, k.upload(x), k.upload(mean), k.upload(scale), k.upload(shift), withZ ? k.upload(z) : null,
                        withZ ? k.upload(zScale) : null, out);
                assertClose(k.name() + " channelAffine " + (withZ ? "with z " : "") + "[" + n + ", " + c + ", " + hw + "]", want,
                        k.read(out, Layout.contiguous(size)), 1e-5, 1e-5);
                if (!withZ) {  // out may be x itself (batch norm's inference in place)
                    Buffer xy = k.upload(x);
                    k.channelAffine(n, c, hw, xy, k.upload(mean), k.upload(scale), k.upload(shift), null, null, xy);
                    assertClose(k.name() + " channelAffine over x [" + n + ", " + c + ", " + hw + "]", want, k.read(xy, Layout.contiguous(size)), 1e-5, 1e-5);
                }
            }
        }
    }
}
