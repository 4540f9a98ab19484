package jgrad.ops;

import static jgrad.ops.ElementwiseTest.assertGradientsMatch;
import static jgrad.ops.ElementwiseTest.assertValues;
import static jgrad.ops.ElementwiseTest.randn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.Function;
import jgrad.TorchFixture;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * indexSelect, gather, embedding: by hand (repeated indices summed), by central differences, against
 * PyTorch, and their errors.
 */
class IndexingTest {
    static final TorchFixture F = TorchFixture.load("indexing_fixture.txt");

    static Tensor idx(float... v) {
        return Tensor.of(v, v.length);
    }

    /** [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]] */
    private static Tensor m34() {
        return Tensor.arange(12).reshape(3, 4);
    }

    // ---- by hand ----------------------------------------------------------------------------------

    @Test
    void indexSelectPicksRowsAndColumnsInIndexOrder() {
        assertValues("rows 2, 0, 2", Indexing.indexSelect(m34(), 0, idx(2, 0, 2)), new int[] {3, 4},
                8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11);
        assertValues("columns 3, 1 (dim -1)", Indexing.indexSelect(m34(), -1, idx(3, 1)), new int[] {3, 2},
                3, 1, 7, 5, 11, 9);
        assertValues("a scalar index keeps the dimension, size 1", Indexing.indexSelect(m34(), 0, Tensor.scalar(1)),
                new int[] {1, 4}, 4, 5, 6, 7);
        assertValues("of a transposed view", Indexing.indexSelect(m34().t(), 0, idx(1)), new int[] {1, 3}, 1, 5, 9);
        assertValues("no indices", Indexing.indexSelect(m34(), 1, idx()), new int[] {3, 0});
    }

    @Test
    void repeatedIndicesAccumulateTheirGradients() {
        // y = rows 2, 0, 2 of x: row 2 is used twice, so dX row 2 = dY row 0 + dY row 2
        Tensor x = m34().requiresGrad(true);
        Tensor dY = Tensor.of(new float[] {1, 2, 3, 4, 10, 20, 30, 40, 100, 200, 300, 400}, 3, 4);
        Indexing.indexSelect(x, 0, idx(2, 0, 2)).backward(dY);
        assertThat(x.grad().toFloatArray()).as("dX for rows 2, 0, 2 with dY = %s", dY)
                .containsExactly(10, 20, 30, 40, 0, 0, 0, 0, 101, 202, 303, 404);
        // the same for gather: row 0 picks column 1 three times
        Tensor g = m34().requiresGrad(true);
        Tensor picked = Indexing.gather(g, 1, Tensor.of(new float[] {1, 1, 1, 0, 3, 0, 2, 2, 2}, 3, 3));
        assertThat(picked.toFloatArray()).containsExactly(1, 1, 1, 4, 7, 4, 10, 10, 10);
        picked.backward(Tensor.of(new float[] {1, 2, 4, 8, 16, 32, 64, 128, 256}, 3, 3));
        assertThat(g.grad().toFloatArray()).as("gather dX with repeated columns")
                .containsExactly(0, 7, 0, 0, 8 + 32, 0, 0, 16, 0, 0, 64 + 128 + 256, 0);
    }

