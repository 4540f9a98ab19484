package jgrad.ops;

import static org.assertj.core.api.Assertions.assertThat;

import jgrad.backend.opencl.OpenClTesting;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Grouped and depthwise Conv2d on OpenCL: y, dX, dW and db as on the reference backend. */
class GroupedConvOnOpenClTest {

    @Test
    void groupedAndDepthwiseConvolutionMatchTheReferenceForwardAndBackward() {
        Device cl = OpenClTesting.deviceOrSkip();
        Generator g = new Generator(21);
        int[][] shapes = {{2, 6, 9, 8, 12, 3, 3}, {2, 8, 7, 7, 8, 8, 3}, {1, 4, 6, 5, 6, 2, 1}};  // N C H W K groups R(=S)
        for (int[] s : shapes) {
            Tensor x = Tensor.randn(g, s[0], s[1], s[2], s[3]), w = Tensor.randn(g, s[4], s[1] / s[5], s[6], s[6]);
            Tensor b = Tensor.randn(g, s[4]);
            float[][] ref = run(Device.reference(), x, w, b, s[5]), on = run(cl, x, w, b, s[5]);
            String[] names = {"y", "dX", "dW", "db"};
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < ref[i].length; j++) {
                    assertThat(on[i][j]).as("groups=%d %s[%d]", s[5], names[i], j)
                            .isCloseTo(ref[i][j], org.assertj.core.data.Offset.offset(1e-4f * (1 + Math.abs(ref[i][j]))));
                }
            }
        }
    }

    /** {y, dX, dW, db} for stride 2 × 1, padding 1, upstream gradient sin(0.7·i). */
    private static float[][] run(Device d, Tensor x0, Tensor w0, Tensor b0, int groups) {
        Tensor x = x0.to(d).requiresGrad(true), w = w0.to(d).requiresGrad(true), b = b0.to(d).requiresGrad(true);
        Tensor y = Conv2d.apply(x, w, b, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 1}, groups);
        float[] upstream = new float[y.numel()];
        for (int i = 0; i < upstream.length; i++) upstream[i] = (float) Math.sin(i * 0.7);
        y.backward(Tensor.of(d, upstream, y.shape()));
        return new float[][] {y.toFloatArray(), x.grad().toFloatArray(), w.grad().toFloatArray(), b.grad().toFloatArray()};
    }
}
