package jgrad.tune.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import jgrad.tune.MedianPruner;
import jgrad.tune.SearchSpace;
import jgrad.tune.SearchSpaceParser;
import jgrad.tune.Study;
import jgrad.tune.StudyStorage;
import jgrad.tune.StudyWorker;
import jgrad.tune.TpeSampler;
import jgrad.tune.Trial;
import jgrad.tune.TrialPruned;

/**
 * A study worker for the tests, cheap and deterministic: study NAME of STORAGE (TPE, median
 * pruning, seed 11) over a train-like space, each trial a fake training whose "accuracy" peaks at
 * lr = 0.03 and momentum 0.9, reporting each epoch; each objective run appends its trial number to
 * LOG as it starts. Arguments: STORAGE NAME TRIALS LOG. As a process of its own ({@link #main}), it
 * stands for an executor that a test kills: arguments STORAGE NAME TRIALS LOG CONCURRENCY
 * MILLIS_PER_EPOCH.
 */
public final class ToyWorker implements StudyWorker {
    static final String SPACE = """
            {
              "lr": {"type": "loguniform", "low": 0.0001, "high": 1.0},
              "optimizer": {"type": "choice", "values": ["sgd", "adam"]},
              "momentum": {"type": "uniform", "low": 0.0, "high": 0.99, "when": {"optimizer": ["sgd"]}},
              "epochs": {"type": "int", "low": 1, "high": 6}
            }""";

    static SearchSpace space() {
        return SearchSpaceParser.parse(SPACE, null);
    }

    /** The study every worker runs (and a reference run in one thread). */
    static Study study(StudyStorage db, String name) {
        return Study.builder(db, name, space()).seed(11).sampler(new TpeSampler(4, 24, 1.0)).pruner(new MedianPruner(3, 1)).createOrLoad();
    }

    @Override
    public int work(List<String> args) throws Exception {
        return run(args, 1, 0);
    }

    public static void main(String[] args) throws Exception {
        run(List.of(args), Integer.parseInt(args[4]), Long.parseLong(args[5]));
    }

    private static int run(List<String> args, int concurrency, long millisPerEpoch) throws Exception {
        Path log = Path.of(args.get(3));
        try (StudyStorage db = StudyStorage.open(args.get(0))) {
            return study(db, args.get(1)).optimize(t -> {
                synchronized (ToyWorker.class) {
                    Files.writeString(log, t.number() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                return fakeTraining(t, millisPerEpoch);
            }, Integer.parseInt(args.get(2)), null, concurrency);
        }
    }

    static double fakeTraining(Trial t) throws InterruptedException {
        return fakeTraining(t, 0);
    }

    static double fakeTraining(Trial t, long millisPerEpoch) throws InterruptedException {
        double lr = t.suggestFloat("lr", 0.0001, 1.0, true);
        String opt = t.suggestCategorical("optimizer", List.of("sgd", "adam"));
        double momentum = t.has("momentum") ? t.suggestFloat("momentum", 0.0, 0.99, false) : 0;
        int epochs = t.suggestInt("epochs", 1, 6);
        double d = Math.log10(lr / 0.03);
        double best = 0.99 - 0.1 * d * d - (opt.equals("sgd") ? 0.2 * (momentum - 0.9) * (momentum - 0.9) : 0.02);
        double acc = 0;
        for (int e = 1; e <= epochs; e++) {
            if (millisPerEpoch > 0) Thread.sleep(millisPerEpoch);
            acc = best * (1 - Math.pow(0.5, e));
            t.report(e, acc);
            if (t.shouldPrune()) throw new TrialPruned(e);
        }
        return acc;
    }
}
