package jgrad.backend.simd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void everyPartRunsExactlyOnce() {
        for (int parts : new int[] {1, 2, 3, 7}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            for (int repeat = 0; repeat < 200; repeat++) Parallel.run(parts, runs::incrementAndGet);
            for (int i = 0; i < parts; i++) assertThat(runs.get(i)).as("part %d of %d", i, parts).isEqualTo(200);
        }
    }

    @Test
    void aFailureInAnyPartReachesTheCaller() {
        assertThatThrownBy(() -> Parallel.run(2, part -> {
            if (part == 1) throw new IllegalArgumentException("part one failed");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("part one failed");
        // and the pool still works afterwards
        AtomicIntegerArray runs = new AtomicIntegerArray(2);
        Parallel.run(2, runs::incrementAndGet);
        assertThat(runs.get(0) + runs.get(1)).isEqualTo(2);
    }

    @Test
    void nestedCallsRunInlineAndDoNotSplit() {
        AtomicIntegerArray inner = new AtomicIntegerArray(2);
        Parallel.run(2, outer -> {
            assertThat(Parallel.partsFor(Long.MAX_VALUE, 8)).isEqualTo(1);
            Parallel.run(1, inner::incrementAndGet);
        });
        assertThat(inner.get(0)).isEqualTo(2);
    }
}
