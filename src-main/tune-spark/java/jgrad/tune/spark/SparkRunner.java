package jgrad.tune.spark;

import java.util.List;
import java.util.stream.IntStream;
import jgrad.tune.ClusterRunner;
import jgrad.tune.StudyWorker;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A study's trials as Spark tasks: each task is a {@link StudyWorker} that claims trials from the
 * study's storage one at a time, exactly as a worker process does, so the storage decides who runs
 * what (no trial twice), a lost executor's RUNNING trial is made INTERRUPTED by the next worker that
 * looks (its process is gone on this host; its heartbeat is stale in PostgreSQL) and run again, and
 * trial n's configuration depends only on (study seed, n) and the trials below n − lag, whatever
 * the number of tasks. When every task has returned and a lost worker's trial is still unfinished,
 * another round of tasks runs it ({@link LeftOver}).
 *
 * <p>Found by the command line through {@link ClusterRunner#find()} when this unit is on the class
 * path ({@code ./jgrad tune --spark MASTER} puts it there). Its own JVM flags, for local mode and for
 * executors, are in {@link SparkFlags}.
 */
public final class SparkRunner implements ClusterRunner {
    @Override
    public void check(String master, String storage) {
        Masters.check(master, storage);
    }

    @Override
    public int run(String master, int workers, Job job) {
        if (workers < 0) throw new IllegalArgumentException("the number of Spark tasks must be ≥ 0, got " + workers);
        Masters.check(master, job.storage());
        SparkConf conf = new SparkConf().setMaster(master).setAppName("jgrad tune " + job.study())
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                // each task runs many trials: a task slot per worker, and no speculative duplicate of a task
                .set("spark.speculation", "false")
                .set("spark.executor.extraJavaOptions", SparkFlags.executorOptions());
        // local mode needs no network: the loopback address, whatever the host name resolves to
        if (Masters.local(master)) conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        // a cluster's executors get jgrad's jars from the driver, unless spark-submit --jars gave them
        else if (!conf.contains("spark.jars")) conf.set("spark.jars", String.join(",", Jars.forExecutors()));
        try (JavaSparkContext sc = Masters.start(conf)) {
            int tasks = workers > 0 ? workers : sc.defaultParallelism();
            int finished = 0;
            LeftOver left = new LeftOver(job);
            do {
                List<Integer> ids = IntStream.range(0, tasks).boxed().toList();
                try {
                    finished += sc.parallelize(ids, tasks).map(i -> work(job)).reduce(Integer::sum);
                } catch (RuntimeException e) {
                    throw taskFailed(e);
                }
            } while (left.awaitRerun());
            return finished;
        }
    }

    /** A failed job as one line: the failed task's own exception, not Spark's page about its stage. */
    static IllegalStateException taskFailed(RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String what;
        if (root == e || root instanceof org.apache.spark.SparkException) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            int at = m.indexOf("): ");  // "... (TID 0) (host executor 1): java.lang.X: message"
            what = at < 0 ? m : m.substring(at + 3);
        } else if (root instanceof IllegalArgumentException || root instanceof IllegalStateException || root instanceof java.io.IOException) {
            what = root.getMessage();
        } else {
            what = root.toString();
        }
        return new IllegalStateException("a Spark task failed: " + what, e);
    }

    /** One task: a fresh worker of the job's class (on an executor, from its class path). */
    static int work(Job job) throws Exception {
        Class<?> c = Class.forName(job.worker(), true, Thread.currentThread().getContextClassLoader());
        if (!StudyWorker.class.isAssignableFrom(c)) throw new IllegalArgumentException(job.worker() + " is not a " + StudyWorker.class.getName());
        return ((StudyWorker) c.getConstructor().newInstance()).work(job.args());
    }
}
