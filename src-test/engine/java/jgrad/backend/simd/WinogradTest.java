package jgrad.backend.simd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jgrad.backend.Backend;
import jgrad.backend.Buffer;
import jgrad.backend.Conv2dShape;
import jgrad.backend.Layout;
import jgrad.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/**
 * {@link Winograd}'s F(4×4, 3×3) forward pass, input gradient and weight gradient against the reference backend's
 * direct sums: random 3×3 stride-1 shapes with every padding it takes (0, 1, 2), outputs that are
 * and are not whole 4×4 tiles, channel counts on both sides of the vector length, offsets into the
 * input and weight arrays, and batches split into several chunks.
 */
class WinogradTest {
    private static final Backend ORACLE = new ReferenceBackend();

    /** Within tol of the reference, relative to the size of the sum's terms (√taps: the sums are of gaussians). */
    private static void assertClose(String what, float[] expected, float[] actual, double tol) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) expected[i] - actual[i]);
            assertThat(err <= tol)
                    .as("%s: element %d expected %s, got %s", what, i, expected[i], actual[i]).isTrue();
        }
    }

    private static void check(Random r, Conv2dShape g) {
        int xs = g.n() * g.c() * g.h() * g.w(), ws = g.k() * g.c() * 9, ys = g.n() * g.k() * g.p() * g.q();
        int xOff = r.nextInt(3), wOff = r.nextInt(3);
        float[] x = ConvPathsTest.gaussian(r, xOff + xs), w = ConvPathsTest.gaussian(r, wOff + ws), dy = ConvPathsTest.gaussian(r, ys);
        Buffer y = ORACLE.allocate(ys), dx = ORACLE.allocate(xs), dw = ORACLE.allocate(ws);
        ORACLE.conv2d(g, ORACLE.upload(x), xOff, ORACLE.upload(w), wOff, y);
        ORACLE.conv2dInputGrad(g, ORACLE.upload(dy), ORACLE.upload(w), wOff, dx);
        ORACLE.conv2dWeightGrad(g, ORACLE.upload(x), xOff, ORACLE.upload(dy), dw);
        // each output is a sum of 9·C (forward) or 9·K (input gradient) products of unit gaussians, about
        // √(9·C) in size; F(4×4, 3×3) measured up to 2e-5 of that off the direct sums (its transforms
        // scale by up to 8 and by 1/24), a wrong tile or tap is off by the size of a term
        double tolY = 8e-5 * Math.sqrt(9.0 * g.c()), tolDx = 8e-5 * Math.sqrt(9.0 * g.k());
        double tolDw = 8e-5 * Math.sqrt((double) g.n() * g.p() * g.q());  // a sum over every output position

        float[] out = ConvPathsTest.gaussian(r, ys);  // garbage the path must overwrite
        Winograd.forward(g, x, xOff, w, wOff, out);
        assertClose("forward " + g, ORACLE.read(y, Layout.contiguous(ys)), out, tolY);
        float[] grad = ConvPathsTest.gaussian(r, xs);
        Winograd.inputGrad(g, dy, w, wOff, grad);
        assertClose("input grad " + g, ORACLE.read(dx, Layout.contiguous(xs)), grad, tolDx);
        float[] wgrad = ConvPathsTest.gaussian(r, ws);
        Winograd.weightGrad(g, x, xOff, dy, wgrad);
        assertClose("weight grad " + g, ORACLE.read(dw, Layout.contiguous(ws)), wgrad, tolDw);
    }

    @Test
    void randomShapesMatchTheDirectSums() {
        Random r = new Random(3);
        for (int i = 0; i < 40; i++) {
            int pad = r.nextInt(3), h = Math.max(3 - 2 * pad, 1) + r.nextInt(20), w = Math.max(3 - 2 * pad, 1) + r.nextInt(20);
            check(r, new Conv2dShape(1 + r.nextInt(3), 1 + r.nextInt(40), h, w, 1 + r.nextInt(40), 3, 3, 1, 1, pad, pad, 1, 1));
        }
    }

    @Test
    void resNetShapesMatchTheDirectSumsAcrossSeveralChunks() {
        Random r = new Random(5);
        // 64 channels at 56×56 (whole tiles): two images a chunk, so three images make two chunks
        assertThat(Winograd.CHUNK_FLOATS / (36 * 64 * 14 * 14)).isEqualTo(2);  // (chunks of 2 and 1)
        check(r, new Conv2dShape(3, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1));
        check(r, new Conv2dShape(2, 256, 14, 14, 256, 3, 3, 1, 1, 1, 1, 1, 1));  // 14 = 3.5 tiles
        check(r, new Conv2dShape(2, 96, 7, 7, 80, 3, 3, 1, 1, 1, 1, 1, 1));     // 7 = 1.75 tiles
        // a filter bank big enough to be transformed block by block, the last block short
        assertThat(36L * 520 * 256).isGreaterThan(Winograd.BLOCKED_FILTERS_MIN);
        check(r, new Conv2dShape(1, 256, 7, 7, 520, 3, 3, 1, 1, 1, 1, 1, 1));
        // a smaller bank (2.4 M floats of U) is blocked where it outweighs its tiles: ResNet-18's
        // 256 → 256 at 4×4 (one tile an image) at batch 32, but not at 14×14, batch 8 (128 tiles)
        assertThat(Winograd.blocksFilters(256, 256, 32)).isTrue();
        assertThat(Winograd.blocksFilters(256, 256, 8 * 16)).isFalse();
        assertThat(Winograd.blocksFilters(64, 64, 1)).as("U in cache anyway").isFalse();
        check(r, new Conv2dShape(3, 256, 4, 4, 256, 3, 3, 1, 1, 1, 1, 1, 1));
        check(r, new Conv2dShape(2, 200, 5, 6, 260, 3, 3, 1, 1, 1, 1, 1, 1));  // short last block, cropped tiles
    }

    @Test
    void theBackendTakesItForResNetsWideThreeByThreeLayersOnly() {
        Conv2dShape wide = new Conv2dShape(8, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1);
        assertThat(Winograd.suits(wide)).isEqualTo(Winograd.ENABLED);
        assertThat(Winograd.suits(new Conv2dShape(8, 64, 56, 56, 128, 3, 3, 2, 2, 1, 1, 1, 1))).as("stride 2").isFalse();
        assertThat(Winograd.suits(new Conv2dShape(8, 3, 56, 56, 64, 3, 3, 1, 1, 1, 1, 1, 1))).as("3 input channels").isFalse();
        assertThat(Winograd.suits(new Conv2dShape(8, 64, 56, 56, 64, 3, 3, 1, 1, 1, 1, 2, 2))).as("dilation 2").isFalse();
        assertThat(Winograd.suits(new Conv2dShape(8, 512, 2, 2, 512, 3, 3, 1, 1, 1, 1, 1, 1))).as("2×2 output").isFalse();
        assertThat(Winograd.suits(new Conv2dShape(32, 256, 4, 4, 256, 3, 3, 1, 1, 1, 1, 1, 1))).as("4×4: one whole tile").isEqualTo(Winograd.ENABLED);
        assertThat(Winograd.suits(new Conv2dShape(1, 64, 224, 224, 64, 3, 3, 1, 1, 1, 1, 1, 1))).as("VGG's 224×224").isEqualTo(Winograd.ENABLED);
        assertThat(Winograd.suits(new Conv2dShape(1, 64, 512, 512, 64, 3, 3, 1, 1, 1, 1, 1, 1))).as("512×512: 150 MB of tiles").isFalse();
        assertThat(Winograd.fits(new Conv2dShape(1, 4, 8, 8, 4, 5, 5, 1, 1, 2, 2, 1, 1))).as("5×5").isFalse();
    }
}
