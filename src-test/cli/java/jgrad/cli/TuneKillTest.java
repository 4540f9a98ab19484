package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jgrad.data.mnist.MnistFixtures;
import jgrad.tune.FrozenTrial;
import jgrad.tune.SqliteStorage;
import jgrad.tune.StudyStorage;
import jgrad.tune.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./jgrad tune} in a child process killed with SIGKILL mid-trial, then {@code --resume}: no trial lost, duplicated or stuck. */
class TuneKillTest {
    @TempDir Path dir;

    private Process tune(Path data, boolean resume) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "jgrad.cli.Main", "tune", "--space", dir.resolve("space.json").toString(), "--storage", dir.resolve("s.db").toString(),
                "--study", "killed", "--out", dir.resolve("runs").toString(), "--trials", "8", "--concurrency", "2", "--sampler", "random",
                "--pruner", "none", "--data", data.toString(), "--model", "mlp", "--val-size", "100", "--epochs", "3"));
        if (resume) cmd.add("--resume");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(resume ? "resumed.out" : "killed.out").toFile()).start();
    }

    @Test
    void killNineMidTrialThenResumeFinishesEveryTrialOnce() throws Exception {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 600, false);
        Files.writeString(dir.resolve("space.json"), """
                {"lr": {"type": "loguniform", "low": 0.001, "high": 0.1},
                 "batch-size": {"type": "choice", "values": [16, 32]}}""");
        Process p = tune(data, false);
        List<Integer> wereRunning;
        try (StudyStorage watch = new SqliteStorage(dir.resolve("s.db"))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                List<FrozenTrial> ts = watch.findStudy("killed").map(i -> watch.trials(i.id())).orElse(List.of());
                boolean midTrial = ts.stream().anyMatch(t -> t.state() == TrialState.RUNNING && !t.intermediate().isEmpty());
                if (ts.stream().filter(t -> t.state().finished()).count() >= 1 && midTrial) break;
                assertThat(System.nanoTime()).as("tune got going: " + Files.readString(dir.resolve("killed.out"))).isLessThan(deadline);
                Thread.sleep(5);
            }
            p.destroyForcibly().waitFor();
            wereRunning = watch.trials(watch.findStudy("killed").orElseThrow().id()).stream()
                    .filter(t -> t.state() == TrialState.RUNNING).map(FrozenTrial::number).toList();
        }
        assertThat(wereRunning).as("killed mid-trial").isNotEmpty();
        Process r = tune(data, true);
        assertThat(r.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("resumed.out"));
        assertThat(r.exitValue()).as(out).isZero();
        for (int n : wereRunning) assertThat(out).contains(String.format("trial %3d  started again (attempt 2)", n));
        try (StudyStorage db = new SqliteStorage(dir.resolve("s.db"))) {
            List<FrozenTrial> ts = db.trials(db.findStudy("killed").orElseThrow().id());
            assertThat(ts).extracting(FrozenTrial::number).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            assertThat(ts).allSatisfy(t -> assertThat(t.state()).as("trial " + t.number()).isEqualTo(TrialState.COMPLETE));
            assertThat(ts).allSatisfy(t -> assertThat(t.intermediate()).as("trial " + t.number() + ": each epoch once").containsOnlyKeys(1, 2, 3));
            for (int n : wereRunning) assertThat(ts.get(n).attempts()).isEqualTo(2);
        }
    }
}
