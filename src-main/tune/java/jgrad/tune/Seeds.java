package jgrad.tune;

/** Seeds derived from (study seed, trial number): SplitMix64's finaliser, so nearby numbers give unrelated seeds. */
public final class Seeds {
    private Seeds() {}

    public static long mix(long studySeed, long number) {
        long z = studySeed + 0x9E3779B97F4A7C15L * (number + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
