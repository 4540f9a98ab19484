package jgrad.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Seeded randomness: reproducible, and within the promised ranges. */
class GeneratorTest {

    /** The first double drawn from this seed is within 2⁻²⁵ of 1, so a plain cast to float gives 1f. */
    private static final long SEED_WHOSE_FIRST_DOUBLE_ROUNDS_TO_ONE = 63_433_462L;

    @Test
    void nextFloatStaysBelowOneEvenWhenTheDoubleRoundsUp() {
        float u = new Generator(SEED_WHOSE_FIRST_DOUBLE_ROUNDS_TO_ONE).nextFloat();
        assertThat(u).as("first nextFloat() of seed %d", SEED_WHOSE_FIRST_DOUBLE_ROUNDS_TO_ONE).isLessThan(1f).isGreaterThan(0.9999f);
        assertThat(Tensor.rand(new Generator(SEED_WHOSE_FIRST_DOUBLE_ROUNDS_TO_ONE), 1).item()).as("Tensor.rand is in [0, 1)").isLessThan(1f);
        assertThat(new Generator(SEED_WHOSE_FIRST_DOUBLE_ROUNDS_TO_ONE).uniform(-1f, 1f)).as("uniform(-1, 1)").isLessThan(1f);
    }

    @Test
    void sameSeedGivesTheSameSequence() {
        Generator a = new Generator(9), b = new Generator(9);
        for (int i = 0; i < 100; i++) {
            assertThat(new float[] {a.nextFloat(), a.nextGaussian(), a.uniform(2, 3)})
                    .as("draw %d", i).containsExactly(b.nextFloat(), b.nextGaussian(), b.uniform(2, 3));
        }
        assertThat(a.nextLong()).isEqualTo(b.nextLong());
    }

    @Test
    void manualSeedRestartsTheGlobalGenerator() {
        Generator.manualSeed(11);
        float first = Generator.global().nextFloat();
        Generator.manualSeed(11);
        assertThat(Generator.global().nextFloat()).isEqualTo(first);
    }

    @Test
    void uniformAndNextIntStayInRange() {
        Generator g = new Generator(12);
        for (int i = 0; i < 10_000; i++) {
            assertThat(g.uniform(-0.5f, 0.25f)).isGreaterThanOrEqualTo(-0.5f).isLessThan(0.25f);
            assertThat(g.nextInt(7)).isBetween(0, 6);
        }
    }

    @Test
    void permutationHoldsEveryIndexOnce() {
        int[] p = new Generator(13).permutation(50);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertThat(sorted[i]).isEqualTo(i);
        assertThat(p).as("shuffled").isNotEqualTo(sorted);
        assertThat(new Generator(13).permutation(50)).containsExactly(p);
    }
}
