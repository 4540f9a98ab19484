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
 * {@link SmallMapConv}'s forward pass and input gradient, one GEMM per tap over the (output, input) pairs inside the
 * image, against the reference backend's direct sums: ResNet-18's 512 → 512 on 2×2 maps and its stride-2 layers, 1×1, 3×3,
 * 2×3 and 1×3 maps, 3×3 and 1×3 filters, paddings 0–2, channels not a multiple of the vector length,
 * offsets into the input and weight arrays, more channels than one slice of the GEMM's KC; and which shapes the backend sends to it.
 */
class SmallMapConvTest {
    private static final Backend ORACLE = new ReferenceBackend();

    private static void check(Random r, Conv2dShape g) {
        int rs = g.r() * g.s(), xs = g.n() * g.c() * g.h() * g.w(), ws = g.k() * g.c() * rs, ys = g.n() * g.k() * g.p() * g.q();
        int xOff = r.nextInt(3), wOff = r.nextInt(3);
        float[] x = ConvPathsTest.gaussian(r, xOff + xs), w = ConvPathsTest.gaussian(r, wOff + ws), dy = ConvPathsTest.gaussian(r, ys);
        Buffer y = ORACLE.allocate(ys), dx = ORACLE.allocate(xs);
        ORACLE.conv2d(g, ORACLE.upload(x), xOff, ORACLE.upload(w), wOff, y);
        ORACLE.conv2dInputGrad(g, ORACLE.upload(dy), ORACLE.upload(w), wOff, dx);
        float[] got = ConvPathsTest.gaussian(r, ys);  // garbage it must overwrite
        SmallMapConv.forward(g, x, xOff, w, wOff, got);
        // each output sums at most rs·C products of unit gaussians, about √(rs·C) in size; float
        // rounding of the two orders of summation is far below 1e-5 of that, a wrong pair is a whole term
        assertClose("forward " + g, ORACLE.read(y, Layout.contiguous(ys)), got, 1e-5 * Math.sqrt((double) rs * g.c()));
        float[] grad = ConvPathsTest.gaussian(r, xs);
        SmallMapConv.inputGrad(g, dy, w, wOff, grad);
        assertClose("input grad " + g, ORACLE.read(dx, Layout.contiguous(xs)), grad, 1e-5 * Math.sqrt((double) rs * g.k()));
    }

    private static void assertClose(String what, float[] want, float[] got, double tol) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.length; i++) {
            assertThat(Math.abs((double) want[i] - got[i]) <= tol).as("%s element %d: %s, got %s", what, i, want[i], got[i]).isTrue();
        }
    }

    @Test
    void smallMapsMatchTheDirectSums() {
        Random r = new Random(21);
        check(r, new Conv2dShape(4, 512, 2, 2, 512, 3, 3, 1, 1, 1, 1, 1, 1));  // ResNet-18 at 64×64, layer4
        check(r, new Conv2dShape(3, 40, 1, 1, 33, 3, 3, 1, 1, 1, 1, 1, 1));    // one pixel: the centre tap alone
        check(r, new Conv2dShape(2, 37, 3, 3, 45, 3, 3, 1, 1, 1, 1, 1, 1));    // 3×3: 49 of 81 pairs
        check(r, new Conv2dShape(2, 48, 2, 3, 36, 3, 3, 1, 1, 1, 1, 1, 1));
        check(r, new Conv2dShape(1, 32, 1, 3, 64, 1, 3, 1, 1, 0, 1, 1, 1));    // 1×3 filters
        check(r, new Conv2dShape(2, 32, 3, 3, 32, 3, 3, 1, 1, 2, 2, 1, 1));    // padding 2: 5×5 outputs
        check(r, new Conv2dShape(0, 32, 2, 2, 32, 3, 3, 1, 1, 1, 1, 1, 1));    // no images
        check(r, new Conv2dShape(3, 256, 4, 4, 512, 3, 3, 2, 2, 1, 1, 1, 1));    // stride 2 into layer4: 25 of 36 pairs
        check(r, new Conv2dShape(2, 40, 8, 8, 36, 3, 3, 2, 2, 1, 1, 1, 1));     // stride 2 into layer3: 121 of 144
        check(r, new Conv2dShape(2, 33, 5, 4, 35, 3, 3, 2, 1, 1, 1, 1, 1));     // strides 2 × 1, odd map: rows no pair reaches
        // past one slice of the GEMM's KC (256) in both directions, short blocks of rows and columns at the edges
        check(r, new Conv2dShape(2, 259, 2, 2, 261, 3, 3, 1, 1, 1, 1, 1, 1));
    }

    @Test
    void theBackendTakesItForWideLayersOnMapsOfAFewPixels() {
        Conv2dShape layer4 = new Conv2dShape(32, 512, 2, 2, 512, 3, 3, 1, 1, 1, 1, 1, 1);
        assertThat(SmallMapConv.suits(layer4)).isEqualTo(SmallMapConv.ENABLED);
        assertThat(ConvPath.forward(layer4)).isEqualTo(SmallMapConv.ENABLED ? ConvPath.SMALL_MAP : ConvPath.GEMM);
        assertThat(ConvPath.inputGrad(layer4)).isEqualTo(SmallMapConv.ENABLED ? ConvPath.SMALL_MAP : ConvPath.GEMM);
        assertThat(ConvPath.weightGrad(layer4)).as("the weight gradient stays on im2col").isEqualTo(ConvPath.GEMM);
        assertThat(SmallMapConv.suits(new Conv2dShape(32, 512, 4, 4, 512, 3, 3, 1, 1, 1, 1, 1, 1))).as("4×4: Winograd's").isFalse();
        Conv2dShape down = new Conv2dShape(32, 256, 4, 4, 512, 3, 3, 2, 2, 1, 1, 1, 1);  // stride 2 into layer4
        assertThat(SmallMapConv.suits(down)).isEqualTo(SmallMapConv.ENABLED);
        assertThat(ConvPath.forward(down)).isEqualTo(SmallMapConv.ENABLED ? ConvPath.SMALL_MAP : ConvPath.GEMM);
        assertThat(SmallMapConv.suits(new Conv2dShape(32, 128, 8, 8, 256, 3, 3, 2, 2, 1, 1, 1, 1))).as("4×4 out of 8×8").isEqualTo(SmallMapConv.ENABLED);
        assertThat(SmallMapConv.suits(new Conv2dShape(8, 256, 14, 14, 512, 3, 3, 2, 2, 1, 1, 1, 1))).as("7×7 out: im2col's").isFalse();
        assertThat(SmallMapConv.suits(new Conv2dShape(32, 64, 16, 16, 128, 3, 3, 2, 2, 1, 1, 1, 1))).as("8×8 out").isFalse();
        assertThat(SmallMapConv.suits(new Conv2dShape(32, 256, 4, 4, 512, 1, 1, 2, 2, 0, 0, 1, 1))).as("1×1, stride 2: every pair inside").isFalse();
        assertThat(SmallMapConv.suits(new Conv2dShape(32, 16, 2, 2, 512, 3, 3, 1, 1, 1, 1, 1, 1))).as("16 channels in").isFalse();
        assertThat(SmallMapConv.suits(new Conv2dShape(32, 512, 2, 2, 512, 1, 1, 1, 1, 0, 0, 1, 1))).as("1×1: no zeros to skip").isFalse();
        assertThat(SmallMapConv.suits(new Conv2dShape(32, 64, 3, 3, 64, 3, 3, 1, 1, 0, 0, 1, 1))).as("no padding: 1 output, 9 pairs").isFalse();
    }
}
