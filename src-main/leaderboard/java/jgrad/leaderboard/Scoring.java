package jgrad.leaderboard;

/**
 * Scores predictions against the competition's labels: accuracy, the fraction of the part whose
 * predicted label equals the true one, on the public part and on the private part.
 *
 * <p>Shapes: {@code predicted[n]}, {@code labels[n]}, {@code isPublic[n]}, n = the test set's size.
 */
public final class Scoring {
    private Scoring() {}

    /** Public and private accuracy, each in [0, 1]. */
    public record Scores(double publicScore, double privateScore) {}

    public static Scores score(Competition c, int[] predicted) {
        if (predicted.length != c.size()) throw new IllegalArgumentException(predicted.length + " predictions for a test set of " + c.size());
        int pubRight = 0, pubCount = 0, privRight = 0, privCount = 0;
        byte[] labels = c.labels();
        boolean[] isPublic = c.isPublic();
        for (int i = 0; i < predicted.length; i++) {
            boolean right = predicted[i] == labels[i];
            if (isPublic[i]) {
                pubCount++;
                if (right) pubRight++;
            } else {
                privCount++;
                if (right) privRight++;
            }
        }
        return new Scores((double) pubRight / pubCount, (double) privRight / privCount);
    }
}
