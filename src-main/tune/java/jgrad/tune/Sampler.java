package jgrad.tune;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chooses a trial's configuration. It sees only {@link Context#history()}: the finished trials
 * numbered at least the study's lag below this one, the same set whatever the concurrency, and
 * draws only from {@link Context#rng()}, seeded from (study seed, trial number): so a study gives
 * the same trials with 1 or 8 workers.
 */
public interface Sampler {
    /** What a sampler may look at for trial {@code number}. */
    record Context(int number, long studySeed, List<FrozenTrial> history, Direction direction, SplittableRandom rng) {}

    /** A configuration of {@code space} (each active parameter valued), or null when this sampler has none left (a finished grid). */
    Map<String, Object> sample(SearchSpace space, Context context);

    /** "random", "grid" or "tpe": what a study records and the CLI accepts. */
    String name();

    /** The sampler called {@code name}, or a one-line error. */
    static Sampler of(String name) {
        return switch (name) {
            case "random" -> new RandomSampler();
            case "grid" -> new GridSampler();
            case "tpe" -> new TpeSampler();
            default -> throw new IllegalArgumentException("sampler must be tpe, random or grid, got '" + name + "'");
        };
    }
}
