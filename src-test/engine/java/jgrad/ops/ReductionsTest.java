package jgrad.ops;

import static jgrad.ops.ElementwiseTest.assertGradientsMatch;
import static jgrad.ops.ElementwiseTest.assertValues;
import static jgrad.ops.ElementwiseTest.randn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** sum, mean, max and argmax: backward against central differences, forward against hand values. */
class ReductionsTest {

    /** [[1, 2, 3], [4, 5, 6]] */
    private static Tensor m23() {
        return Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    /**
     * Distinct values 0.3 apart in shuffled order: the maximum along any dimension is unique and
     * no nudge of ±0.01 in the finite difference can change which element it is.
     */
    private static Tensor distinct(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        int[] perm = new Generator(seed).permutation(t.numel());
        float[] v = new float[perm.length];
        for (int i = 0; i < v.length; i++) v[i] = 0.3f * perm[i] - 1f;
        return Tensor.of(v, shape).requiresGrad(true);
    }

    // ---- gradient checks ------------------------------------------------------------------------

    @Test
    void sumOfAllElementsBackwardMatchesCentralDifference() {
        assertGradientsMatch("sum()", xs -> xs[0].sum(), randn(1, 3, 4));
    }

    @Test
    void sumOverOneDimBackwardMatchesCentralDifference() {
        assertGradientsMatch("sum(0, keepDim=false)", xs -> xs[0].sum(0, false), randn(2, 3, 4));
        assertGradientsMatch("sum(1, keepDim=true)", xs -> xs[0].sum(1, true), randn(3, 3, 4));
        assertGradientsMatch("sum(-1, keepDim=false)", xs -> xs[0].sum(-1, false), randn(4, 2, 3, 4));
    }

    @Test
    void sumOverSeveralDimsBackwardMatchesCentralDifference() {
        assertGradientsMatch("sum({0,2}, keepDim=false)", xs -> xs[0].sum(new int[] {0, 2}, false), randn(5, 2, 3, 4));
        assertGradientsMatch("sum({0,2}, keepDim=true)", xs -> xs[0].sum(new int[] {0, 2}, true), randn(6, 2, 3, 4));
        assertGradientsMatch("sum of a transposed view over dim 0", xs -> xs[0].t().sum(0, false), randn(7, 3, 4));
    }

    @Test
    void meanBackwardMatchesCentralDifference() {
        assertGradientsMatch("mean()", xs -> xs[0].mean(), randn(8, 3, 4));
        assertGradientsMatch("mean(1, keepDim=false)", xs -> xs[0].mean(1, false), randn(9, 3, 4));
        assertGradientsMatch("mean(0, keepDim=true)", xs -> xs[0].mean(0, true), randn(10, 3, 4));
    }

    @Test
    void maxBackwardMatchesCentralDifference() {
        assertGradientsMatch("max(0, keepDim=false)", xs -> xs[0].max(0, false), distinct(11, 3, 4));
        assertGradientsMatch("max(1, keepDim=true)", xs -> xs[0].max(1, true), distinct(12, 3, 4));
        assertGradientsMatch("max(1) of [2,3,4]", xs -> xs[0].max(1, false), distinct(13, 2, 3, 4));
        assertGradientsMatch("max(-1) of a transposed view", xs -> xs[0].t().max(-1, false), distinct(14, 3, 4));
    }

    // ---- forward values ---------------------------------------------------------------------

    @Test
    void sumOverEachDimOfA2x3() {
        assertValues("sum()", m23().sum(), new int[] {}, 21);
        assertValues("sum(0)", m23().sum(0, false), new int[] {3}, 5, 7, 9);
        assertValues("sum(1)", m23().sum(1, false), new int[] {2}, 6, 15);
        assertValues("sum(1, keepDim)", m23().sum(1, true), new int[] {2, 1}, 6, 15);
        assertValues("sum(-2, keepDim)", m23().sum(-2, true), new int[] {1, 3}, 5, 7, 9);
        assertValues("sum({0,1})", m23().sum(new int[] {0, 1}, false), new int[] {}, 21);
    }

    @Test
    void sumOverMiddleDimOfA3dTensor() {
        // x[i][j][k] = 100i + 10j + k, shape [2,3,2]
        float[] v = new float[12];
        for (int i = 0, n = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 2; k++) v[n++] = 100 * i + 10 * j + k;
        Tensor x = Tensor.of(v, 2, 3, 2);
        // Σⱼ = 300i + 30 + 3k
        assertValues("sum(1)", x.sum(1, false), new int[] {2, 2}, 30, 33, 330, 333);
        // Σᵢ Σₖ = 2·100 + 4·10j + 2·1 = 202 + 40j
        assertValues("sum({0,2})", x.sum(new int[] {0, 2}, false), new int[] {3}, 202, 242, 282);
    }

    @Test
    void meanDividesByTheReducedCount() {
        assertValues("mean()", m23().mean(), new int[] {}, 3.5f);
        assertValues("mean(0)", m23().mean(0, false), new int[] {3}, 2.5f, 3.5f, 4.5f);
        assertValues("mean(1, keepDim)", m23().mean(1, true), new int[] {2, 1}, 2, 5);
    }

    @Test
    void maxAndArgmaxAlongEachDim() {
        Tensor x = Tensor.of(new float[] {3, 9, 1, 7, 2, 8}, 2, 3);  // [[3,9,1],[7,2,8]]
        assertValues("max(0)", x.max(0, false), new int[] {3}, 7, 9, 8);
        assertValues("argmax(0)", x.argmax(0, false), new int[] {3}, 1, 0, 1);
        assertValues("max(1, keepDim)", x.max(1, true), new int[] {2, 1}, 9, 8);
        assertValues("argmax(1)", x.argmax(1, false), new int[] {2}, 1, 2);
        assertValues("max(-1) of -x", x.neg().max(-1, false), new int[] {2}, -1, -2);
    }

    @Test
    void argmaxPicksTheFirstOfTiedMaxima() {
        Tensor x = Tensor.of(new float[] {5, 1, 5, 5}, 4);
        assertValues("argmax of [5,1,5,5]", x.argmax(0, false), new int[] {}, 0);
    }

    @Test
    void maxGradientGoesToTheArgmaxOnly() {
        Tensor x = Tensor.of(new float[] {3, 9, 1, 7, 2, 8}, 2, 3).requiresGrad(true);
        x.max(1, false).sum().backward();
        assertThat(x.grad().toFloatArray()).as("d max(1) / dx for [[3,9,1],[7,2,8]]").containsExactly(0, 1, 0, 0, 0, 1);
    }

    @Test
    void reductionsReadNonContiguousInputsInLogicalOrder() {
        Tensor t = m23().t();  // [[1,4],[2,5],[3,6]]
        assertValues("t.sum(0)", t.sum(0, false), new int[] {2}, 6, 15);
        assertValues("t.sum(1)", t.sum(1, false), new int[] {3}, 5, 7, 9);
        assertValues("t.max(1)", t.max(1, false), new int[] {3}, 4, 5, 6);
        assertValues("t.argmax(0)", t.argmax(0, false), new int[] {2}, 2, 2);
        Tensor odd = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4).slice(1, 1, 4, 2);  // [[2,4],[6,8]]
        assertValues("sliced.sum(1)", odd.sum(1, false), new int[] {2}, 6, 14);
        assertValues("sliced.mean()", odd.mean(), new int[] {}, 5);
        assertValues("sliced.max(0)", odd.max(0, false), new int[] {2}, 6, 8);
    }

