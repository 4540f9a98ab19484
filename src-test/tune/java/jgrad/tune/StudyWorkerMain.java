package jgrad.tune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A worker process for the multi-process tests: runs {@link Spaces#fakeTraining} (sleeping
 * {@code millisPerStep} at each step) in study NAME of FILE until it holds N trials, appending
 * "number" to LOG each time an objective run completes.
 * Arguments: STORAGE NAME N CONCURRENCY MILLIS_PER_STEP LOG (STORAGE: a file or a jdbc:postgresql: URL).
 */
public final class StudyWorkerMain {
    private StudyWorkerMain() {}

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[5]);
        int n = Integer.parseInt(args[2]), concurrency = Integer.parseInt(args[3]);
        long millis = Long.parseLong(args[4]);
        try (StudyStorage db = StudyStorage.open(args[0])) {
            study(db, args[1]).optimize(t -> objective(t, millis, log), n, null, concurrency);
        }
    }

    /** Starts a worker process; its output goes to a file in {@code dir}. */
    static Process start(Path dir, String storage, String study, int n, int concurrency, long millisPerEpoch, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                StudyWorkerMain.class.getName(), storage, study, "" + n, "" + concurrency, "" + millisPerEpoch, log.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve(study + "-" + System.nanoTime() + ".out").toFile()).start();
    }

    /** The study every worker runs: the same as {@link #main}'s, for a reference run in the test's own process. */
    static Study study(StudyStorage db, String name) {
        return Study.builder(db, name, Spaces.trainLike()).seed(11).sampler(new TpeSampler(4, 24, 1.0)).pruner(new MedianPruner(3, 1)).createOrLoad();
    }

    static double objective(Trial t, long millisPerStep, Path log) throws IOException {
        double v = Spaces.fakeTraining(t, millisPerStep);
        synchronized (StudyWorkerMain.class) {
            Files.writeString(log, t.number() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return v;
    }
}
