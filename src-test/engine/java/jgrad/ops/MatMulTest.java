package jgrad.ops;

import static jgrad.ops.ElementwiseTest.assertGradientsMatch;
import static jgrad.ops.ElementwiseTest.assertValues;
import static jgrad.ops.ElementwiseTest.randn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** torch.matmul's cases: forward against hand values and a naive loop, backward against central differences. */
class MatMulTest {

    /** [[1, 2, 3], [4, 5, 6]] */
    private static final float[] A = {1, 2, 3, 4, 5, 6};
    /** [[7, 8], [9, 10], [11, 12]] */
    private static final float[] B = {7, 8, 9, 10, 11, 12};

    /** C = A·B for row-major [m,k]·[k,n] arrays, in double. */
    static float[] naive(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[i * k + p] * b[p * n + j];
                c[i * n + j] = (float) s;
            }
        }
        return c;
    }

    // ---- forward values ---------------------------------------------------------------------

    @Test
    void product2x3By3x2MatchesHandValues() {
        // [1 2 3]·[7 8; 9 10; 11 12] = [1·7+2·9+3·11, 1·8+2·10+3·12] = [58, 64]; second row [139, 154]
        assertValues("[2,3]·[3,2]", Tensor.of(A, 2, 3).matmul(Tensor.of(B, 3, 2)), new int[] {2, 2}, 58, 64, 139, 154);
    }

    @Test
    void vectorCasesDropTheVectorDimension() {
        Tensor v3 = Tensor.of(new float[] {1, 0, -1}, 3);
        Tensor v2 = Tensor.of(new float[] {1, 2}, 2);
        // row vector times matrix: [1,0,-1]·B = [7-11, 8-12]
        assertValues("[3]·[3,2]", v3.matmul(Tensor.of(B, 3, 2)), new int[] {2}, -4, -4);
        // matrix times column vector: A·[1,0,-1] = [1-3, 4-6]
        assertValues("[2,3]·[3]", Tensor.of(A, 2, 3).matmul(v3), new int[] {2}, -2, -2);
        // dot product
        assertValues("[2]·[2]", v2.matmul(Tensor.of(new float[] {3, 4}, 2)), new int[] {}, 11);
    }

    @Test
    void batchedProductMultipliesEachBatchSeparately() {
        Tensor a = Tensor.randn(new Generator(1), 3, 2, 4), b = Tensor.randn(new Generator(2), 3, 4, 5);
        Tensor c = a.matmul(b);
        assertThat(c.shape()).containsExactly(3, 2, 5);
        float[] av = a.toFloatArray(), bv = b.toFloatArray(), cv = c.toFloatArray();
        for (int t = 0; t < 3; t++) {
            float[] expected = naive(Arrays.copyOfRange(av, t * 8, t * 8 + 8),
                    Arrays.copyOfRange(bv, t * 20, t * 20 + 20), 2, 4, 5);
            assertThat(Arrays.copyOfRange(cv, t * 10, t * 10 + 10)).as("batch %d", t)
                    .containsExactly(expected, within(1e-5f));
        }
    }

    @Test
    void batchDimensionsBroadcastLikePyTorch() {
        Tensor a = Tensor.randn(new Generator(3), 2, 3, 4), w = Tensor.randn(new Generator(4), 4, 5);
        Tensor c = a.matmul(w);
        assertThat(c.shape()).containsExactly(2, 3, 5);
        float[] av = a.toFloatArray(), cv = c.toFloatArray(), wv = w.toFloatArray();
        for (int t = 0; t < 2; t++) {
            assertThat(Arrays.copyOfRange(cv, t * 15, t * 15 + 15)).as("batch %d of [2,3,4]·[4,5]", t)
                    .containsExactly(naive(Arrays.copyOfRange(av, t * 12, t * 12 + 12), wv, 3, 4, 5), within(1e-5f));
        }
        // [2,1,3,4]·[5,4,2] broadcasts to [2,5,3,2]
        Tensor big = Tensor.randn(new Generator(5), 2, 1, 3, 4).matmul(Tensor.randn(new Generator(6), 5, 4, 2));
        assertThat(big.shape()).containsExactly(2, 5, 3, 2);
    }

    @Test
    void transposedAndSlicedOperandsGiveTheSameProductAsCopies() {
        Tensor x = Tensor.randn(new Generator(7), 4, 3), y = Tensor.randn(new Generator(8), 4, 5);
        // xᵀ·y with xᵀ a view (passed to GEMM as a flag) versus a contiguous copy
        float[] viaView = x.t().matmul(y).toFloatArray();
        float[] viaCopy = naive(x.t().contiguous().toFloatArray(), y.toFloatArray(), 3, 4, 5);
        assertThat(viaView).as("xᵀ·y").containsExactly(viaCopy, within(1e-5f));
        // y·yᵀ: both operands views of one buffer
        assertThat(y.matmul(y.t()).toFloatArray()).as("y·yᵀ")
                .containsExactly(naive(y.toFloatArray(), y.t().contiguous().toFloatArray(), 4, 5, 4), within(1e-5f));
        // a slice with step 2 along columns (two non-unit strides: copied before GEMM)
        Tensor s = Tensor.randn(new Generator(9), 3, 8).slice(1, 0, 8, 2);
        assertThat(s.matmul(y).toFloatArray()).as("slice(1,0,8,2)·y")
                .containsExactly(naive(s.contiguous().toFloatArray(), y.toFloatArray(), 3, 4, 5), within(1e-5f));
        // a slice with step 2 along rows (row stride > columns)
        Tensor r = Tensor.randn(new Generator(10), 6, 4).slice(0, 1, 6, 2);
        assertThat(r.matmul(y).toFloatArray()).as("slice(0,1,6,2)·y")
                .containsExactly(naive(r.contiguous().toFloatArray(), y.toFloatArray(), 3, 4, 5), within(1e-5f));
        // a transposed batch: [2,4,3] viewed as [2,3,4]
        Tensor bt = Tensor.randn(new Generator(11), 2, 4, 3).transpose(1, 2);
        Tensor prod = bt.matmul(y);
        Tensor expected = bt.contiguous().matmul(y);
        assertThat(prod.toFloatArray()).as("transpose(1,2)·y").containsExactly(expected.toFloatArray(), within(1e-5f));
    }

    @Test
    void shapesThatDoNotChainAreAnError() {
        assertThatThrownBy(() -> Tensor.ones(2, 3).matmul(Tensor.ones(2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3]").hasMessageContaining("do not chain");
        assertThatThrownBy(() -> Tensor.scalar(1f).matmul(Tensor.ones(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 dimension");
    }

    // ---- gradient checks ------------------------------------------------------------------------

    @Test
    void matrixTimesMatrixBackwardMatchesCentralDifference() {
        assertGradientsMatch("[3,4]·[4,2]", xs -> xs[0].matmul(xs[1]), randn(1, 3, 4), randn(2, 4, 2));
    }

    @Test
    void vectorOperandsBackwardMatchesCentralDifference() {
        assertGradientsMatch("[4]·[4,3]", xs -> xs[0].matmul(xs[1]), randn(3, 4), randn(4, 4, 3));
        assertGradientsMatch("[3,4]·[4]", xs -> xs[0].matmul(xs[1]), randn(5, 3, 4), randn(6, 4));
        assertGradientsMatch("[4]·[4]", xs -> xs[0].matmul(xs[1]), randn(7, 4), randn(8, 4));
    }

    @Test
    void batchedBackwardMatchesCentralDifference() {
        assertGradientsMatch("[2,3,4]·[2,4,5]", xs -> xs[0].matmul(xs[1]), randn(9, 2, 3, 4), randn(10, 2, 4, 5));
        assertGradientsMatch("[2,3,4]·[4,5] (broadcast batch)", xs -> xs[0].matmul(xs[1]), randn(11, 2, 3, 4), randn(12, 4, 5));
        assertGradientsMatch("[4,3]·[2,3,5] (broadcast batch on the left)", xs -> xs[0].matmul(xs[1]), randn(13, 4, 3), randn(14, 2, 3, 5));
        assertGradientsMatch("[2,1,2,3]·[3,3,2] (both broadcast)", xs -> xs[0].matmul(xs[1]), randn(15, 2, 1, 2, 3), randn(16, 3, 3, 2));
        assertGradientsMatch("[4]·[2,4,3] (vector times batch)", xs -> xs[0].matmul(xs[1]), randn(17, 4), randn(18, 2, 4, 3));
        assertGradientsMatch("[2,3,4]·[4] (batch times vector)", xs -> xs[0].matmul(xs[1]), randn(19, 2, 3, 4), randn(20, 4));
    }

    @Test
    void transposedOperandViewsBackwardMatchesCentralDifference() {
        assertGradientsMatch("aᵀ·b", xs -> xs[0].t().matmul(xs[1]), randn(21, 4, 3), randn(22, 4, 2));
        assertGradientsMatch("a·bᵀ", xs -> xs[0].matmul(xs[1].t()), randn(23, 3, 4), randn(24, 2, 4));
        assertGradientsMatch("aᵀ·bᵀ", xs -> xs[0].t().matmul(xs[1].t()), randn(25, 4, 3), randn(26, 2, 4));
        assertGradientsMatch("a·aᵀ (one input used twice)", xs -> xs[0].matmul(xs[0].t()), randn(27, 3, 4));
        assertGradientsMatch("slice(1,0,6,2)·b", xs -> xs[0].slice(1, 0, 6, 2).matmul(xs[1]), randn(28, 3, 6), randn(29, 3, 2));
        assertGradientsMatch("batched transpose(1,2)·b", xs -> xs[0].transpose(1, 2).matmul(xs[1]), randn(30, 2, 4, 3), randn(31, 4, 5));
    }
}
