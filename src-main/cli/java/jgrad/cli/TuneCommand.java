package jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import jgrad.train.History;
import jgrad.train.Trainer;
import jgrad.tune.Direction;
import jgrad.tune.Pruner;
import jgrad.tune.Sampler;
import jgrad.tune.SearchSpace;
import jgrad.tune.SearchSpaceParser;
import jgrad.tune.Study;
import jgrad.tune.StudyExport;
import jgrad.tune.StudyStorage;
import jgrad.tune.Trial;
import jgrad.tune.TrialPruned;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jgrad tune}: a study over {@code ./jgrad train}'s options (docs/tuning.md). Each trial is
 * a train run: the options given here that tune does not know are passed to every trial (--data,
 * --model, --val-size, ...), the search space's parameters are added as train options
 * ({@code "lr"} → {@code --lr 0.0123}), and a Trainer callback reports each epoch's metric to the
 * trial and stops it when the pruner says so. Studies live in an SQLite file and resume.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Search train's options (lr, optimizer, momentum, batch size, epochs, ...) with TPE, random or grid search, "
                + "median or ASHA pruning, parallel seeded trials, in a durable SQLite study that --resume continues. "
                + "Options tune does not know are passed to every train run (e.g. --data DIR --model mlp --val-size 1000).")
public final class TuneCommand implements Callable<Integer> {
    @Option(names = "--space", required = true, paramLabel = "FILE", description = "the search space: JSON, or YAML if FILE ends in .yaml or .yml (docs/tuning.md)")
    Path space;
    @Option(names = "--study", defaultValue = "tune", description = "the study's name in the storage (default: ${DEFAULT-VALUE})")
    String studyName;
    @Option(names = "--storage", paramLabel = "FILE|URL", defaultValue = "runs/tune/studies.db",
            description = "the SQLite study file, or jdbc:postgresql://host/db?user=..&password=.. for workers on many machines (default: ${DEFAULT-VALUE})")
    String storage;
    @Option(names = "--resume", description = "continue the study (trials a killed run left running are run again)")
    boolean resume;
    @Option(names = "--trials", defaultValue = "20", description = "trials in the study, counting earlier runs (default: ${DEFAULT-VALUE})")
    int trials;
    @Option(names = "--timeout", paramLabel = "DURATION", description = "start no trial after this long: 90s, 30m, 2h")
    String timeout;
    @Option(names = "--metric", defaultValue = "val_accuracy", description = "val_accuracy, val_loss, train_accuracy or train_loss; a trial's value is its best epoch's (default: ${DEFAULT-VALUE})")
    String metric;
    @Option(names = "--direction", description = "maximize or minimize (default: maximize for accuracies, minimize for losses)")
    String direction;
    @Option(names = "--concurrency", defaultValue = "1", description = "trials at once; they share the CPU backend's threads (default: ${DEFAULT-VALUE})")
    int concurrency;
    @Option(names = "--sampler", defaultValue = "tpe", description = "tpe, random or grid (default: ${DEFAULT-VALUE})")
    String sampler;
    @Option(names = "--pruner", defaultValue = "median", description = "median, asha or none (default: ${DEFAULT-VALUE})")
    String pruner;
    @Option(names = "--seed", defaultValue = "1", description = "the study's seed; trial n's train --seed is derived from it and n (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--lag", defaultValue = "4", description = "trial n's sampler sees trials below n − lag: the same study whatever the concurrency (default: ${DEFAULT-VALUE})")
    int lag;
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/tune", description = "each trial's train outputs and log go to DIR/<study>/trial-N, the plots to DIR/<study>/history.png, parallel.png, importance.png (default: ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--export", paramLabel = "FILE", description = "write the trials to FILE.json or FILE.csv at the end")
    Path export;
    @Option(names = "--spark", paramLabel = "MASTER", description = "run the trials as Spark tasks: local[2], spark://host:7077 (with a jdbc:postgresql: --storage); "
            + "--concurrency N > 1 sets the number of tasks (default: the master's parallelism). Needs the Spark unit (docs/tuning.md)")
    String spark;
    /** Set in a Spark task ({@link SparkTune}): load the study, run its trials one at a time, print no summary. */
    @Option(names = "--spark-worker", hidden = true)
    boolean sparkWorker;
    @CommandLine.Mixin
    SubmitOptions submitOptions = new SubmitOptions();
    @CommandLine.Unmatched
    List<String> trainArgs = new ArrayList<>();
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream log = System.out;

    /** Train options a search space may not set, and options that may not be passed through (tune sets them per trial). */
    private static final Set<String> NOT_TUNED = Set.of("data", "dataset", "device", "out", "json", "checkpoint", "seed", "val-size", "help", "version");

