package jgrad.leaderboard;

import java.util.Arrays;

/**
 * A competition, Kaggle's way: the test set's true labels stay here, and a seeded split divides the
 * test set into a public part (scored and shown on every submission) and a private part (scored at
 * once, but shown only when the organiser closes the competition: the "shake-up" that punishes
 * fitting the public board).
 *
 * <p>Shapes: {@code labels[n]} in 0..classes−1; {@code isPublic[n]} true for the public part.
 *
 * @param keep        which submission of a participant the board shows: the best public score, or
 *                    the latest (the tutorial's "resubmit to overwrite")
 * @param dailyLimit  submissions per participant per UTC day; the next one is refused with 429
 */
public record Competition(long id, String name, String dataset, int classes, byte[] labels, boolean[] isPublic,
                          Keep keep, int dailyLimit, boolean closed) {
    public static final int MAX_NAME = 60;

    /** Best public score, or the latest submission. */
    public enum Keep {
        BEST, LATEST;

        public static Keep parse(String s) {
            return switch (s) {
                case "best" -> BEST;
                case "latest" -> LATEST;
                default -> throw new IllegalArgumentException("--keep must be best or latest, got '" + s + "'");
            };
        }

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Competition {
        if (labels.length != isPublic.length) throw new IllegalArgumentException(labels.length + " labels but a split of " + isPublic.length);
        if (classes < 2 || classes > 256) throw new IllegalArgumentException("classes must be in 2..256, got " + classes);
        if (dailyLimit < 1) throw new IllegalArgumentException("the daily limit must be ≥ 1, got " + dailyLimit);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) throw new IllegalArgumentException("label " + labels[i] + " at " + i + " is not in 0.." + (classes - 1));
        }
    }

    /** The test set's size: a prediction file has exactly this many labels. */
    public int size() {
        return labels.length;
    }

    public int publicCount() {
        int c = 0;
        for (boolean p : isPublic) if (p) c++;
        return c;
    }

    /**
     * The seeded split: a Fisher–Yates shuffle of 0..n−1 with {@code seed}, its first
     * round(n · fraction) indices public. The same seed gives the same split on every machine.
     */
    public static boolean[] split(int n, double publicFraction, long seed) {
        if (!(publicFraction > 0 && publicFraction < 1)) {
            throw new IllegalArgumentException("--public-fraction must be in (0, 1), got " + publicFraction);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int publicCount = (int) Math.round(n * publicFraction);
        if (publicCount < 1 || publicCount >= n) throw new IllegalArgumentException("a public fraction of " + publicFraction + " of " + n + " leaves a part empty");
        boolean[] isPublic = new boolean[n];
        for (int i = 0; i < publicCount; i++) isPublic[order[i]] = true;
        return isPublic;
    }

    /** A participant's or competition's name: 1..60 characters, no control characters, not blank. Anything else (SQL, HTML) is text. */
    public static String checkName(String what, String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException(what + " must not be empty");
        if (name.length() > MAX_NAME) throw new IllegalArgumentException(what + " is " + name.length() + " characters, more than " + MAX_NAME);
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) throw new IllegalArgumentException(what + " contains a control character at " + i);
        }
        return name.strip();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Competition c && c.id == id && c.name.equals(name) && Arrays.equals(c.labels, labels);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return "Competition[" + name + ", " + dataset + ", " + labels.length + " labels, keep " + keep.word() + (closed ? ", closed" : "") + "]";
    }
}
