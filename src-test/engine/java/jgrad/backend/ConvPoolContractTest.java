package jgrad.backend;

import static jgrad.backend.BackendContractTest.CASES;
import static jgrad.backend.BackendContractTest.ORACLE;
import static jgrad.backend.BackendContractTest.assertClose;
import static jgrad.backend.BackendContractTest.randomData;
import static jgrad.backend.BackendContractTest.whole;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part of the backend contract: convolution (forward, input and weight gradient) and pooling on
 * random geometries (strides, padding, dilation, offset inputs; for pooling non-square windows, ceil
 * mode and count_include_pad) against the reference backend, on every backend.
 */
class ConvPoolContractTest {
    /** The backends under test; the OpenCL unit's subclass hides it. */
    static Stream<Backend> backends() {
        return BackendContractTest.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void convolutionMatchesReference(Backend backend) {
        Random r = new Random(10);
        for (int c = 0; c < CASES / 6; c++) {
            Conv2dShape g;
            try {
                int kh = 1 + r.nextInt(5), kw = 1 + r.nextInt(5);
                g = new Conv2dShape(1 + r.nextInt(3), 1 + r.nextInt(4), 1 + r.nextInt(13), 1 + r.nextInt(13), 1 + r.nextInt(7),
                        kh, kw, 1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(3), r.nextInt(3), 1 + r.nextInt(2), 1 + r.nextInt(2));
            } catch (IllegalArgumentException tooSmall) {
                continue;
            }
            int xs = g.n() * g.c() * g.h() * g.w(), ws = g.k() * g.c() * g.r() * g.s(), ys = g.n() * g.k() * g.p() * g.q();
            int xOff = r.nextInt(3), wOff = r.nextInt(3);
            float[] x = randomData(r, xOff + xs, false), w = randomData(r, wOff + ws, false), dy = randomData(r, ys, false);
            Buffer yo = ORACLE.allocate(ys), yt = backend.allocate(ys);
            ORACLE.conv2d(g, ORACLE.upload(x), xOff, ORACLE.upload(w), wOff, yo);
            backend.conv2d(g, backend.upload(x), xOff, backend.upload(w), wOff, yt);
            double tol = 1e-4 * Math.sqrt(g.c() * g.r() * g.s()) * 4;
            assertClose("conv2d " + g, whole(ORACLE, yo), whole(backend, yt), 1e-4, tol);
            // with one bias per filter (at an offset into its buffer): the same plus b[k] on map k
            int bOff = r.nextInt(3);
            float[] bias = randomData(r, bOff + g.k(), false), withBias = whole(ORACLE, yo);
            int plane = g.p() * g.q();
            for (int i = 0; i < ys; i++) withBias[i] += bias[bOff + (i / plane) % g.k()];
            Buffer ybt = backend.allocate(ys);
            backend.conv2d(g, backend.upload(x), xOff, backend.upload(w), wOff, backend.upload(bias), bOff, ybt);
            assertClose("conv2d with bias " + g, withBias, whole(backend, ybt), 1e-4, tol);
            Buffer dxo = ORACLE.upload(randomData(r, xs, false)), dxt = backend.upload(randomData(r, xs, false));
            ORACLE.conv2dInputGrad(g, ORACLE.upload(dy), ORACLE.upload(w), wOff, dxo);
            backend.conv2dInputGrad(g, backend.upload(dy), backend.upload(w), wOff, dxt);
            assertClose("conv2d input grad " + g, whole(ORACLE, dxo), whole(backend, dxt), 1e-4, tol * Math.sqrt(g.k()));
            Buffer dwo = ORACLE.upload(randomData(r, ws, false)), dwt = backend.upload(randomData(r, ws, false));
            ORACLE.conv2dWeightGrad(g, ORACLE.upload(x), xOff, ORACLE.upload(dy), dwo);
            backend.conv2dWeightGrad(g, backend.upload(x), xOff, backend.upload(dy), dwt);
            assertClose("conv2d weight grad " + g, whole(ORACLE, dwo), whole(backend, dwt), 1e-4,
                    1e-4 * Math.sqrt(g.n() * g.p() * g.q()) * 4);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void poolingMatchesReference(Backend backend) {
        Random r = new Random(11);
        for (int c = 0; c < CASES / 3; c++) {
            Pool2dShape g;
            try {
                int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4);
                // ceil mode and count_include_pad drawn too: partial last windows, divisors without padding
                g = new Pool2dShape(1 + r.nextInt(3), 1 + r.nextInt(4), 1 + r.nextInt(12), 1 + r.nextInt(12), kh, kw,
                        1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(kh / 2 + 1), r.nextInt(kw / 2 + 1), r.nextBoolean(), r.nextBoolean());
            } catch (IllegalArgumentException tooSmall) {
                continue;
            }
            int xs = g.n() * g.c() * g.h() * g.w(), ys = g.n() * g.c() * g.p() * g.q(), xOff = r.nextInt(3);
            float[] x = randomData(r, xOff + xs, false), dy = randomData(r, ys, false);
            Buffer yo = ORACLE.allocate(ys), yt = backend.allocate(ys), ao = ORACLE.allocate(ys), at = backend.allocate(ys);
            ORACLE.maxPool2d(g, ORACLE.upload(x), xOff, yo, ao);
            backend.maxPool2d(g, backend.upload(x), xOff, yt, at);
            assertThat(whole(backend, yt)).as("max pool %s", g).containsExactly(whole(ORACLE, yo));
            assertThat(whole(backend, at)).as("max pool argmax %s", g).containsExactly(whole(ORACLE, ao));
            Buffer yv = backend.upload(randomData(r, ys, false));  // the maxima alone (inference) overwrite y
            backend.maxPool2d(g, backend.upload(x), xOff, yv);
            assertThat(whole(backend, yv)).as("max pool without argmax %s", g).containsExactly(whole(ORACLE, yo));
            Buffer dxo = ORACLE.upload(randomData(r, xs, false)), dxt = backend.upload(randomData(r, xs, false));
            ORACLE.maxPool2dBackward(g, ORACLE.upload(dy), ao, dxo);
            backend.maxPool2dBackward(g, backend.upload(dy), at, dxt);
            assertClose("max pool backward " + g, whole(ORACLE, dxo), whole(backend, dxt), 1e-6, 1e-6);
            ORACLE.avgPool2d(g, ORACLE.upload(x), xOff, yo);
            backend.avgPool2d(g, backend.upload(x), xOff, yt);
            assertClose("avg pool " + g, whole(ORACLE, yo), whole(backend, yt), 1e-5, 1e-6);
            ORACLE.avgPool2dBackward(g, ORACLE.upload(dy), dxo);
            backend.avgPool2dBackward(g, backend.upload(dy), dxt);
            assertClose("avg pool backward " + g, whole(ORACLE, dxo), whole(backend, dxt), 1e-5, 1e-6);
        }
    }

    /**
     * 2×2 stride-2 max pooling in ceil mode on odd sizes: the last window hangs one row or column over
     * the edge, so the simd backend's whole-window 2×2 loops must not run (they would read past the
     * plane); wide rows (≥ a vector) and narrow ones, many planes.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void twoByTwoCeilModeOnOddSizesMatchesReference(Backend backend) {
        Random r = new Random(12);
        int[][] sizes = {{7, 7}, {9, 40}, {40, 9}, {5, 33}, {3, 3}, {1, 17}};  // 1 row: one window hanging over, as PyTorch
        for (int[] hw : sizes) {
            Pool2dShape g = new Pool2dShape(3, 5, hw[0], hw[1], 2, 2, 2, 2, 0, 0, true, true);
            int xs = g.n() * g.c() * g.h() * g.w(), ys = g.n() * g.c() * g.p() * g.q();
            float[] x = randomData(r, xs, false);
            Buffer yo = ORACLE.allocate(ys), yt = backend.allocate(ys), ao = ORACLE.allocate(ys), at = backend.allocate(ys);
            ORACLE.maxPool2d(g, ORACLE.upload(x), 0, yo, ao);
            backend.maxPool2d(g, backend.upload(x), 0, yt, at);
            assertThat(g.p()).as("ceil mode adds the partial row").isEqualTo((hw[0] + 1) / 2);
            assertThat(whole(backend, yt)).as("max pool %s", g).containsExactly(whole(ORACLE, yo));
            assertThat(whole(backend, at)).as("argmax %s", g).containsExactly(whole(ORACLE, ao));
        }
    }

    /**
     * The same inputs give the same bits on every call, before and after the JIT compiles the
     * kernels (a vector reduction whose order changes with the compiler tier would break "same
     * seed, same numbers"). Covers the dot-product GEMM path, the packed path and sums.
     */
}
