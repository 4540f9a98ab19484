package jgrad.backend.simd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jgrad.backend.Backend;
import jgrad.backend.Buffer;
import jgrad.backend.Layout;
import jgrad.backend.Pool2dShape;
import jgrad.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * {@link PoolingStem}, ResNet's 3×3 stride-2 max pool with padding 1, against the reference loop:
 * odd and even widths and heights (the last output column and row partly off the image), rows of
 * one vector and more (so the last vector moves back), ceil and floor mode, ties (zeros after a
 * ReLU: the first maximum must win), windows of −∞ only, and a NaN, which must be reported so that
 * the caller redoes the pooling by the reference rule.
 */
class PoolingStemTest {
    private static final Backend ORACLE = new ReferenceBackend();

    @Test
    void threeByThreeStrideTwoMatchesTheReference() {
        Random r = new Random(5);
        int vectorRows = 0;
        for (int c = 0; c < 60; c++) {
            int h = 3 + r.nextInt(12), w = 2 * Simd.LANES - 1 + r.nextInt(3 * Simd.LANES);
            Pool2dShape g = new Pool2dShape(1 + r.nextInt(3), 1 + r.nextInt(3), h, w, 3, 3, 2, 2, 1, 1, r.nextBoolean(), true);
            if (PoolingStem.vectorColumns(w, g.q()) > 0) vectorRows++;
            int xs = g.n() * g.c() * h * w, ys = g.n() * g.c() * g.p() * g.q(), xOff = r.nextInt(4);
            float[] x = new float[xOff + xs];
            for (int i = 0; i < x.length; i++) {
                int kind = r.nextInt(8);
                x[i] = kind < 3 ? 0f : kind == 3 ? Float.NEGATIVE_INFINITY : (float) r.nextGaussian();
            }
            Buffer y = ORACLE.allocate(ys), at = ORACLE.allocate(ys);
            ORACLE.maxPool2d(g, ORACLE.upload(x), xOff, y, at);
            float[] yv = new float[ys], atv = new float[ys];
            assertThat(Pooling.maxPool2d(g, x, xOff, yv, atv)).as("no NaN " + g).isFalse();
            assertThat(yv).as("max " + g).containsExactly(ORACLE.read(y, Layout.contiguous(ys)));
            assertThat(atv).as("argmax " + g).containsExactly(ORACLE.read(at, Layout.contiguous(ys)));
            float[] alone = new float[ys];
            assertThat(Pooling.maxPool2d(g, x, xOff, alone, null)).isFalse();
            assertThat(alone).as("max without argmax " + g).containsExactly(yv);
        }
        assertThat(vectorRows).as("cases that reach the vector loop").isGreaterThan(30);
    }

    @Test
    void aNaNInsideIsReported() {
        int w = 2 * Simd.LANES + 4;
        Pool2dShape g = new Pool2dShape(1, 2, 6, w, 3, 3, 2, 2, 1, 1, false, true);
        float[] x = new float[2 * 6 * w];
        x[6 * w + 2 * w + 5] = Float.NaN;  // plane 1, row 2, column 5: inside the vector loop's columns
        assertThat(PoolingStem.vectorColumns(w, g.q())).isGreaterThan(5 / 2);
        float[] y = new float[2 * g.p() * g.q()];
        assertThat(Pooling.maxPool2d(g, x, 0, y, new float[y.length])).isTrue();
        assertThat(Pooling.maxPool2d(g, x, 0, y, null)).as("without argmax (inference)").isTrue();
        float[] tail = new float[x.length];
        tail[3 * w - 2] = Float.NaN;  // plane 0, row 2, the last column but one: past the last whole vector of the row
        assertThat(Pooling.maxPool2d(g, tail, 0, y, null)).as("a NaN past the whole vectors, without argmax").isTrue();
        assertThat(Pooling.maxPool2d(g, tail, 0, y, new float[y.length])).as("a NaN past the whole vectors, with argmax").isTrue();
        // and through the backend the reference rule then holds: the NaN wins its windows
        SimdBackend simd = new SimdBackend();
        Buffer out = simd.allocate(y.length), am = simd.allocate(y.length);
        simd.maxPool2d(g, simd.upload(x), 0, out, am);
        float[] got = simd.read(out, Layout.contiguous(y.length));
        assertThat(got[g.p() * g.q() + g.q() + 2]).isNaN();  // output (1, 2): rows 1–3, columns 3–5
    }
}
