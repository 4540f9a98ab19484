package jgrad.backend.simd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jgrad.backend.Backend;
import jgrad.backend.Buffer;
import jgrad.backend.Conv2dShape;
import jgrad.backend.Layout;
import jgrad.backend.Pool2dShape;
import jgrad.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * Each convolution loop of the simd backend (implicit GEMM, direct, im2col + GEMM) against the
 * reference, whichever one {@link ConvPath} would pick: the contract test only reaches the chosen
 * one. Shapes are random, with channel counts on both sides of the vector length (so both register
 * blocks of {@link ImplicitConv} run) and rows long enough for the row blocks; also the 2×2 max-pool
 * vector loop, which needs rows of at least two vectors.
 */
class ConvPathsTest {
    private static final Backend ORACLE = new ReferenceBackend();

    static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static void assertClose(String what, float[] expected, float[] actual, double tol) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) expected[i] - actual[i]);
            assertThat(err <= tol * (1 + Math.abs(expected[i])))
                    .as("%s: element %d expected %s, got %s", what, i, expected[i], actual[i]).isTrue();
        }
    }

    private static float[] read(Buffer b, int n) {
        return ORACLE.read(b, Layout.contiguous(n));
    }

    @Test
    void everyConvolutionLoopMatchesTheReference() {
        Random r = new Random(42);
        int checked = 0;
        for (int c = 0; c < 60; c++) {
            Conv2dShape g;
            try {
                int kh = 1 + r.nextInt(5), kw = 1 + r.nextInt(5);
                g = new Conv2dShape(1 + r.nextInt(3), 1 + r.nextInt(12), 3 + r.nextInt(18), 3 + r.nextInt(18), 1 + r.nextInt(40),
                        kh, kw, 1 + r.nextInt(2), 1 + r.nextInt(2), r.nextInt(3), r.nextInt(3), 1 + r.nextInt(2), 1 + r.nextInt(2));
            } catch (IllegalArgumentException tooSmall) {
                continue;
            }
            checked++;
            int xs = g.n() * g.c() * g.h() * g.w(), ws = g.k() * g.c() * g.r() * g.s(), ys = g.n() * g.k() * g.p() * g.q();
            int xOff = r.nextInt(3), wOff = r.nextInt(3);
            float[] x = gaussian(r, xOff + xs), w = gaussian(r, wOff + ws), dy = gaussian(r, ys);
            double tol = 1e-5 * Math.sqrt(g.c() * g.r() * g.s() * g.k() * (double) g.n() * g.p() * g.q());

            Buffer y = ORACLE.allocate(ys), dx = ORACLE.allocate(xs), dw = ORACLE.allocate(ws);
            ORACLE.conv2d(g, ORACLE.upload(x), xOff, ORACLE.upload(w), wOff, y);
            ORACLE.conv2dInputGrad(g, ORACLE.upload(dy), ORACLE.upload(w), wOff, dx);
            ORACLE.conv2dWeightGrad(g, ORACLE.upload(x), xOff, ORACLE.upload(dy), dw);
            float[] yRef = read(y, ys), dxRef = read(dx, xs), dwRef = read(dw, ws);

            float[] out = new float[ys];
            ImplicitConv.forward(g, x, xOff, w, wOff, out);
            assertClose("implicit forward " + g, yRef, out, tol);
            // the sums started from a bias: the same plus b[k] on map k
            float[] bias = gaussian(r, 2 + g.k()), yBias = yRef.clone();
            for (int i = 0; i < ys; i++) yBias[i] += bias[2 + (i / (g.p() * g.q())) % g.k()];
            out = new float[ys];
            ImplicitConv.forward(g, x, xOff, w, wOff, bias, 2, out);
            assertClose("implicit forward with bias " + g, yBias, out, tol);
            out = new float[ys];
            ConvGemm.forward(g, x, xOff, w, wOff, out);
            assertClose("im2col forward " + g, yRef, out, tol);
            if (DirectConv.suits(g)) {
                out = new float[ys];
                DirectConv.forward(g, x, xOff, w, wOff, out);
                assertClose("direct forward " + g, yRef, out, tol);
            }

            float[] grad = gaussian(r, xs);  // garbage the loops must overwrite
            ConvGemm.inputGrad(g, dy, w, wOff, grad);
            assertClose("im2col input grad " + g, dxRef, grad, tol);
            if (ImplicitConv.canInputGrad(g)) {
                grad = gaussian(r, xs);
                ImplicitConv.inputGrad(g, dy, w, wOff, grad);
                assertClose("implicit input grad " + g, dxRef, grad, tol);
            }

            float[] wgrad = gaussian(r, ws);
            ImplicitConvWeightGrad.weightGrad(g, x, xOff, dy, wgrad);
            assertClose("implicit weight grad " + g, dwRef, wgrad, tol);
            wgrad = gaussian(r, ws);
            ConvGemm.weightGrad(g, x, xOff, dy, wgrad);
            assertClose("im2col weight grad " + g, dwRef, wgrad, tol);
            if (DirectConv.suits(g)) {
                wgrad = gaussian(r, ws);
                DirectConv.weightGrad(g, x, xOff, dy, wgrad);
                assertClose("direct weight grad " + g, dwRef, wgrad, tol);
            }
        }
        assertThat(checked).isGreaterThan(40);
    }

    @Test
    void pointwiseLayersOnManyChannelsGoToTheGemmAndMatchTheReference() {
        Conv2dShape downsample = new Conv2dShape(4, 256, 4, 4, 512, 1, 1, 2, 2, 0, 0, 1, 1);  // ResNet-18's at 64×64
        assertThat(ConvPath.forward(downsample)).isEqualTo(ConvPath.GEMM);
        assertThat(ConvPath.inputGrad(downsample)).isEqualTo(ConvPath.GEMM);
        assertThat(ConvPath.weightGrad(downsample)).isEqualTo(ConvPath.GEMM);
        Conv2dShape narrow = new Conv2dShape(4, 16, 8, 8, 32, 1, 1, 1, 1, 0, 0, 1, 1);
        assertThat(ConvPath.forward(narrow)).as("16 channels in").isEqualTo(ConvPath.IMPLICIT);
        assertThat(ConvPath.inputGrad(narrow)).as("32 channels out").isEqualTo(ConvPath.IMPLICIT);
        assertThat(ConvPath.forward(new Conv2dShape(4, 32, 8, 8, 64, 3, 3, 2, 2, 1, 1, 1, 1))).as("3×3, stride 2").isEqualTo(ConvPath.IMPLICIT);

        Random r = new Random(12);
        SimdBackend simd = new SimdBackend();
        for (Conv2dShape g : new Conv2dShape[] {downsample, new Conv2dShape(2, 40, 7, 5, 70, 1, 1, 2, 1, 0, 0, 1, 1)}) {
            int xs = g.n() * g.c() * g.h() * g.w(), ws = g.k() * g.c(), ys = g.n() * g.k() * g.p() * g.q();
            float[] x = gaussian(r, xs), w = gaussian(r, ws), dy = gaussian(r, ys);
            Buffer y = ORACLE.allocate(ys), dx = ORACLE.allocate(xs), dw = ORACLE.allocate(ws);
            ORACLE.conv2d(g, ORACLE.upload(x), 0, ORACLE.upload(w), 0, y);
            ORACLE.conv2dInputGrad(g, ORACLE.upload(dy), ORACLE.upload(w), 0, dx);
            ORACLE.conv2dWeightGrad(g, ORACLE.upload(x), 0, ORACLE.upload(dy), dw);
            Buffer sy = simd.allocate(ys), sdx = simd.allocate(xs), sdw = simd.allocate(ws);
            simd.conv2d(g, simd.upload(x), 0, simd.upload(w), 0, sy);
            simd.conv2dInputGrad(g, simd.upload(dy), simd.upload(w), 0, sdx);
            simd.conv2dWeightGrad(g, simd.upload(x), 0, simd.upload(dy), sdw);
            double tol = 1e-5 * Math.sqrt(g.c() * g.k() * (double) g.n() * g.p() * g.q());
            assertClose("forward " + g, read(y, ys), simd.read(sy, Layout.contiguous(ys)), tol);
            assertClose("input grad " + g, read(dx, xs), simd.read(sdx, Layout.contiguous(xs)), tol);
            assertClose("weight grad " + g, read(dw, ws), simd.read(sdw, Layout.contiguous(ws)), tol);
        }
    }

    /** 64 filters and more: the 6 × 4-vector block of ImplicitConv (AVX-512), then the narrower blocks for the rest. */
    @Test
    void implicitForwardWithManyFiltersMatchesTheReference() {
        Random r = new Random(11);
        for (Conv2dShape g : new Conv2dShape[] {
                new Conv2dShape(2, 3, 23, 21, 64, 7, 7, 2, 2, 3, 3, 1, 1),      // ResNet's stem, smaller
                new Conv2dShape(1, 5, 9, 11, 100, 3, 3, 2, 2, 1, 1, 1, 1),      // 100 = 64 + 32 + 4
                new Conv2dShape(2, 16, 8, 8, 136, 1, 1, 2, 2, 0, 0, 1, 1)}) {   // 136 = 2·64 + 8
            int xs = g.n() * g.c() * g.h() * g.w(), ws = g.k() * g.c() * g.r() * g.s(), ys = g.n() * g.k() * g.p() * g.q();
            float[] x = gaussian(r, xs), w = gaussian(r, ws);
            Buffer y = ORACLE.allocate(ys);
            ORACLE.conv2d(g, ORACLE.upload(x), 0, ORACLE.upload(w), 0, y);
            float[] out = gaussian(r, ys);
            ImplicitConv.forward(g, x, 0, w, 0, out);
            assertClose("implicit forward " + g, read(y, ys), out, 1e-5 * Math.sqrt(g.c() * g.r() * g.s() * (double) g.k()));
        }
    }

    @Test
    void leNetShapesMatchTheReference() {
        Random r = new Random(7);
        for (Conv2dShape g : new Conv2dShape[] {
                new Conv2dShape(3, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 1, 1),
                new Conv2dShape(3, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 1, 1)}) {
            int xs = g.n() * g.c() * g.h() * g.w(), ws = g.k() * g.c() * g.r() * g.s(), ys = g.n() * g.k() * g.p() * g.q();
            float[] x = gaussian(r, xs), w = gaussian(r, ws), dy = gaussian(r, ys);
            Buffer y = ORACLE.allocate(ys), dx = ORACLE.allocate(xs), dw = ORACLE.allocate(ws);
            ORACLE.conv2d(g, ORACLE.upload(x), 0, ORACLE.upload(w), 0, y);
            ORACLE.conv2dInputGrad(g, ORACLE.upload(dy), ORACLE.upload(w), 0, dx);
            ORACLE.conv2dWeightGrad(g, ORACLE.upload(x), 0, ORACLE.upload(dy), dw);
            float[] out = new float[ys], grad = new float[xs], wgrad = new float[ws];
            ImplicitConv.forward(g, x, 0, w, 0, out);
            ImplicitConv.inputGrad(g, dy, w, 0, grad);
            ImplicitConvWeightGrad.weightGrad(g, x, 0, dy, wgrad);
            assertClose("forward " + g, read(y, ys), out, 1e-4);
            assertClose("input grad " + g, read(dx, xs), grad, 1e-4);
            assertClose("weight grad " + g, read(dw, ws), wgrad, 1e-3);
        }
    }

    @Test
    void anInfinitePixelGivesTheReferenceWeightGradient() {
        // the row-vector weight gradient multiplies padding lanes by 0, which an infinite pixel would
        // turn into NaN where the reference has a number: such inputs take the other loop
        Conv2dShape g = new Conv2dShape(2, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 1, 1);
        Random r = new Random(5);
        int xs = 2 * 28 * 28, ws = 6 * 25, ys = 2 * 6 * 28 * 28;
        float[] x = gaussian(r, xs), dy = gaussian(r, ys);
        x[28 * 27 + 27] = Float.POSITIVE_INFINITY;  // bottom-right pixel of image 0: most taps never meet it
        Buffer dw = ORACLE.allocate(ws);
        ORACLE.conv2dWeightGrad(g, ORACLE.upload(x), 0, ORACLE.upload(dy), dw);
        float[] expected = read(dw, ws), actual = new float[ws];
        ImplicitConvWeightGrad.weightGrad(g, x, 0, dy, actual);
        int finite = 0;
        for (int i = 0; i < ws; i++) {
            if (Float.isFinite(expected[i])) {
                finite++;
                assertThat(Math.abs(expected[i] - actual[i])).as("dw[%d]", i).isLessThan(1e-3f * (1 + Math.abs(expected[i])));
            } else {
                assertThat(actual[i]).as("dw[%d]", i).isEqualTo(expected[i]);
            }
        }
        assertThat(finite).as("taps that never meet the pixel").isGreaterThan(0).isLessThan(ws);
    }

    @Test
    void twoByTwoMaxPoolVectorLoopMatchesTheReference() {
        Random r = new Random(3);
        for (int c = 0; c < 40; c++) {
            int h = 2 + r.nextInt(9), w = 16 + r.nextInt(26);  // Q = ⌊w/2⌋ ≥ 8: the vector loop, odd and even widths
            Pool2dShape g = new Pool2dShape(1 + r.nextInt(3), 1 + r.nextInt(3), h, w, 2, 2, 2, 2, 0, 0);
            int xs = g.n() * g.c() * h * w, ys = g.n() * g.c() * g.p() * g.q(), xOff = r.nextInt(4);
            float[] x = gaussian(r, xOff + xs);
            // ties (zeros after a ReLU), so "the first maximum wins" is exercised
            for (int i = 0; i < x.length; i++) if (r.nextInt(3) == 0) x[i] = 0f;
            Buffer y = ORACLE.allocate(ys), at = ORACLE.allocate(ys);
            ORACLE.maxPool2d(g, ORACLE.upload(x), xOff, y, at);
            float[] yv = new float[ys], atv = new float[ys];
            boolean sawNaN = Pooling.maxPool2d(g, x, xOff, yv, atv);
            assertThat(sawNaN).isFalse();
            assertThat(yv).as("max " + g).containsExactly(read(y, ys));
            assertThat(atv).as("argmax " + g).containsExactly(read(at, ys));
            float[] alone = new float[ys];
            assertThat(Pooling.maxPool2d(g, x, xOff, alone, null)).isFalse();
            assertThat(alone).as("max without argmax " + g).containsExactly(yv);
        }
    }

    @Test
    void twoByTwoMaxPoolOnNarrowRowsMatchesTheReference() {
        Random r = new Random(4);
        for (int c = 0; c < 40; c++) {
            // W = 2Q with Q < a vector: the two-pass loop; odd and even heights; up to 64 × 16 planes,
            // LeNet's second pooling layer among them, so the planes are split across the cores
            int q = 1 + r.nextInt(7), h = 2 + r.nextInt(11);
            Pool2dShape g = c == 0 ? new Pool2dShape(64, 16, 10, 10, 2, 2, 2, 2, 0, 0)
                    : new Pool2dShape(1 + r.nextInt(64), 1 + r.nextInt(16), h, 2 * q, 2, 2, 2, 2, 0, 0);
            int xs = g.n() * g.c() * g.h() * g.w(), ys = g.n() * g.c() * g.p() * g.q(), xOff = r.nextInt(4);
            float[] x = gaussian(r, xOff + xs);
            for (int i = 0; i < x.length; i++) if (r.nextInt(3) == 0) x[i] = 0f;  // ties
            Buffer y = ORACLE.allocate(ys), at = ORACLE.allocate(ys);
            ORACLE.maxPool2d(g, ORACLE.upload(x), xOff, y, at);
            float[] yv = gaussian(r, ys), atv = gaussian(r, ys);  // garbage to overwrite
            assertThat(Pooling.maxPool2d(g, x, xOff, yv, atv)).isFalse();
            assertThat(yv).as("max " + g).containsExactly(read(y, ys));
            assertThat(atv).as("argmax " + g).containsExactly(read(at, ys));
            float[] alone = gaussian(r, ys);
            assertThat(Pooling.maxPool2d(g, x, xOff, alone, null)).isFalse();
            assertThat(alone).as("max without argmax " + g).containsExactly(yv);
        }
        Pool2dShape g = new Pool2dShape(2, 3, 10, 10, 2, 2, 2, 2, 0, 0);
        float[] x = new float[600];
        x[437] = Float.NaN;
        assertThat(Pooling.maxPool2d(g, x, 0, new float[150], new float[150])).as("a NaN is reported").isTrue();
    }

    @Test
    void maxPoolBackwardSplitAcrossCoresIsTheReference() {
        // LeNet's first pooling layer: large enough to be split across the cores
        Pool2dShape g = new Pool2dShape(64, 6, 28, 28, 2, 2, 2, 2, 0, 0);
        Random r = new Random(9);
        int xs = 64 * 6 * 28 * 28, ys = 64 * 6 * 14 * 14;
        float[] x = gaussian(r, xs), dy = gaussian(r, ys), y = new float[ys], at = new float[ys];
        Pooling.maxPool2d(g, x, 0, y, at);
        Buffer dx = ORACLE.allocate(xs);
        ORACLE.maxPool2dBackward(g, ORACLE.upload(dy), ORACLE.upload(at), dx);
        float[] ours = gaussian(r, xs);  // garbage the backward must overwrite
        Pooling.maxPool2dBackward(g, dy, at, ours);
        assertThat(ours).containsExactly(read(dx, xs));
    }

    @Test
    void aNaNInAWindowIsReportedSoTheExactRuleRuns() {
        Pool2dShape g = new Pool2dShape(1, 1, 2, 20, 2, 2, 2, 2, 0, 0);
        float[] x = new float[40];
        x[13] = Float.NaN;
        assertThat(Pooling.maxPool2d(g, x, 0, new float[10], new float[10])).isTrue();
        x[13] = 0f;
        assertThat(Pooling.maxPool2d(g, x, 0, new float[10], new float[10])).isFalse();
    }
}
