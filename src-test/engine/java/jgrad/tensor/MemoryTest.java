package jgrad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Shapes are checked before memory is asked for (issue #17, group 5): errors name the shape, bytes and heap. */
class MemoryTest {

    @Test
    void negativeDimensionIsAnIllegalArgumentNamingTheShape() {
        assertThatThrownBy(() -> Tensor.zeros(-1, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Tensor.zeros: shape [-1, 5] has a negative dimension");
        assertThatThrownBy(() -> Tensor.randn(new Generator(1), 3, -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shape [3, -2]");
        // with a zero beside it the element count matched the empty data, and the shape was accepted
        assertThatThrownBy(() -> Tensor.of(new float[0], -1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Tensor.of: shape [-1, 0] has a negative dimension");
    }

    @Test
    void moreThanTwoToTheThirtyOneElementsIsRefused() {
        assertThatThrownBy(() -> Tensor.zeros(70000, 70000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[70000, 70000]")
                .hasMessage("Tensor.zeros: shape [70000, 70000] has more than 2³¹ elements");
        assertThatThrownBy(() -> Tensor.zeros(1 << 30, 1 << 30, 1 << 30, 1 << 30)).as("a product past 2⁶³")
                .hasMessageContaining("has more than 2³¹ elements");
    }

    @Test
    void aShapeLargerThanTheWholeHeapIsRefusedBeforeAllocating() {
        // the probe: Tensor.zeros(50000, 40000) on the CLI's 512 MB heap threw a bare OutOfMemoryError
        long heap512m = 512L << 20;
        assertThatThrownBy(() -> Memory.elements("Tensor.zeros", new int[] {50000, 40000}, heap512m))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Tensor.zeros: shape [50000, 40000] needs 8.0 GB (8000000000 bytes) (2000000000 float32 "
                        + "values), more than the whole Java heap (536.9 MB (536870912 bytes)); use a smaller shape, "
                        + "or a larger heap (-Xmx, JAVA_OPTS)");
        assertThat(Memory.elements("Tensor.zeros", new int[] {1000, 1000}, heap512m)).isEqualTo(1_000_000);
    }

    @Test
    void anOutOfMemoryIsWrappedWithTheSizeAndTheHeap() {
        var e = Memory.tooLarge("Tensor.zeros", new int[] {30000, 30000}, 900_000_000L, new OutOfMemoryError("Java heap space"));
        assertThat(e).isInstanceOf(IllegalStateException.class).hasCauseInstanceOf(OutOfMemoryError.class);
        assertThat(e.getMessage()).startsWith("Tensor.zeros: out of memory for shape [30000, 30000]: asked for 3.6 GB "
                + "(3600000000 bytes), the Java heap has about ").contains(" free of ");
    }

    @Test
    void ordinaryShapesStillWork() {
        assertThat(Tensor.zeros(2, 3).toFloatArray()).containsExactly(0f, 0f, 0f, 0f, 0f, 0f);
        assertThat(Tensor.zeros(0, 3).numel()).isZero();
    }
}
