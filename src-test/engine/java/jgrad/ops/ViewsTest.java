package jgrad.ops;

import static jgrad.ops.ElementwiseTest.assertGradientsMatch;
import static jgrad.ops.ElementwiseTest.assertValues;
import static jgrad.ops.ElementwiseTest.randn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jgrad.autograd.NoGrad;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Views rearrange elements: forward against hand layouts, backward against central differences. */
class ViewsTest {

    /** [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]] */
    private static Tensor m34() {
        return Tensor.arange(12).reshape(3, 4);
    }

    // ---- gradient checks ------------------------------------------------------------------------
    // Each op is followed by a position-dependent function (the checker weights every output
    // element differently), so a gradient sent back to the wrong element is caught.

    @Test
    void reshapeAndViewBackwardMatchesCentralDifference() {
        assertGradientsMatch("reshape(4,3)", xs -> xs[0].reshape(4, 3), randn(1, 3, 4));
        assertGradientsMatch("reshape(-1)", xs -> xs[0].reshape(-1), randn(2, 3, 4));
        assertGradientsMatch("view(2,2,3)", xs -> xs[0].view(2, 2, 3), randn(3, 3, 4));
        assertGradientsMatch("reshape of a transposed view (copies)", xs -> xs[0].t().reshape(12), randn(4, 3, 4));
    }

    @Test
    void permuteAndTransposeBackwardMatchesCentralDifference() {
        assertGradientsMatch("permute(2,0,1)", xs -> xs[0].permute(2, 0, 1), randn(5, 2, 3, 4));
        assertGradientsMatch("transpose(0,2)", xs -> xs[0].transpose(0, 2), randn(6, 2, 3, 4));
        assertGradientsMatch("transpose(-1,-2)", xs -> xs[0].transpose(-1, -2), randn(7, 2, 3, 4));
        assertGradientsMatch("t()", xs -> xs[0].t(), randn(8, 3, 4));
        assertGradientsMatch("t().exp()", xs -> xs[0].t().exp(), randn(9, 3, 4));
    }

    @Test
    void expandBackwardSumsOverTheCopies() {
        assertGradientsMatch("expand [3,1] → [3,4]", xs -> xs[0].expand(3, 4), randn(10, 3, 1));
        assertGradientsMatch("expand [4] → [2,3,4]", xs -> xs[0].expand(2, 3, 4), randn(11, 4));
        assertGradientsMatch("expand [1,4] → (3, -1)", xs -> xs[0].expand(3, -1), randn(12, 1, 4));
    }

    @Test
    void sliceBackwardMatchesCentralDifference() {
        assertGradientsMatch("slice(1, 0, 4, 2)", xs -> xs[0].slice(1, 0, 4, 2), randn(13, 3, 4));
        assertGradientsMatch("slice(0, 1, 3)", xs -> xs[0].slice(0, 1, 3), randn(14, 3, 4));
        assertGradientsMatch("slice(-1, -3, -1)", xs -> xs[0].slice(-1, -3, -1), randn(15, 3, 4));
        assertGradientsMatch("slice of a slice", xs -> xs[0].slice(0, 1, 5, 2).slice(1, 1, 4, 2), randn(16, 5, 5));
        assertGradientsMatch("two slices of one input added", xs -> xs[0].slice(1, 0, 2).add(xs[0].slice(1, 2, 4)), randn(17, 3, 4));
    }

    @Test
    void unsqueezeSqueezeAndContiguousBackwardMatchesCentralDifference() {
        assertGradientsMatch("unsqueeze(0)", xs -> xs[0].unsqueeze(0), randn(18, 3, 4));
        assertGradientsMatch("unsqueeze(-1)", xs -> xs[0].unsqueeze(-1), randn(19, 3, 4));
        assertGradientsMatch("squeeze(1)", xs -> xs[0].squeeze(1), randn(20, 3, 1, 4));
        assertGradientsMatch("unsqueeze of a transposed view", xs -> xs[0].t().unsqueeze(1), randn(21, 3, 4));
        assertGradientsMatch("contiguous() of a transposed view", xs -> xs[0].t().contiguous(), randn(22, 3, 4));
        assertGradientsMatch("contiguous() of a step-2 slice", xs -> xs[0].slice(0, 0, 4, 2).contiguous(), randn(23, 4, 3));
    }

    @Test
    void chainOfViewsBackwardMatchesCentralDifference() {
        assertGradientsMatch("permute → slice → reshape → expand",
                xs -> xs[0].permute(1, 0, 2).slice(0, 0, 3, 2).reshape(2, 8).unsqueeze(0).expand(3, 2, 8).sigmoid(),
                randn(24, 2, 3, 4));
    }

