package jgrad.tune;

import java.util.Map;
import java.util.SplittableRandom;

/** Each parameter independently: uniform (in ln x for a log scale), integers uniform, choices uniform. */
public final class RandomSampler implements Sampler {
    @Override
    public Map<String, Object> sample(SearchSpace space, Context context) {
        return space.sample(p -> draw(p.distribution(), context.rng()));
    }

    @Override
    public String name() {
        return "random";
    }

    /** One value of {@code d}: Double, Long or String. */
    public static Object draw(Distribution d, SplittableRandom rng) {
        return switch (d) {
            case Distribution.FloatRange f -> f.log()
                    ? Math.min(f.high(), Math.max(f.low(), Math.exp(Math.log(f.low()) + rng.nextDouble() * (Math.log(f.high()) - Math.log(f.low())))))
                    : f.low() + rng.nextDouble() * (f.high() - f.low());
            case Distribution.IntRange i -> i.log()
                    // uniform in ln x over [low − ½, high + ½), rounded: each integer gets the share of ln x it covers
                    ? Math.min(i.high(), Math.max(i.low(), Math.round(Math.exp(Math.log(i.low() - 0.5) + rng.nextDouble() * (Math.log(i.high() + 0.5) - Math.log(i.low() - 0.5))))))
                    : i.low() + rng.nextLong(i.high() - i.low() + 1);
            case Distribution.Choice c -> c.choices().get(rng.nextInt(c.choices().size()));
        };
    }
}
