package jgrad.ops;

import static jgrad.ops.ElementwiseTest.assertGradientsMatch;
import static jgrad.ops.ElementwiseTest.assertValues;
import static jgrad.ops.ElementwiseTest.randn;
import static jgrad.ops.IndexingTest.assertMatchesTorch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import jgrad.TorchFixture;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** cat, stack, split, chunk: by hand, by central differences and against PyTorch. */
class CatSplitTest {
    static final TorchFixture F = IndexingTest.F;

    /** [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]] */
    private static Tensor m34() {
        return Tensor.arange(12).reshape(3, 4);
    }

    private static int[] sizes(List<Tensor> pieces, int dim) {
        return pieces.stream().mapToInt(t -> t.size(dim)).toArray();
    }

    // ---- by hand ----------------------------------------------------------------------------------

    @Test
    void catPutsTheInputsOneAfterAnother() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), b = Tensor.of(new float[] {5, 6}, 2, 1);
        assertValues("cat dim 1", CatSplit.cat(List.of(a, b), 1), new int[] {2, 3}, 1, 2, 5, 3, 4, 6);
        assertValues("cat dim -1 of a transposed view", CatSplit.cat(List.of(a.t(), b), -1), new int[] {2, 3}, 1, 3, 5, 2, 4, 6);
        assertValues("cat dim 0", CatSplit.cat(List.of(a, b.t()), 0), new int[] {3, 2}, 1, 2, 3, 4, 5, 6);
        assertValues("cat with an empty input", CatSplit.cat(List.of(a, Tensor.zeros(0, 2)), 0), new int[] {2, 2}, 1, 2, 3, 4);
    }

    @Test
    void stackAddsADimension() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 3), b = Tensor.of(new float[] {4, 5, 6}, 3);
        assertValues("stack dim 0", CatSplit.stack(List.of(a, b), 0), new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        assertValues("stack dim 1", CatSplit.stack(List.of(a, b), 1), new int[] {3, 2}, 1, 4, 2, 5, 3, 6);
        assertValues("stack dim -1", CatSplit.stack(List.of(a, b), -1), new int[] {3, 2}, 1, 4, 2, 5, 3, 6);
        assertValues("stack of scalars", CatSplit.stack(List.of(Tensor.scalar(7), Tensor.scalar(8)), 0), new int[] {2}, 7, 8);
    }

    @Test
    void splitAndChunkCutLikePyTorchAndShareMemory() {
        Tensor x = Tensor.arange(5).reshape(5, 1);
        assertThat(sizes(CatSplit.split(x, 2, 0), 0)).containsExactly(2, 2, 1);
        assertThat(sizes(CatSplit.split(x, 5, 0), 0)).containsExactly(5);
        assertThat(sizes(CatSplit.split(x, 7, 0), 0)).containsExactly(5);
        assertThat(sizes(CatSplit.split(x, new int[] {1, 0, 4}, 0), 0)).containsExactly(1, 0, 4);
        assertThat(sizes(CatSplit.chunk(x, 3, 0), 0)).as("5 in 3 chunks").containsExactly(2, 2, 1);
        assertThat(sizes(CatSplit.chunk(Tensor.zeros(6, 1), 4, 0), 0)).as("6 in 4 chunks: only 3").containsExactly(2, 2, 2);
        assertThat(sizes(CatSplit.chunk(Tensor.zeros(0, 1), 2, 0), 0)).as("nothing in 2 chunks").containsExactly(0, 0);
        assertThat(sizes(CatSplit.split(Tensor.zeros(0, 1), 2, 0), 0)).containsExactly(0);
        List<Tensor> cols = CatSplit.split(m34(), new int[] {1, 3}, 1);
        assertValues("second piece", cols.get(1), new int[] {3, 3}, 1, 2, 3, 5, 6, 7, 9, 10, 11);
        assertThat(cols.get(1).buffer()).as("a view, as PyTorch's split").isSameAs(cols.get(0).buffer());
    }

    @Test
    void catOfTheSplitGivesBackTheTensor() {
        Tensor x = randn(1, 4, 7);
        assertThat(CatSplit.cat(CatSplit.chunk(x, 3, 1), 1).toFloatArray()).isEqualTo(x.toFloatArray());
        assertThat(CatSplit.cat(CatSplit.split(x, 3, 0), 0).toFloatArray()).isEqualTo(x.toFloatArray());
    }

    // ---- gradient checks ----------------------------------------------------------------------------

    @Test
    void catAndStackBackwardMatchesCentralDifference() {
        assertGradientsMatch("cat dim 1 of three", xs -> CatSplit.cat(List.of(xs[0], xs[1], xs[2]), 1),
                randn(2, 2, 3), randn(3, 2, 1), randn(4, 2, 2));
        assertGradientsMatch("cat dim 0 of one input twice", xs -> CatSplit.cat(List.of(xs[0], xs[0].exp()), 0), randn(5, 2, 3));
        assertGradientsMatch("stack dim 1", xs -> CatSplit.stack(List.of(xs[0], xs[1]), 1).tanh(), randn(6, 3, 2), randn(7, 3, 2));
        Tensor frozen = randn(8, 2, 2).requiresGrad(false);
        assertGradientsMatch("cat with a constant input", xs -> CatSplit.cat(List.of(xs[1], xs[0]), 0), randn(9, 1, 2), frozen);
    }

    @Test
    void splitAndChunkBackwardMatchesCentralDifference() {
        // the pieces are used differently, so a gradient sent to the wrong piece is caught
        assertGradientsMatch("split 2 along dim 1, pieces combined", xs -> {
            List<Tensor> p = CatSplit.split(xs[0], 2, 1);
            return p.get(0).mul(p.get(1)).add(p.get(2).exp().expand(3, 2));
        }, randn(10, 3, 5));
        assertGradientsMatch("chunk 3 along dim 0, one piece unused", xs -> {
            List<Tensor> p = CatSplit.chunk(xs[0], 3, 0);
            return p.get(0).sigmoid().sub(p.get(2));
        }, randn(11, 6, 2));
    }

    @Test
    void valuesAndGradientsMatchPyTorch() {
        assertMatchesTorch(F, "cat1", 3, xs -> CatSplit.cat(List.of(xs[0], xs[1], xs[2]), 1));
        assertMatchesTorch(F, "cat0", 2, xs -> CatSplit.cat(List.of(xs[0], xs[1]), 0));
        assertMatchesTorch(F, "stack1", 3, xs -> CatSplit.stack(List.of(xs[0], xs[1], xs[2]), 1));
    }

    // ---- errors -----------------------------------------------------------------------------------------

    @Test
    void badShapesAreRefusedWithTheShapes() {
        assertThatThrownBy(() -> CatSplit.cat(List.of(m34(), Tensor.zeros(2, 3)), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cat").hasMessageContaining("tensor 1").hasMessageContaining("[2, 3]").hasMessageContaining("[3, 4]");
        assertThatThrownBy(() -> CatSplit.cat(List.of(m34(), Tensor.zeros(4)), 0)).hasMessageContaining("[4]");
        assertThatThrownBy(() -> CatSplit.cat(List.of(), 0)).hasMessageContaining("at least one");
        assertThatThrownBy(() -> CatSplit.cat(List.of(m34()), 2)).hasMessageContaining("cat").hasMessageContaining("dimension 2");
        assertThatThrownBy(() -> CatSplit.stack(List.of(m34(), m34().t()), 0))
                .hasMessageContaining("stack").hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> CatSplit.stack(List.of(m34()), 3)).hasMessageContaining("stack").hasMessageContaining("dimension 3");
        assertThatThrownBy(() -> CatSplit.split(m34(), 0, 1)).hasMessageContaining("split").hasMessageContaining("size 0");
        assertThatThrownBy(() -> CatSplit.split(m34(), new int[] {1, 2}, 1))
                .hasMessageContaining("add up to 3").hasMessageContaining("size 4");
        assertThatThrownBy(() -> CatSplit.chunk(m34(), 0, 1)).hasMessageContaining("chunk");
    }
}