    @Test
    void sumOfAZeroDimViewReadsItsOwnElement() {
        // a 0-dim view at offset 1 of [5, 7]: its sum and mean are 7, not the buffer's first element
        Tensor seven = Tensor.of(new float[] {5, 7}, 2).slice(0, 1, 2).squeeze(0);
        assertValues("sum() of tensor(7.)", seven.sum(), new int[] {}, 7);
        assertValues("mean() of tensor(7.)", seven.mean(), new int[] {}, 7);
        Tensor rows = m23().slice(0, 1, 2);  // [[4, 5, 6]] at offset 3
        assertValues("sum over no dims", rows.sum(new int[0], false), new int[] {1, 3}, 4, 5, 6);
    }

    @Test
    void sumOverNoDimsLeavesTheInputALeaf() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor y = x.sum(new int[0], true);
        assertThat(y).as("a new tensor, not x").isNotSameAs(x);
        assertThat(x.isLeaf()).as("x keeps no grad_fn").isTrue();
        y.mul(Tensor.of(new float[] {3, 4}, 2)).sum().backward();
        assertThat(x.grad().toFloatArray()).as("gradient passes through unchanged").containsExactly(3, 4);
    }

    @Test
    void reducingADimensionTwiceIsAnError() {
        assertThatThrownBy(() -> m23().sum(new int[] {1, -1}, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void reducingAMissingDimensionNamesTheShape() {
        assertThatThrownBy(() -> m23().sum(2, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension 2").hasMessageContaining("[2, 3]");
    }

    /** Adjacent reduced dimensions are summed as one axis; the values must not depend on that. */
    @org.junit.jupiter.api.Test
    void sumOverAdjacentAndSplitDimensionsByHand() {
        jgrad.tensor.Tensor x = jgrad.tensor.Tensor.arange(24).reshape(2, 3, 4);  // x[i][j][k] = 12i + 4j + k
        // over (1, 2): Σ_j Σ_k (12i + 4j + k) = 144i + 66 → 66, 210
        org.assertj.core.api.Assertions.assertThat(x.sum(new int[] {1, 2}, false).toFloatArray()).containsExactly(66f, 210f);
        // over (0, 2), not adjacent: Σ_i Σ_k = 8·(12·½ … ) → per j: Σ_i Σ_k (12i + 4j + k) = 60 + 32j → 60, 92, 124
        org.assertj.core.api.Assertions.assertThat(x.sum(new int[] {0, 2}, false).toFloatArray()).containsExactly(60f, 92f, 124f);
        // over (0, 1, 2) with keepDim: 276 in a [1, 1, 1]
        jgrad.tensor.Tensor all = x.sum(new int[] {0, 1, 2}, true);
        org.assertj.core.api.Assertions.assertThat(all.shape()).containsExactly(1, 1, 1);
        org.assertj.core.api.Assertions.assertThat(all.item()).isEqualTo(276f);
        // a conv bias gradient: [N, C, H, W] summed over (0, 2, 3) per channel
        jgrad.tensor.Tensor y = jgrad.tensor.Tensor.arange(16).reshape(2, 2, 2, 2);  // channel c holds 4c … 4c+3 and 8+4c …
        org.assertj.core.api.Assertions.assertThat(y.sum(new int[] {0, 2, 3}, false).toFloatArray()).containsExactly(44f, 76f);
    }
}