    @Override
    public Integer call() throws IOException {
        if (trials < 1) throw new IllegalArgumentException("--trials must be ≥ 1, got " + trials);
        if (concurrency < 1) throw new IllegalArgumentException("--concurrency must be ≥ 1, got " + concurrency);
        Metric m = Metric.of(metric);
        Direction dir = direction == null ? m.natural : Direction.parse(direction);
        if (export != null && !(export.toString().endsWith(".json") || export.toString().endsWith(".csv"))) {
            throw new IllegalArgumentException("--export must name a .json or .csv file, got " + export);
        }
        TrainArgs train = new TrainArgs(trainArgs);
        boolean submit = submitOptions.check(train.command(java.util.Map.of(), List.of()).dataOptions.dataset());
        SearchSpace sp = SearchSpaceParser.read(space, train.tunable(NOT_TUNED));
        train.check(sp);
        Duration limit = timeout == null ? null : parseDuration(timeout);
        jgrad.tune.ClusterRunner cluster = spark == null || sparkWorker ? null : SparkTune.runner(spark, storage);
        boolean file = !storage.startsWith("jdbc:");
        if (resume && file && !Files.exists(Path.of(storage))) {
            throw new IllegalArgumentException("--resume: there is no study file " + storage + " (leave out --resume to start the study)");
        }
        if (storage.equals("runs/tune/studies.db")) Files.createDirectories(Path.of(storage).getParent());
        try (StudyStorage db = StudyStorage.open(storage)) {
            Study.Builder b = Study.builder(db, studyName, sp).direction(dir).seed(seed).lag(lag).sampler(Sampler.of(sampler)).pruner(Pruner.of(pruner));
            Study study = resume || sparkWorker ? b.load() : b.create();
            TuneTable table = new TuneTable(log, metric, study);
            study.listener(table);
            if (sparkWorker) return study.optimize(t -> runTrial(t, train, m, dir, table), trials, limit, 1);
            log.printf(Locale.ROOT, "Study '%s' in %s: %d trials, %s %s, sampler %s, pruner %s, %s; train %s%n", studyName, storage.replaceFirst("\\?.*", ""), trials,
                    dir.name().toLowerCase(Locale.ROOT), metric, sampler, pruner, spark == null ? concurrency + " at once" : "as Spark tasks on " + spark, String.join(" ", trainArgs));
            if (cluster != null) SparkTune.run(cluster, this);
            else study.optimize(t -> runTrial(t, train, m, dir, table), trials, limit, concurrency);
            table.summary(trainArgs);
            log.println("Parameter importance (ε², the share of " + metric + "'s variance each explains alone; docs/tuning.md): "
                    + String.join(", ", jgrad.tune.ParamImportance.of(sp, study.trials()).stream()
                            .map(i -> String.format(Locale.ROOT, "%s %.3f", i.name(), i.epsilonSquared())).toList()));
            for (Path png : TunePlots.all(sp, study.trials(), dir, metric, out.resolve(studyName))) log.println("Wrote " + png);
            if (export != null) {
                jgrad.tensor.AtomicFile.writeString(export, export.toString().endsWith(".json") ? StudyExport.json(study, metric) : StudyExport.csv(study));
                log.println("Wrote " + export);
            }
            if (submit) submitOptions.submitBest(study.trials(), study.best(), train, out.resolve(studyName), log);
        }
        return 0;
    }

    /** One trial: a train run with the trial's options, its log in its own folder, each epoch reported, pruned by exception. */
    private double runTrial(Trial t, TrainArgs train, Metric m, Direction d, TuneTable table) throws IOException {
        Path dir = out.resolve(studyName).resolve("trial-" + t.number());
        Files.createDirectories(dir);
        TrainCommand cmd = train.command(t.params(), List.of("--seed", Long.toString(t.seed()), "--out", dir.toString()));
        table.epochs.put(t.number(), cmd.epochs);
        double[] best = {Double.NaN};
        try (PrintStream trialLog = new PrintStream(Files.newOutputStream(dir.resolve("train.log")), true, StandardCharsets.UTF_8)) {
            cmd.log = trialLog;
            cmd.callbacks.add((Trainer trainer, History.Epoch e) -> {
                double v = m.of(e);
                if (Double.isNaN(best[0]) || d.better(v, best[0])) best[0] = v;
                t.report(e.epoch(), v);
                if (t.shouldPrune()) throw new TrialPruned(e.epoch());
            });
            cmd.call();
        }
        return best[0];
    }

    /** "90s", "30m", "2h", or seconds. */
    static Duration parseDuration(String s) {
        try {
            String n = s.substring(0, s.length() - 1);
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofMillis(Math.round(Double.parseDouble(n) * 1000));
                case 'm' -> Duration.ofMillis(Math.round(Double.parseDouble(n) * 60_000));
                case 'h' -> Duration.ofMillis(Math.round(Double.parseDouble(n) * 3_600_000));
                default -> Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--timeout must be a duration such as 90s, 30m or 2h, got '" + s + "'");
        }
    }

    /** What a trial's value is read from, and which way is better. */
    enum Metric {
        VAL_ACCURACY(Direction.MAXIMIZE), VAL_LOSS(Direction.MINIMIZE), TRAIN_ACCURACY(Direction.MAXIMIZE), TRAIN_LOSS(Direction.MINIMIZE);

        final Direction natural;

        Metric(Direction natural) {
            this.natural = natural;
        }

        static Metric of(String s) {
            for (Metric m : values()) if (m.name().toLowerCase(Locale.ROOT).equals(s)) return m;
            throw new IllegalArgumentException("--metric must be val_accuracy, val_loss, train_accuracy or train_loss, got '" + s + "'");
        }

        double of(History.Epoch e) {
            return switch (this) {
                case VAL_ACCURACY -> e.valMetric();
                case VAL_LOSS -> e.valLoss();
                case TRAIN_ACCURACY -> e.trainMetric();
                case TRAIN_LOSS -> e.trainLoss();
            };
        }
    }
}
