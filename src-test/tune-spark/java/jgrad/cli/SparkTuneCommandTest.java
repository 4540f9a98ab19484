package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jgrad.data.mnist.MnistFixtures;
import jgrad.tune.FrozenTrial;
import jgrad.tune.SqliteStorage;
import jgrad.tune.StudyStorage;
import jgrad.tune.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./jgrad tune --spark local[2]} end to end (with the Spark unit on the class path, as the
 * launcher puts it): one-epoch MLPs on a small synthetic MNIST, each trial a Spark task's train run,
 * every trial recorded once, with the configurations and values of the same study run without Spark.
 */
class SparkTuneCommandTest {
    @TempDir Path dir;

    private static final String SPACE = """
            {"lr": {"type": "loguniform", "low": 0.001, "high": 0.1},
             "optimizer": {"type": "choice", "values": ["sgd", "adam"]},
             "batch-size": {"type": "choice", "values": [16, 32]}}""";

    record Run(int rc, String out, String err) {}

    static Run jgrad(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(o);
        System.setErr(e);
        try {
            int rc = Main.run(args, o, e, false);
            return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private String[] args(Path data, String db, String... more) {
        List<String> a = new ArrayList<>(List.of("tune", "--space", dir.resolve("space.json").toString(), "--storage", dir.resolve(db).toString(),
                "--study", "bars", "--out", dir.resolve("runs-" + db).toString(), "--trials", "3", "--seed", "5",
                "--data", data.toString(), "--model", "mlp", "--hidden", "16", "--epochs", "1", "--val-size", "40"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static List<String> trials(Path db) {
        try (StudyStorage s = new SqliteStorage(db)) {
            List<FrozenTrial> ts = s.trials(s.findStudy("bars").orElseThrow().id());
            assertThat(ts).allSatisfy(t -> assertThat(t.state()).as("trial " + t.number()).isEqualTo(TrialState.COMPLETE));
            assertThat(ts).allSatisfy(t -> assertThat(t.attempts()).as("trial " + t.number() + " ran once").isEqualTo(1));
            return ts.stream().map(t -> t.number() + " " + t.params() + " " + t.value() + " " + t.intermediate()).toList();
        }
    }

    @Test
    void tuneOnLocalTwoRecordsEveryTrialOnceAsTheSameStudyWithoutSpark() throws Exception {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 120, false);
        Files.writeString(dir.resolve("space.json"), SPACE);
        long t0 = System.nanoTime();
        Run spark = jgrad(args(data, "spark.db", "--spark", "local[2]", "--export", dir.resolve("t.csv").toString()));
        System.out.printf("tune --spark local[2], 3 one-epoch trials: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(spark.rc()).as(spark.err()).isZero();
        assertThat(spark.err()).as("Spark's logging is quiet").isEmpty();
        assertThat(spark.out()).contains("as Spark tasks on local[2]", "trial   0  started", "trial   2  COMPLETE", "Study 'bars': 3 trials (3 complete", "Best trial");
        assertThat(Files.readAllLines(dir.resolve("t.csv"))).hasSize(4);
        t0 = System.nanoTime();
        Run plain = jgrad(args(data, "plain.db"));
        System.out.printf("tune, 3 one-epoch trials: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(plain.rc()).as(plain.err()).isZero();
        assertThat(trials(dir.resolve("spark.db"))).hasSize(3).isEqualTo(trials(dir.resolve("plain.db")));
    }

    @Test
    void workersGetTheCommandsOptionsLessTheDriversOwn() {
        assertThat(SparkTune.workerArgs(List.of("--space", "s.json", "--spark", "local[2]", "--concurrency=3", "--resume", "--export", "t.csv", "--lr", "0.1")))
                .containsExactly("--space", "s.json", "--lr", "0.1", "--spark-worker");
    }
}
