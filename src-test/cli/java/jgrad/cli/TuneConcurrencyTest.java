package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jgrad.data.mnist.MnistFixtures;
import jgrad.tune.FrozenTrial;
import jgrad.tune.SqliteStorage;
import jgrad.tune.StudyStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "the same study twice (1 and 2 concurrent trials) gives identical trial parameters
 * and results", with real training: LeNet (whose convolution weight gradient sums its images in as
 * many parts as the backend has threads, docs/tuning.md "Threads") on the synthetic bars, ASHA
 * pruning, through ./jgrad tune.
 */
class TuneConcurrencyTest {
    @TempDir Path dir;

    @Test
    void theSameLeNetStudyAtConcurrencyOneAndTwoGivesIdenticalTrials() throws Exception {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 120, false);
        Files.writeString(dir.resolve("space.yaml"), """
                lr: {type: loguniform, low: 0.003, high: 0.3}
                optimizer: {type: choice, values: [sgd, adam]}
                momentum: {type: uniform, low: 0.5, high: 0.95, when: {optimizer: sgd}}
                batch-size: {type: choice, values: [16, 32]}
                """);
        for (String c : List.of("1", "2")) {
            MainTest.Run r = MainTest.jgrad(false, "tune", "--space", dir.resolve("space.yaml").toString(), "--storage", dir.resolve("s.db").toString(),
                    "--study", "c" + c, "--concurrency", c, "--trials", "5", "--sampler", "random", "--pruner", "asha", "--out", dir.resolve("runs").toString(),
                    "--data", data.toString(), "--model", "lenet", "--epochs", "2", "--val-size", "40");
            assertThat(r.rc()).as(r.err()).isZero();
        }
        try (StudyStorage db = new SqliteStorage(dir.resolve("s.db"))) {
            List<String> one = record(db.trials(db.findStudy("c1").orElseThrow().id())), two = record(db.trials(db.findStudy("c2").orElseThrow().id()));
            assertThat(one).hasSize(5);
            assertThat(two).isEqualTo(one);
            assertThat(one).as("trials that learned something, with distinct values").anyMatch(s -> s.contains("COMPLETE"));
            assertThat(one.stream().map(s -> s.split(" ")[2]).distinct().count()).as("distinct values").isGreaterThan(2);
        }
    }

    /** Number, state, value (exact), parameters and every reported epoch, as text. */
    private static List<String> record(List<FrozenTrial> ts) {
        return ts.stream().map(t -> t.number() + " " + t.state() + " " + Double.doubleToRawLongBits(t.value()) + " " + t.params() + " " + t.intermediate()).toList();
    }
}
