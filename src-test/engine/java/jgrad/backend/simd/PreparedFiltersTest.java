package jgrad.backend.simd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import jgrad.autograd.NoGrad;
import jgrad.backend.Buffer;
import jgrad.backend.Conv2dShape;
import jgrad.backend.Layout;
import jgrad.backend.PreparedFilters;
import jgrad.backend.reference.ReferenceBackend;
import jgrad.nn.Conv2d;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Filters prepared once for many forward convolutions ({@code Backend.prepareFilters}): on every path
 * the simd backend takes (Winograd with U whole and in blocks, small maps, and the paths that keep
 * nothing), with and without a bias, the output has the same bits as the plain call, at the first
 * call (which makes the kept form) and after it (which reads it), and one prepared object serves
 * batches of different sizes. {@code nn.Conv2d} uses it in evaluation without a graph, and follows
 * its weights when they change.
 */
class PreparedFiltersTest {
    private static final SimdBackend SIMD = new SimdBackend();

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static Conv2dShape shape(int n, int c, int hw, int k, int stride) {
        return new Conv2dShape(n, c, hw, hw, k, 3, 3, stride, stride, 1, 1, 1, 1);
    }

    @Test
    void everyPathGivesTheSameBitsAsThePlainCall() {
        Random r = new Random(3);
        Conv2dShape[][] cases = {
                {shape(2, 64, 16, 64, 1), shape(5, 64, 16, 64, 1)},      // Winograd, U whole
                {shape(32, 256, 4, 256, 1), shape(24, 256, 4, 256, 1)},  // Winograd, U in blocks
                {shape(4, 512, 2, 512, 1), shape(3, 512, 2, 512, 1)},    // small maps
                {shape(4, 128, 8, 256, 2), shape(2, 128, 8, 256, 2)},    // small maps, stride 2
                {shape(2, 3, 20, 16, 2), shape(1, 3, 20, 16, 2)},        // a path that keeps nothing
        };
        ConvPath[] paths = {ConvPath.WINOGRAD, ConvPath.WINOGRAD, ConvPath.SMALL_MAP, ConvPath.SMALL_MAP, null};
        assertThat(Winograd.blocksFilters(256, 256, 32)).as("the second case's U is made in blocks").isTrue();
        assertThat(Winograd.blocksFilters(64, 64, 2 * 16)).as("the first case's whole").isFalse();
        for (int i = 0; i < cases.length; i++) {
            Conv2dShape first = cases[i][0];
            if (paths[i] != null) assertThat(ConvPath.forward(first)).as("path of " + first).isEqualTo(paths[i]);
            float[] w = random(r, first.k() * first.c() * 9 + 3), bias = random(r, first.k() + 1);
            Buffer wb = SIMD.upload(w), bb = SIMD.upload(bias);
            PreparedFilters prepared = SIMD.prepareFilters(wb, 3);
            for (int call = 0; call < 2; call++) {
                for (Conv2dShape g : cases[i]) {
                    float[] x = random(r, g.n() * g.c() * g.h() * g.w() + 2);
                    Buffer xb = SIMD.upload(x);
                    int ys = g.n() * g.k() * g.p() * g.q();
                    Buffer plain = SIMD.allocate(ys), kept = SIMD.allocate(ys), plainB = SIMD.allocate(ys), keptB = SIMD.allocate(ys);
                    SIMD.conv2d(g, xb, 2, wb, 3, plain);
                    SIMD.conv2d(g, xb, 2, prepared, null, 0, kept);
                    SIMD.conv2d(g, xb, 2, wb, 3, bb, 1, plainB);
                    SIMD.conv2d(g, xb, 2, prepared, bb, 1, keptB);
                    Layout l = Layout.contiguous(ys);
                    assertThat(SIMD.read(kept, l)).as("call %d, %s", call, g).containsExactly(SIMD.read(plain, l));
                    assertThat(SIMD.read(keptB, l)).as("with bias, call %d, %s", call, g).containsExactly(SIMD.read(plainB, l));
                }
            }
            long held = ((PreparedConvFilters) prepared).floats();
            if (paths[i] != null) assertThat(held).as("a form kept for " + first).isGreaterThanOrEqualTo((long) first.k() * first.c() * 9);
            else assertThat(held).as("nothing kept for " + first).isZero();
        }
    }

    @Test
    void filtersPreparedByAnotherBackendAreRefused() {
        ReferenceBackend ref = new ReferenceBackend();
        PreparedFilters foreign = ref.prepareFilters(ref.upload(new float[9]), 0);
        Conv2dShape g = new Conv2dShape(1, 1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1);
        assertThatThrownBy(() -> SIMD.conv2d(g, SIMD.upload(new float[9]), 0, foreign, null, 0, SIMD.allocate(9)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prepared by another backend");
    }

    @Test
    void aConv2dLayerInEvaluationKeepsItsPreparedFiltersUntilTheWeightsChange() {
        Device cpu = new Device("cpu", SIMD);
        Device previous = Device.getDefault();
        Device.setDefault(cpu);
        try {
            Generator gen = new Generator(4);
            Conv2d conv = new Conv2d(64, 64, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, true, gen);
            Tensor x = Tensor.randn(gen, 2, 64, 16, 16).to(cpu);
            float[] graphOut = conv.forward(x).toFloatArray();  // training mode, with a graph: the plain path
            conv.eval();
            float[] first, second, changed;
            try (NoGrad off = NoGrad.enter()) {
                first = conv.forward(x).toFloatArray();
                second = conv.forward(x).toFloatArray();
                conv.weight.mulInPlace(2f);  // moves the weight's version: the kept filters are stale
                changed = conv.forward(x).toFloatArray();
            }
            assertThat(first).containsExactly(graphOut);
            assertThat(second).containsExactly(graphOut);
            float[] expected;
            conv.train();
            expected = conv.forward(x).toFloatArray();
            assertThat(changed).as("after the weights changed").containsExactly(expected);
            assertThat(changed[5]).isNotEqualTo(first[5]);
            jgrad.backend.PreparedFilters p = SIMD.prepareFilters(conv.weight.buffer(), 0);
            int[] one = {1, 1};
            assertThatThrownBy(() -> jgrad.ops.Conv2d.applyPrepared(x, conv.weight, p, null, one, one, one))
                    .as("with a graph").isInstanceOf(IllegalStateException.class).hasMessageContaining("only under NoGrad");
            try (NoGrad off = NoGrad.enter()) {
                assertThatThrownBy(() -> jgrad.ops.Conv2d.applyPrepared(x, conv.weight, p, Tensor.zeros(3).to(cpu), one, one, one))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected bias [64]");
            }
        } finally {
            Device.setDefault(previous);
        }
    }
}
