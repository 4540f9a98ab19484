package jgrad.backend;

import static jgrad.backend.BackendContractTest.CASES;
import static jgrad.backend.BackendContractTest.ORACLE;
import static jgrad.backend.BackendContractTest.assertClose;
import static jgrad.backend.BackendContractTest.randomData;
import static jgrad.backend.BackendContractTest.whole;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part of the backend contract: grouped convolution (forward, input and weight gradient) on random
 * geometries, depthwise (one channel and one filter per group, the simd backend's direct kernel)
 * and wider groups, with strides, padding, dilation and offset inputs. Two oracles: the sums
 * written out here as plain loops (the reference backend's definition from primitives must equal
 * them), and the reference backend (every backend must equal it).
 */
class GroupedConvContractTest {
    /** The backends under test; the OpenCL unit's subclass hides it. */
    static Stream<Backend> backends() {
        return BackendContractTest.backends();
    }

    /** y, dx and dw of a grouped convolution by its definition; g is one group's geometry. */
    static float[][] byDefinition(Conv2dShape g, int groups, float[] x, int xOff, float[] w, int wOff, float[] dy) {
        int C = groups * g.c(), K = groups * g.k();
        float[] y = new float[g.n() * K * g.p() * g.q()], dx = new float[g.n() * C * g.h() * g.w()], dw = new float[K * g.c() * g.r() * g.s()];
        for (int n = 0; n < g.n(); n++) for (int k = 0; k < K; k++) for (int p = 0; p < g.p(); p++) for (int q = 0; q < g.q(); q++) {
            int yi = ((n * K + k) * g.p() + p) * g.q() + q;
            double sum = 0;
            for (int c = 0; c < g.c(); c++) for (int r = 0; r < g.r(); r++) for (int s = 0; s < g.s(); s++) {
                int ih = p * g.strideH() - g.padH() + r * g.dilH(), iw = q * g.strideW() - g.padW() + s * g.dilW();
                if (ih < 0 || ih >= g.h() || iw < 0 || iw >= g.w()) continue;
                int ch = (k / g.k()) * g.c() + c;  // filter k's group, its c-th channel
                int xi = ((n * C + ch) * g.h() + ih) * g.w() + iw, wi = ((k * g.c() + c) * g.r() + r) * g.s() + s;
                sum += x[xOff + xi] * w[wOff + wi];
                dx[xi] += dy[yi] * w[wOff + wi];
                dw[wi] += dy[yi] * x[xOff + xi];
            }
            y[yi] = (float) sum;
        }
        return new float[][] {y, dx, dw};
    }

    @ParameterizedTest
    @MethodSource("backends")
    void groupedConvolutionMatchesTheDefinitionAndTheReference(Backend backend) {
        Random r = new Random(12);
        for (int c = 0; c < CASES / 6; c++) {
            boolean depthwise = c % 2 == 0;
            int groups = 1 + r.nextInt(depthwise ? 9 : 4);
            Conv2dShape g;
            try {
                int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4);
                g = new Conv2dShape(1 + r.nextInt(3), depthwise ? 1 : 1 + r.nextInt(3), 1 + r.nextInt(12), 1 + r.nextInt(12),
                        depthwise ? 1 : 1 + r.nextInt(3), kh, kw, 1 + r.nextInt(2), 1 + r.nextInt(2), r.nextInt(2), r.nextInt(2),
                        1 + r.nextInt(2), 1 + r.nextInt(2));
            } catch (IllegalArgumentException tooSmall) {
                continue;
            }
            int xs = g.n() * groups * g.c() * g.h() * g.w(), ws = groups * g.k() * g.c() * g.r() * g.s(), ys = g.n() * groups * g.k() * g.p() * g.q();
            int xOff = r.nextInt(3), wOff = r.nextInt(3);
            float[] x = randomData(r, xOff + xs, false), w = randomData(r, wOff + ws, false), dy = randomData(r, ys, false);
            float[][] want = byDefinition(g, groups, x, xOff, w, wOff, dy);
            String what = (depthwise ? "depthwise " : "grouped ") + groups + " groups of " + g;
            double tol = 1e-4 * Math.sqrt(g.c() * g.r() * g.s()) * 4;
            for (Backend b : new Backend[] {ORACLE, backend}) {
                Buffer y = b.upload(randomData(r, ys, false)), dx = b.upload(randomData(r, xs, false)), dw = b.upload(randomData(r, ws, false));
                b.groupedConv2d(g, groups, b.upload(x), xOff, b.upload(w), wOff, y);
                b.groupedConv2dInputGrad(g, groups, b.upload(dy), b.upload(w), wOff, dx);
                b.groupedConv2dWeightGrad(g, groups, b.upload(x), xOff, b.upload(dy), dw);
                assertClose(b.name() + " " + what, want[0], whole(b, y), 1e-4, tol);
                assertClose(b.name() + " input grad " + what, want[1], whole(b, dx), 1e-4, tol * Math.sqrt(g.k()));
                assertClose(b.name() + " weight grad " + what, want[2], whole(b, dw), 1e-4, 1e-4 * Math.sqrt(g.n() * g.p() * g.q()) * 4);
            }
        }
    }
}
