package jgrad.backend.simd;

import static org.assertj.core.api.Assertions.assertThat;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The width the kernels use is the one asked for: {@code -Djgrad.simd.bits} when set (the engine's
 * pom reruns the contract suite at 512, 256 and 128 bits with it), else the machine's preferred
 * width. Without this a run meant for 128 bits could silently test the preferred width again.
 */
class SimdWidthTest {
    @Test
    void kernelsUseTheRequestedWidth() {
        String asked = System.getProperty("jgrad.simd.bits", "preferred");
        int expected = asked.equals("preferred") ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(asked);
        assertThat(Simd.BITS).as("-Djgrad.simd.bits=%s", asked).isEqualTo(expected);
        if (expected != 0) {
            assertThat(Simd.F.vectorBitSize()).as("species for %s bits", asked).isEqualTo(expected);
            assertThat(Simd.LANES).as("lanes for %s bits", asked).isEqualTo(expected / Float.SIZE);
        }
    }
}
