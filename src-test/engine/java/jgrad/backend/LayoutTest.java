package jgrad.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Layout: where element (i₀, i₁, …) lives in a buffer. */
class LayoutTest {

    @Test
    void contiguousLayoutIsRowMajor() {
        Layout l = Layout.contiguous(2, 3, 4);
        assertThat(l.strides()).containsExactly(12, 4, 1);
        assertThat(l.size()).isEqualTo(24);
        assertThat(l.rank()).isEqualTo(3);
        assertThat(l.isContiguous()).isTrue();
        for (int i = 0; i < 24; i++) assertThat(l.indexOf(i)).as("indexOf(%d)", i).isEqualTo(i);
        assertThat(l.extent()).isEqualTo(24);
    }

    @Test
    void indexOfFollowsStridesAndOffset() {
        // the transpose of a [2,3] matrix stored from offset 5: element (r, c) of the [3,2] view is at 5 + r + 3c
        Layout t = new Layout(new int[] {3, 2}, new int[] {1, 3}, 5);
        int[] expected = {5, 8, 6, 9, 7, 10};  // (0,0) (0,1) (1,0) (1,1) (2,0) (2,1)
        for (int i = 0; i < 6; i++) assertThat(t.indexOf(i)).as("indexOf(%d) of %s", i, t).isEqualTo(expected[i]);
        assertThat(t.extent()).isEqualTo(11);
        // a broadcast row: stride 0 repeats the same 3 elements
        Layout b = new Layout(new int[] {2, 3}, new int[] {0, 1}, 2);
        assertThat(new int[] {b.indexOf(0), b.indexOf(2), b.indexOf(3), b.indexOf(5)}).containsExactly(2, 4, 2, 4);
    }

    @Test
    void isContiguousOnlyForRowMajorOrder() {
        assertThat(new Layout(new int[] {3, 2}, new int[] {1, 3}, 0).isContiguous()).as("transposed").isFalse();
        assertThat(new Layout(new int[] {2, 3}, new int[] {0, 1}, 0).isContiguous()).as("broadcast").isFalse();
        assertThat(new Layout(new int[] {2, 2}, new int[] {4, 2}, 0).isContiguous()).as("step-2 slice").isFalse();
        assertThat(new Layout(new int[] {2, 4}, new int[] {4, 1}, 8).isContiguous()).as("rows of a matrix from an offset").isTrue();
        assertThat(new Layout(new int[] {1, 3}, new int[] {99, 1}, 0).isContiguous()).as("size-1 dims may have any stride").isTrue();
        assertThat(Layout.contiguous().isContiguous()).as("scalar").isTrue();
    }

    @Test
    void scalarAndEmptyLayouts() {
        Layout scalar = Layout.contiguous();
        assertThat(scalar.size()).isEqualTo(1);
        assertThat(scalar.indexOf(0)).isZero();
        assertThat(Layout.contiguous(3, 0).size()).isZero();
        assertThat(Layout.contiguous(3, 0).extent()).isZero();
    }

    @Test
    void rankMismatchAndOverflowAreErrors() {
        assertThatThrownBy(() -> new Layout(new int[] {2, 3}, new int[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank");
        assertThatThrownBy(() -> Layout.sizeOf(new int[] {1 << 16, 1 << 16}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2³¹");
    }

    @Test
    void equalLayoutsCompareByValue() {
        Layout a = new Layout(new int[] {2, 3}, new int[] {3, 1}, 0);
        assertThat(a).isEqualTo(Layout.contiguous(2, 3)).hasSameHashCodeAs(Layout.contiguous(2, 3));
        assertThat(a).isNotEqualTo(new Layout(new int[] {2, 3}, new int[] {3, 1}, 1));
    }
}
