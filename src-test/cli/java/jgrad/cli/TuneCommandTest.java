package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jgrad.data.mnist.MnistFixtures;
import jgrad.tune.FrozenTrial;
import jgrad.tune.SqliteStorage;
import jgrad.tune.StudyStorage;
import jgrad.tune.TrialState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./jgrad tune end to end on the tiny synthetic MNIST (the suite's one real tune run), and its one-line errors. */
class TuneCommandTest {
    @TempDir Path dir;

    private static final String SPACE = """
            {"lr": {"type": "loguniform", "low": 0.001, "high": 0.1},
             "optimizer": {"type": "choice", "values": ["sgd", "adam"]},
             "momentum": {"type": "uniform", "low": 0.5, "high": 0.95, "when": {"optimizer": "sgd"}},
             "batch-size": {"type": "choice", "values": [16, 32]},
             "epochs": {"type": "int", "low": 1, "high": 2}}""";

    private static final String YAML_SPACE = """
            lr: {type: loguniform, low: 0.001, high: 0.1}
            optimizer: {type: choice, values: [sgd, adam]}
            momentum:
              type: uniform
              low: 0.5
              high: 0.95
              when: {optimizer: sgd}
            batch-size: {type: choice, values: [16, 32]}
            epochs: {type: int, low: 1, high: 2}
            """;

    private String[] args(Path data, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("tune", "--space", dir.resolve("space.json").toString(), "--storage", dir.resolve("s.db").toString(),
                "--study", "bars", "--out", dir.resolve("runs").toString(), "--data", data.toString(), "--model", "mlp", "--val-size", "40"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void tunesTrainsOptionsExportsAndResumes() throws IOException {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 200, false);
        Files.writeString(dir.resolve("space.json"), SPACE);
        MainTest.Run r = MainTest.jgrad(false, args(data, "--trials", "3", "--concurrency", "2", "--sampler", "random", "--export", dir.resolve("t.csv").toString()));
        assertThat(r.err()).isEmpty();
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("trial   0  started", "epoch 1/", "COMPLETE  val_accuracy", "Best trial", "Train it: ./jgrad train --data");
        assertThat(Files.readAllLines(dir.resolve("t.csv"))).hasSize(4).first().isEqualTo("number,state,value,seconds,attempts,batch-size,epochs,lr,momentum,optimizer");
        assertThat(dir.resolve("runs/bars/trial-0/train.log")).content().contains("mlp on mnist");
        for (String png : List.of("history.png", "parallel.png", "importance.png")) {
            assertThat(Files.readAllBytes(dir.resolve("runs/bars").resolve(png))).as(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
        assertThat(r.out()).containsPattern("Parameter importance \\(ε².*\\): [a-z-]+ (\\d\\.\\d{3}|NaN)");
        // the same study again is refused; with --resume it goes on to 4 trials, from the same space written in YAML
        assertThat(MainTest.jgrad(false, args(data, "--trials", "4")).err()).contains("error: study 'bars' already exists", "use --resume");
        Files.writeString(dir.resolve("space.yaml"), YAML_SPACE);
        String[] resume = args(data, "--trials", "4", "--resume", "--export", dir.resolve("t.json").toString());
        resume[2] = dir.resolve("space.yaml").toString();
        MainTest.Run resumed = MainTest.jgrad(false, resume);
        assertThat(resumed.rc()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("trial   3  started").doesNotContain("trial   0  started");
        assertThat(Files.readString(dir.resolve("t.json"))).contains("\"study\" : \"bars\"", "\"state\" : \"COMPLETE\"", "\"intermediate\"");
        try (StudyStorage db = new SqliteStorage(dir.resolve("s.db"))) {
            List<FrozenTrial> ts = db.trials(db.findStudy("bars").orElseThrow().id());
            assertThat(ts).extracting(FrozenTrial::number).containsExactly(0, 1, 2, 3);
            assertThat(ts).allMatch(t -> t.state() == TrialState.COMPLETE);
            assertThat(ts).allSatisfy(t -> assertThat(t.value()).as("a trial's value is its best epoch's")
                    .isEqualTo(t.intermediate().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
            assertThat(ts).anySatisfy(t -> assertThat(t.value()).as("bars are easy").isGreaterThan(0.8));
            assertThat(ts).allSatisfy(t -> assertThat(t.intermediate()).hasSize(((Long) t.params().get("epochs")).intValue()));
        }
    }

    @Test
    void badInputIsOneLineAndLeavesTheStorageAlone() throws IOException {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 100, false);
        Files.writeString(dir.resolve("space.json"), SPACE.replace("\"epochs\"", "\"epoch\""));
        assertThat(MainTest.jgrad(false, args(data)).err()).startsWith("error: search space " + dir.resolve("space.json") + ": 'epoch' is not a parameter that can be tuned (known: ")
                .hasLineCount(1);
        Files.writeString(dir.resolve("space.json"), SPACE.replace("[16, 32]", "[16, 0.5]"));
        assertThat(MainTest.jgrad(false, args(data)).err()).startsWith("error: search space: batch-size = 0.5 is not a value of train's --batch-size").hasLineCount(1);
        Files.writeString(dir.resolve("space.json"), SPACE);
        assertThat(MainTest.jgrad(false, args(data, "--lr", "0.1")).err()).isEqualTo("error: search space: 'lr' is searched and also given as --lr: leave one out\n");
        assertThat(MainTest.jgrad(false, args(data, "--optimiser", "sgd")).err()).startsWith("error: train option: Unknown options: '--optimiser', 'sgd'").hasLineCount(1);
        assertThat(MainTest.jgrad(false, args(data, "--resume")).err()).isEqualTo("error: --resume: there is no study file " + dir.resolve("s.db") + " (leave out --resume to start the study)\n").hasLineCount(1);
        assertThat(MainTest.jgrad(false, args(data, "--metric", "accuracy")).err()).startsWith("error: --metric must be").hasLineCount(1);
        assertThat(MainTest.jgrad(false, "tune", "--space", dir.resolve("space.json").toString(), "--storage", dir.resolve("no/s.db").toString(),
                "--data", data.toString(), "--model", "mlp", "--val-size", "40").err())
                .isEqualTo("error: storage " + dir.resolve("no/s.db") + ": folder " + dir.resolve("no") + " does not exist\n");
        Files.writeString(dir.resolve("space.yml"), YAML_SPACE.replace("  low: 0.5", " low: 0.5"));
        String[] yaml = args(data);
        yaml[2] = dir.resolve("space.yml").toString();
        assertThat(MainTest.jgrad(false, yaml).err()).isEqualTo("error: search space " + dir.resolve("space.yml")
                + ": malformed YAML at line 5, column 2: expected <block end>, but found '<block mapping start>'\n");
        assertThat(dir.resolve("s.db")).doesNotExist();
    }
}
