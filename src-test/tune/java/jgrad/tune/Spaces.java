package jgrad.tune;

import java.util.Set;

/** Search spaces and objectives the tests share. */
final class Spaces {
    private Spaces() {}

    /** A space like `jgrad tune`'s: a log-uniform lr, a choice, momentum only under sgd, an int. */
    static final String TRAIN_LIKE = """
            {
              "lr": {"type": "loguniform", "low": 0.0001, "high": 1.0},
              "optimizer": {"type": "choice", "values": ["sgd", "adam"]},
              "momentum": {"type": "uniform", "low": 0.0, "high": 0.99, "when": {"optimizer": ["sgd"]}},
              "epochs": {"type": "int", "low": 1, "high": 6}
            }""";

    static SearchSpace trainLike() {
        return SearchSpaceParser.parse(TRAIN_LIKE, null);
    }

    static SearchSpace trainLike(Set<String> known) {
        return SearchSpaceParser.parse(TRAIN_LIKE, known);
    }

    /**
     * A cheap stand-in for training, deterministic in the configuration: "accuracy" peaks at
     * lr = 0.03, momentum 0.9 under sgd, and rises with the epoch; it reports each epoch and
     * stops when pruned.
     */
    static double fakeTraining(Trial t) {
        return fakeTraining(t, 0);
    }

    /** The same, each epoch taking {@code millisPerEpoch}. */
    static double fakeTraining(Trial t, long millisPerEpoch) {
        double lr = t.suggestFloat("lr", 0.0001, 1.0, true);
        String opt = t.suggestCategorical("optimizer", java.util.List.of("sgd", "adam"));
        double momentum = t.has("momentum") ? t.suggestFloat("momentum", 0.0, 0.99, false) : 0;
        int epochs = t.suggestInt("epochs", 1, 6);
        double d = Math.log10(lr / 0.03);
        double best = 0.99 - 0.1 * d * d - (opt.equals("sgd") ? 0.2 * (momentum - 0.9) * (momentum - 0.9) : 0.02);
        double acc = 0;
        for (int e = 1; e <= epochs; e++) {
            if (millisPerEpoch > 0) {
                try {
                    Thread.sleep(millisPerEpoch);
                } catch (InterruptedException x) {
                    throw new IllegalStateException(x);
                }
            }
            acc = best * (1 - Math.pow(0.5, e));
            t.report(e, acc);
            if (t.shouldPrune()) throw new TrialPruned(e);
        }
        return acc;
    }
}
