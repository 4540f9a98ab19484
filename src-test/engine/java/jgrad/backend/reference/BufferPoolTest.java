package jgrad.backend.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@link BufferPool}: arrays given back are handed out again by length, and what it keeps is let go
 * before a new array fails for want of heap.
 */
class BufferPoolTest {
    @Test
    void givenBackArraysAreTakenAgainByLength() {
        BufferPool pool = new BufferPool();
        float[] a = pool.take(4096);
        pool.give(a);
        assertThat(pool.counts()[2]).as("kept").isEqualTo(4096);
        assertThat(pool.take(2048)).as("another length: new").isNotSameAs(a).hasSize(2048);
        assertThat(pool.take(4096)).as("the same length: the array given back").isSameAs(a);
        assertThat(pool.counts()[2]).isZero();
    }

    @Test
    void whatItKeepsIsLetGoBeforeANewArrayFailsForWantOfHeap() {
        BufferPool pool = new BufferPool();
        pool.give(new float[4096]);
        pool.give(new float[8192]);
        assertThat(pool.counts()[2]).isEqualTo(4096 + 8192);
        // more floats than any test heap holds: fails even after the pool let its arrays go
        int tooMany = Integer.MAX_VALUE - 64;
        assertThat(4L * tooMany).isGreaterThan(Runtime.getRuntime().maxMemory());
        assertThatThrownBy(() -> pool.take(tooMany)).isInstanceOf(OutOfMemoryError.class);
        assertThat(pool.counts()[2]).as("kept after the failed take").isZero();
        assertThat(pool.take(4096)).as("new: the kept one was let go").isNotNull();
        assertThat(pool.counts()[0]).as("reused").isZero();
    }
}
