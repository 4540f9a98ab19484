package jgrad.cli;

import java.util.ArrayList;
import java.util.List;
import jgrad.tune.ClusterRunner;
import jgrad.tune.StudyWorker;
import picocli.CommandLine;

/**
 * {@code ./jgrad tune --spark MASTER}: the study is made here (so its checks and errors are this
 * process's), then each Spark task runs {@code tune} again with the same options as a worker
 * ({@code --spark-worker}: load the study, run trials one at a time, claimed through the storage).
 * The Spark unit is found on the class path ({@link ClusterRunner#find()}); the plain command line
 * has no Spark jar, and {@code ./jgrad} adds the unit only for {@code tune --spark}.
 */
public final class SparkTune implements StudyWorker {
    /** The runner, checked against the master and the storage before any study is made. */
    static ClusterRunner runner(String master, String storage) {
        ClusterRunner r = ClusterRunner.find().orElseThrow(() -> new IllegalArgumentException(
                "--spark needs the Spark unit (src-main/tune-spark) on the class path: build it with ./jgrad build and run ./jgrad tune --spark, "
                        + "which adds target/tune-spark to the class path"));
        r.check(master, storage);
        return r;
    }

    /** Runs the study's trials as Spark tasks, each a {@link SparkTune} worker with this command's options. */
    static void run(ClusterRunner runner, TuneCommand cmd) {
        // the parse result holds the whole command line: jgrad's own arguments, then "tune" and its
        List<String> all = cmd.spec.commandLine().getParseResult().originalArgs();
        int from = cmd.spec.parent() == null ? 0 : all.indexOf(cmd.spec.name()) + 1;
        List<String> args = workerArgs(all.subList(from, all.size()));
        runner.run(cmd.spark, cmd.concurrency > 1 ? cmd.concurrency : 0, new ClusterRunner.Job(SparkTune.class.getName(), args, cmd.storage, cmd.studyName));
    }

    /** The options a worker runs with: these less --spark, --resume, --concurrency and --export, plus --spark-worker. */
    static List<String> workerArgs(List<String> original) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
            String a = original.get(i);
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            boolean valued = List.of("--spark", "--concurrency", "--export").contains(name);
            if (valued || a.equals("--resume")) {
                if (valued && !a.contains("=")) i++;
                continue;
            }
            out.add(a);
        }
        out.add("--spark-worker");
        return out;
    }

    /** In a Spark task: tune with {@code args} as a worker; returns the trials it finished. */
    @Override
    public int work(List<String> args) throws Exception {
        TuneCommand cmd = new TuneCommand();
        new CommandLine(cmd).parseArgs(args.toArray(String[]::new));
        return cmd.call();
    }
}