    // ---- forward values ---------------------------------------------------------------------

    @Test
    void transposeSwapsIndicesWithoutCopying() {
        Tensor x = m34();
        Tensor t = x.t();
        assertValues("t()", t, new int[] {4, 3}, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertThat(t.buffer()).as("t() shares the buffer").isSameAs(x.buffer());
        assertThat(t.layout().strides()).containsExactly(1, 4);
    }

    @Test
    void permuteReordersDimensions() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 4);  // x[i][j][k] = 12i + 4j + k
        Tensor p = x.permute(2, 0, 1);                  // p[k][i][j] = x[i][j][k]
        assertThat(p.shape()).containsExactly(4, 2, 3);
        float[] v = p.toFloatArray();
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    assertThat(v[k * 6 + i * 3 + j]).as("p[%d][%d][%d]", k, i, j).isEqualTo(12f * i + 4 * j + k);
                }
            }
        }
        assertThatThrownBy(() -> x.permute(0, 0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeated");
    }

    @Test
    void sliceWithStepPicksEveryOtherElement() {
        assertValues("columns 0 and 2", m34().slice(1, 0, 4, 2), new int[] {3, 2}, 0, 2, 4, 6, 8, 10);
        assertValues("columns 1 and 3", m34().slice(1, 1, 4, 2), new int[] {3, 2}, 1, 3, 5, 7, 9, 11);
        assertValues("rows 1..2", m34().slice(0, 1, 3), new int[] {2, 4}, 4, 5, 6, 7, 8, 9, 10, 11);
        assertValues("negative bounds: columns -3..-1", m34().slice(-1, -3, -1), new int[] {3, 2}, 1, 2, 5, 6, 9, 10);
        assertValues("end past the size is clamped", m34().slice(0, 2, 99), new int[] {1, 4}, 8, 9, 10, 11);
        assertValues("empty slice", m34().slice(0, 2, 1), new int[] {0, 4});
    }

    @Test
    void expandRepeatsWithStrideZero() {
        Tensor col = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        Tensor e = col.expand(3, 2);
        assertValues("expand(3,2)", e, new int[] {3, 2}, 1, 1, 2, 2, 3, 3);
        assertThat(e.layout().strides()).containsExactly(1, 0);
        assertValues("expand(2,-1,2) adds a leading dim", col.expand(2, -1, 2), new int[] {2, 3, 2},
                1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3);
        assertThatThrownBy(() -> Tensor.ones(3, 2).expand(3, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3, 2]").hasMessageContaining("[3, 4]");
    }

    @Test
    void reshapeKeepsRowMajorOrderAndInfersMinusOne() {
        assertValues("reshape(2,-1)", m34().reshape(2, -1), new int[] {2, 6}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        // reshaping a transposed view copies it in its logical order
        assertValues("t().reshape(12)", m34().t().reshape(12), new int[] {12}, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertThatThrownBy(() -> m34().reshape(5, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> m34().reshape(5, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[5, 2]");
    }

    @Test
    void viewOfANonContiguousTensorIsRefused() {
        assertThatThrownBy(() -> m34().t().view(12)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("non-contiguous");
    }

    @Test
    void unsqueezeAndSqueezeAddAndRemoveSizeOneDims() {
        Tensor x = m34();
        assertThat(x.unsqueeze(0).shape()).containsExactly(1, 3, 4);
        assertThat(x.unsqueeze(1).shape()).containsExactly(3, 1, 4);
        assertThat(x.unsqueeze(-1).shape()).containsExactly(3, 4, 1);
        assertValues("t().unsqueeze(1) keeps the transposed order", x.t().unsqueeze(1), new int[] {4, 1, 3},
                0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertValues("squeeze(1)", x.unsqueeze(1).squeeze(1), new int[] {3, 4}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThatThrownBy(() -> x.squeeze(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size 3");
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        Tensor x = m34();
        assertThat(x.contiguous()).as("already contiguous").isSameAs(x);
        Tensor c = x.t().contiguous();
        assertThat(c.isContiguous()).isTrue();
        assertValues("t().contiguous()", c, new int[] {4, 3}, 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
    }

    @Test
    void viewsShareMemoryWithTheirBase() {
        Tensor x = m34();
        Tensor row1 = x.slice(0, 1, 2).squeeze(0);
        try (NoGrad scope = NoGrad.enter()) {
            row1.fillInPlace(-1f);
        }
        assertValues("base after writing through a slice", x, new int[] {3, 4}, 0, 1, 2, 3, -1, -1, -1, -1, 8, 9, 10, 11);
    }
}