    @Test
    void gatherFollowsTorchGatherAlongEachDimension() {
        // dim 0: y[k][j] = x[idx[k][j]][j], with the index narrower than x (columns 2, 3 untouched)
        Tensor x = m34().requiresGrad(true);
        Tensor y = Indexing.gather(x, 0, Tensor.of(new float[] {2, 0, 1, 1}, 2, 2));
        assertValues("gather dim 0", y, new int[] {2, 2}, 8, 1, 4, 5);
        y.backward(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        assertThat(x.grad().toFloatArray()).containsExactly(0, 2, 0, 0, 3, 4, 0, 0, 1, 0, 0, 0);
        assertValues("gather dim -1 of a 3-D tensor", Indexing.gather(Tensor.arange(8).reshape(2, 2, 2), -1,
                Tensor.of(new float[] {1, 0, 0, 0, 1, 1, 0, 1}, 2, 2, 2)), new int[] {2, 2, 2}, 1, 0, 2, 2, 5, 5, 6, 7);
    }

    // ---- gradient checks ----------------------------------------------------------------------------

    @Test
    void indexSelectBackwardMatchesCentralDifference() {
        assertGradientsMatch("indexSelect dim 0, repeated", xs -> Indexing.indexSelect(xs[0], 0, idx(4, 1, 4, 4, 0)), randn(1, 5, 3));
        assertGradientsMatch("indexSelect dim 1 of 3-D", xs -> Indexing.indexSelect(xs[0], 1, idx(2, 2, 0)), randn(2, 2, 3, 4));
        assertGradientsMatch("indexSelect dim 2 of a permuted view", xs -> Indexing.indexSelect(xs[0].permute(2, 0, 1), 2, idx(1, 1)),
                randn(3, 2, 3, 4));
        assertGradientsMatch("indexSelect then tanh", xs -> Indexing.indexSelect(xs[0], -1, idx(0, 2, 0)).tanh(), randn(4, 3, 3));
    }

    @Test
    void gatherBackwardMatchesCentralDifference() {
        Tensor i1 = Tensor.of(new float[] {0, 0, 3, 1, 2, 1, 3, 3, 3}, 3, 3);
        assertGradientsMatch("gather dim 1, index narrower", xs -> Indexing.gather(xs[0], 1, i1), randn(5, 3, 4));
        Tensor i0 = Tensor.of(new float[] {2, 0, 1, 1, 0, 0}, 3, 2);
        assertGradientsMatch("gather dim 0, index narrower in dim 1", xs -> Indexing.gather(xs[0], 0, i0), randn(6, 3, 4));
        Tensor i3 = Tensor.of(new float[] {1, 0, 1, 1, 0, 0, 1, 0}, 2, 2, 2);
        assertGradientsMatch("gather dim 1 of a transposed 3-D view", xs -> Indexing.gather(xs[0].transpose(0, 2), 1, i3),
                randn(7, 2, 2, 2));
    }

    @Test
    void embeddingBackwardMatchesCentralDifference() {
        Tensor tokens = Tensor.of(new float[] {1, 4, 1, 0, 1, 2}, 2, 3);
        assertGradientsMatch("embedding", xs -> Indexing.embedding(tokens, xs[0], null).sigmoid(), randn(8, 5, 3));
        // the padding row's gradient is zero on purpose (not its derivative): here it is a row no token
        // uses, so the check sees that zeroing it leaves the other rows alone; the fixture checks the zero
        assertGradientsMatch("embedding with padding row 3", xs -> Indexing.embedding(tokens, xs[0], 3), randn(9, 5, 3));
    }

    // ---- PyTorch --------------------------------------------------------------------------------------

    /** Runs {@code op} on the fixture's inputs and compares y and every input gradient with PyTorch's. */
    static void assertMatchesTorch(TorchFixture f, String key, int inputs, Function<Tensor[], Tensor> op) {
        Tensor[] xs = new Tensor[inputs];
        for (int i = 0; i < inputs; i++) xs[i] = f.tensor(key + ".in" + i).requiresGrad(true);
        Tensor y = op.apply(xs);
        f.assertMatches(key + ".y", y);
        y.backward(f.tensor(key + ".dy"));
        for (int i = 0; i < inputs; i++) f.assertMatches(key + ".d" + i, xs[i].grad(), 1e-5, 1e-6);
    }

    @Test
    void valuesAndGradientsMatchPyTorch() {
        assertMatchesTorch(F, "isel1", 1, xs -> Indexing.indexSelect(xs[0], 1, F.tensor("isel1.index")));
        assertMatchesTorch(F, "isel0", 1, xs -> Indexing.indexSelect(xs[0], 0, F.tensor("isel0.index")));
        assertMatchesTorch(F, "gather1", 1, xs -> Indexing.gather(xs[0], 1, F.tensor("gather1.index")));
        assertMatchesTorch(F, "gather0", 1, xs -> Indexing.gather(xs[0], 0, F.tensor("gather0.index")));
        assertMatchesTorch(F, "emb", 1, xs -> Indexing.embedding(F.tensor("emb.indices"), xs[0], null));
        assertMatchesTorch(F, "emb.pad", 1, xs -> Indexing.embedding(F.tensor("emb.indices"), xs[0], 1));
    }

    // ---- errors ----------------------------------------------------------------------------------------

    @Test
    void badIndicesAreRefusedWithOpShapeAndPosition() {
        assertThatThrownBy(() -> Indexing.indexSelect(m34(), 0, idx(0, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("indexSelect").hasMessageContaining("index 3.0 at [1] of indices of shape [2]")
                .hasMessageContaining("out of range").hasMessageContaining("size 3").hasMessageContaining("[3, 4]");
        assertThatThrownBy(() -> Indexing.indexSelect(m34(), 1, idx(-1)))
                .hasMessageContaining("index -1.0 at [0]").hasMessageContaining("out of range");
        assertThatThrownBy(() -> Indexing.gather(m34(), 1, Tensor.of(new float[] {0, 1.5f}, 1, 2)))
                .hasMessageContaining("gather").hasMessageContaining("1.5 at [0, 1] of indices of shape [1, 2]").hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> Indexing.gather(m34(), 1, Tensor.of(new float[] {Float.NaN}, 1, 1)))
                .hasMessageContaining("NaN").hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> Indexing.embedding(idx(2, 0), Tensor.zeros(2, 3), null))
                .hasMessageContaining("embedding").hasMessageContaining("index 2.0 at [0]");
    }

    @Test
    void indicesFrom2To24AreRefusedBecauseFloat32CannotHoldThemAll() {
        // 2²⁴ + 1 is not a float32: it rounds to 2²⁴, another row. So 2²⁴ and up are refused even in range.
        assertThat((float) (Indexing.MAX_INDEX + 1)).isEqualTo((float) Indexing.MAX_INDEX);
        Tensor big = Tensor.zeros(Indexing.MAX_INDEX + 2, 0);  // no elements, rows enough
        assertThatThrownBy(() -> Indexing.indexSelect(big, 0, idx(Indexing.MAX_INDEX)))
                .hasMessageContaining("2^24").hasMessageContaining("16777216");
        assertThat(Indexing.indexSelect(big, 0, idx(Indexing.MAX_INDEX - 1)).shape()).containsExactly(1, 0);
    }

    @Test
    void badShapesAreRefusedWithTheShapes() {
        assertThatThrownBy(() -> Indexing.indexSelect(m34(), 0, Tensor.zeros(1, 2)))
                .hasMessageContaining("indexSelect").hasMessageContaining("1-D").hasMessageContaining("[1, 2]");
        assertThatThrownBy(() -> Indexing.indexSelect(m34(), 2, idx(0))).hasMessageContaining("dimension 2");
        assertThatThrownBy(() -> Indexing.gather(m34(), 1, idx(0)))
                .hasMessageContaining("gather").hasMessageContaining("rank").hasMessageContaining("[1]").hasMessageContaining("[3, 4]");
        assertThatThrownBy(() -> Indexing.gather(m34(), 1, Tensor.zeros(4, 1)))
                .hasMessageContaining("gather").hasMessageContaining("[4, 1]").hasMessageContaining("dimension 0");
        assertThatThrownBy(() -> Indexing.embedding(idx(0), Tensor.zeros(3), null)).hasMessageContaining("embedding");
        assertThatThrownBy(() -> Indexing.embedding(idx(0), Tensor.zeros(3, 2), 3)).hasMessageContaining("paddingIdx 3");
    }

    @Test
    void theIndexGetsNoGradientAndXNeedsNone() {
        Tensor x = m34();  // does not require grad
        Tensor index = idx(1, 0).requiresGrad(true);
        Tensor y = Indexing.indexSelect(x, 0, index);
        assertThat(y.requiresGrad()).as("only x can make the output differentiable").isFalse();
        assertThat(y.toFloatArray()[0]).isCloseTo(4f, within(0f));
    }
}
