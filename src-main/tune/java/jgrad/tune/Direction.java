package jgrad.tune;

/** Whether a study looks for the largest or the smallest objective value. */
public enum Direction {
    MAXIMIZE, MINIMIZE;

    /** True when {@code a} is strictly better than {@code b}. */
    public boolean better(double a, double b) {
        return this == MAXIMIZE ? a > b : a < b;
    }

    /** A value sorted by ascending key is best first. */
    public double sortKey(double v) {
        return this == MAXIMIZE ? -v : v;
    }

    /** "maximize" or "minimize" to this direction, or a one-line error. */
    public static Direction parse(String s) {
        return switch (s) {
            case "maximize" -> MAXIMIZE;
            case "minimize" -> MINIMIZE;
            default -> throw new IllegalArgumentException("direction must be maximize or minimize, got '" + s + "'");
        };
    }
}
