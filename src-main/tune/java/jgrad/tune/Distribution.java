package jgrad.tune;

import java.util.List;
import java.util.Locale;

/**
 * What values one parameter may take: a float range (uniform, or log-uniform when {@code log}),
 * an integer range, or a choice among strings. Each checks itself when built, with a one-line
 * error naming the problem (the parameter's name is added by the caller).
 */
public sealed interface Distribution {
    /** Whether {@code v} (Double, Long or String) is a value of this distribution. */
    boolean contains(Object v);

    /** A canonical text of this distribution (part of a study's search-space hash). */
    String describe();

    /** Uniform on [low, high], or log-uniform (uniform in ln x) when {@code log}; {@code gridPoints} values for the grid sampler. */
    record FloatRange(double low, double high, boolean log, int gridPoints) implements Distribution {
        public FloatRange {
            if (!Double.isFinite(low) || !Double.isFinite(high)) throw new IllegalArgumentException("low and high must be finite numbers");
            if (low > high) throw new IllegalArgumentException("low " + low + " > high " + high);
            if (log && low <= 0) throw new IllegalArgumentException("log scale needs low > 0, got " + low);
            if (gridPoints < 1) throw new IllegalArgumentException("grid points must be ≥ 1, got " + gridPoints);
        }

        @Override public boolean contains(Object v) {
            return v instanceof Double d && d >= low && d <= high;
        }

        @Override public String describe() {
            return String.format(Locale.ROOT, "float[%s,%s%s]", low, high, log ? ",log" : "");
        }
    }

    /** Integers low..high inclusive (log-uniform in ln x when {@code log}). */
    record IntRange(long low, long high, boolean log) implements Distribution {
        public IntRange {
            if (low > high) throw new IllegalArgumentException("low " + low + " > high " + high);
            if (log && low <= 0) throw new IllegalArgumentException("log scale needs low > 0, got " + low);
        }

        @Override public boolean contains(Object v) {
            return v instanceof Long l && l >= low && l <= high;
        }

        @Override public String describe() {
            return "int[" + low + "," + high + (log ? ",log" : "") + "]";
        }
    }

    /** One of the given strings (numbers written as strings: "32", "64"). */
    record Choice(List<String> choices) implements Distribution {
        public Choice {
            if (choices.isEmpty()) throw new IllegalArgumentException("choices must not be empty");
            if (choices.stream().distinct().count() != choices.size()) throw new IllegalArgumentException("choices repeat a value: " + choices);
            choices = List.copyOf(choices);
        }

        @Override public boolean contains(Object v) {
            return v instanceof String s && choices.contains(s);
        }

        @Override public String describe() {
            return "choice" + choices;
        }
    }
}
