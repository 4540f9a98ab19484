package jgrad.ops;

import static jgrad.ops.ElementwiseTest.assertGradientsMatch;
import static jgrad.ops.ElementwiseTest.assertValues;
import static jgrad.ops.ElementwiseTest.randn;
import static jgrad.ops.IndexingTest.assertMatchesTorch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jgrad.TorchFixture;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** where and maskedFill: by hand (∞ and NaN included), by central differences and against PyTorch. */
class WhereTest {
    static final TorchFixture F = IndexingTest.F;

    @Test
    void whereChoosesPerElementWithBroadcasting() {
        Tensor c = Tensor.of(new float[] {1, 0, -2}, 3, 1);              // rows: true, false, true
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor b = Tensor.of(new float[] {-1, -2}, 2);
        assertValues("where", Where.where(c, a, b), new int[] {3, 2}, 1, 2, -1, -2, 5, 6);
        assertValues("where with a scalar b", Where.where(c, a, Tensor.scalar(9)), new int[] {3, 2}, 1, 2, 9, 9, 5, 6);
    }

    @Test
    void anUnchosenInfinityOrNaNDoesNotLeakIn() {
        // m·a + (1 − m)·b would give 0·∞ = NaN here
        Tensor c = Tensor.of(new float[] {1, 0, 1, 0}, 4);
        Tensor a = Tensor.of(new float[] {1, Float.POSITIVE_INFINITY, Float.NaN, 4}, 4);
        Tensor b = Tensor.of(new float[] {Float.NEGATIVE_INFINITY, 20, 30, Float.NaN}, 4);
        assertThat(Where.where(c, a, b).toFloatArray()).containsExactly(1, 20, Float.NaN, Float.NaN);
        assertThat(Where.where(Tensor.of(new float[] {Float.NaN}, 1), Tensor.ones(1), Tensor.zeros(1)).item())
                .as("NaN is nonzero: true, as bool(nan) in PyTorch").isEqualTo(1f);
    }

    @Test
    void maskedFillFillsWhereTheMaskIsNonzero() {
        Tensor x = Tensor.arange(6).reshape(2, 3).requiresGrad(true);
        Tensor mask = Tensor.of(new float[] {0, 1, 0}, 3);
        Tensor y = Where.maskedFill(x, mask, Float.NEGATIVE_INFINITY);
        assertValues("maskedFill -inf", y, new int[] {2, 3}, 0, Float.NEGATIVE_INFINITY, 2, 3, Float.NEGATIVE_INFINITY, 5);
        y.backward(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertThat(x.grad().toFloatArray()).as("no gradient where filled").containsExactly(1, 0, 3, 4, 0, 6);
    }

    @Test
    void whereBackwardMatchesCentralDifference() {
        Tensor c = Tensor.of(new float[] {1, 0, 0, 3, 0, 1}, 2, 3);
        assertGradientsMatch("where, same shapes", xs -> Where.where(c, xs[0], xs[1]), randn(1, 2, 3), randn(2, 2, 3));
        Tensor col = Tensor.of(new float[] {0, 1}, 2, 1);
        assertGradientsMatch("where, a [3] and b [2, 1] broadcast", xs -> Where.where(col, xs[0], xs[1]).tanh(), randn(3, 3), randn(4, 2, 1));
        assertGradientsMatch("where with b constant", xs -> Where.where(c, xs[0], xs[1]), randn(5, 2, 3), randn(6, 2, 3).requiresGrad(false));
        assertGradientsMatch("maskedFill", xs -> Where.maskedFill(xs[0], col, 2.5f).exp(), randn(7, 2, 3));
    }

    @Test
    void valuesAndGradientsMatchPyTorch() {
        assertMatchesTorch(F, "where", 2, xs -> Where.where(F.tensor("where.cond"), xs[0], xs[1]));
        assertMatchesTorch(F, "mfill", 1, xs -> Where.maskedFill(xs[0], F.tensor("mfill.mask"), 2.5f));
        // the attention-mask pattern: fill with −∞, then softmax
        assertMatchesTorch(F, "mfill.softmax", 1,
                xs -> Softmax.softmax(Where.maskedFill(xs[0], F.tensor("mfill.mask"), Float.NEGATIVE_INFINITY), 1));
    }

    @Test
    void shapesThatDoNotBroadcastAreRefused() {
        assertThatThrownBy(() -> Where.where(Tensor.ones(3), Tensor.ones(2, 3), Tensor.ones(4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("where")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> Where.maskedFill(Tensor.ones(3), Tensor.ones(2, 3), 0f))
                .hasMessageContaining("maskedFill").hasMessageContaining("[2, 3]").hasMessageContaining("x's shape [3]");
    }
}
