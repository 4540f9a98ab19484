package jgrad.tune.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import jgrad.tune.ClusterRunner;
import jgrad.tune.FrozenTrial;
import jgrad.tune.SqliteStorage;
import jgrad.tune.Study;
import jgrad.tune.StudyStorage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study's trials as Spark tasks on local[2], against one SQLite file and against PostgreSQL (the
 * URL in JGRAD_TEST_POSTGRES_URL, which .ci/run sets; skipped without it): every trial's objective
 * runs once, and the trials are those one thread makes with the same seed.
 */
class SparkStudyTest {
    @TempDir Path dir;

    static List<String> record(List<FrozenTrial> trials) {
        return trials.stream().map(t -> t.number() + " " + t.state() + " " + t.params() + " " + t.value() + " " + t.intermediate()).toList();
    }

    @Test
    void localTwoOnAnSqliteFileRunsEveryTrialOnceWithTheSameTrialsAsOneThread() throws Exception {
        assertStudy(dir.resolve("study.db").toString(), "spark", 12);
    }

    @Test
    void localTwoOnPostgresqlRunsEveryTrialOnceWithTheSameTrialsAsOneThread() throws Exception {
        String url = System.getenv("JGRAD_TEST_POSTGRES_URL");
        Assumptions.assumeTrue(url != null, "JGRAD_TEST_POSTGRES_URL is not set (.ci/run sets it after starting PostgreSQL)");
        String name = "spark-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        assertStudy(url, name, 8);
    }

    private void assertStudy(String storage, String name, int n) throws Exception {
        Path log = dir.resolve(name + ".log");
        ClusterRunner.Job job = new ClusterRunner.Job(ToyWorker.class.getName(), List.of(storage, name, "" + n, log.toString()), storage, name);
        try (StudyStorage s = StudyStorage.open(storage)) {
            ToyWorker.study(s, name);
        }
        long t0 = System.nanoTime();
        int finished = ClusterRunner.find().orElseThrow().run("local[2]", 0, job);
        System.out.printf("local[2] study of %d trials on %s: %.1f s%n", n, storage.replaceFirst("\\?.*", ""), (System.nanoTime() - t0) / 1e9);
        assertThat(finished).isEqualTo(n);
        Map<String, Long> runs = Files.readAllLines(log).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(runs).as("every trial's objective ran once").isEqualTo(IntStream.range(0, n).boxed().collect(Collectors.toMap(i -> "" + i, i -> 1L)));
        List<String> reference;
        try (StudyStorage s = new SqliteStorage(dir.resolve("reference.db"))) {
            Study r = ToyWorker.study(s, "reference");
            r.optimize(ToyWorker::fakeTraining, n, null, 1);
            reference = record(r.trials());
        }
        try (StudyStorage s = StudyStorage.open(storage)) {
            assertThat(record(s.trials(s.findStudy(name).orElseThrow().id()))).as("the same trials as one thread with the same seed").isEqualTo(reference);
        }
    }
}
