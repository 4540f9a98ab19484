package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import jgrad.data.mnist.MnistDataset;
import jgrad.data.mnist.MnistFixtures;
import jgrad.leaderboard.BoardServer;
import jgrad.leaderboard.BoardStore;
import jgrad.leaderboard.Competition;
import jgrad.leaderboard.PredictionsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./jgrad leaderboard end to end on the tiny synthetic MNIST: the organiser creates a competition and
 * adds participants, a server runs, {@code train --submit} and {@code tune --submit} predict and
 * submit, {@code leaderboard submit} sends a file, the scores stored are the accuracies of the
 * predictions written, and the errors are one line.
 */
class LeaderboardCommandTest {
    @TempDir Path dir;

    private static double publicAccuracy(Competition c, int[] p) {
        int right = 0, n = 0;
        for (int i = 0; i < p.length; i++) {
            if (!c.isPublic()[i]) continue;
            n++;
            if (p[i] == c.labels()[i]) right++;
        }
        return (double) right / n;
    }

    @Test
    void createAddServeTrainSubmitTuneSubmitFileSubmitAndClose() throws Exception {
        Path data = MnistFixtures.writeBars(dir.resolve("data"), 200, false);
        String db = dir.resolve("board.db").toString();
        MainTest.Run r = MainTest.jgrad(false, "leaderboard", "create", "--db", db, "--data", data.toString(), "--name", "bars cup", "--keep", "latest",
                "--daily-limit", "3");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Created competition 'bars cup'", "100 images, 50 public and 50 private", "latest; 3 submissions a day");
        r = MainTest.jgrad(false, "leaderboard", "add-participant", "--db", db, "ann", "bob");
        assertThat(r.rc()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        String ann = lines.get(0).split("\t")[1], bob = lines.get(1).split("\t")[1];
        try (BoardStore store = BoardStore.open(db, Clock.systemUTC())) {
            Competition c = store.competition(null);
            byte[] labels = new byte[100];
            MnistDataset test = MnistDataset.load(data, false);
            for (int i = 0; i < 100; i++) labels[i] = (byte) test.label(i);
            assertThat(c.labels()).as("the test labels are kept on the server").isEqualTo(labels);
            try (BoardServer server = new BoardServer(store, c, "127.0.0.1", 0, 1 << 16)) {
                String url = "http://127.0.0.1:" + server.port() + "/";
                Path out = dir.resolve("run");
                r = MainTest.jgrad(false, "train", "--data", data.toString(), "--model", "mlp", "--epochs", "1", "--val-size", "40", "--batch-size", "16",
                        "--out", out.toString(), "--submit", url, "--token", ann, "--submit-note", "first");
                assertThat(r.err()).isEmpty();
                assertThat(r.rc()).isZero();
                int[] predicted = PredictionsFile.read(out.resolve("predictions.csv"), 100, 10);
                BoardStore.Row row = store.rows(c, "ann").getFirst();
                assertThat(row.publicScore()).as("the server's score of the predictions written").isEqualTo(publicAccuracy(c, predicted));
                assertThat(row.note()).isEqualTo("first");
                assertThat(row.config()).contains("\"model\":\"mlp\"", "\"epochs\":1", "\"optimizer\":\"sgd\"");
                assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "Submitted to %s as ann: public score %.2f%%", url, 100 * row.publicScore()));

                // the same file through leaderboard submit, with a config
                r = MainTest.jgrad(false, "leaderboard", "submit", "--to", url, "--token", bob, "--predictions", out.resolve("predictions.csv").toString(),
                        "--config", "{\"by\": \"hand\"}", "--note", "copied");
                assertThat(r.err()).isEmpty();
                assertThat(r.out()).startsWith("Submitted as bob: public score");
                assertThat(store.rows(c, "bob").getFirst().config()).isEqualTo("{\"by\":\"hand\"}");

                // tune --submit: the best trial's model predicts and is submitted with its parameters
                Files.writeString(dir.resolve("space.json"), "{\"lr\": {\"type\": \"choice\", \"values\": [0.05, 0.1]}}");
                r = MainTest.jgrad(false, "tune", "--space", dir.resolve("space.json").toString(), "--storage", dir.resolve("s.db").toString(),
                        "--trials", "2", "--sampler", "grid", "--out", dir.resolve("tune").toString(), "--data", data.toString(), "--model", "mlp",
                        "--val-size", "40", "--epochs", "1", "--submit", url, "--token", ann);
                assertThat(r.err()).isEmpty();
                assertThat(r.rc()).isZero();
                assertThat(store.rows(c, "ann")).hasSize(2);
                assertThat(store.rows(c, "ann").get(1).config()).contains("\"trial\":", "\"trials\":2");

                // one-line errors: a wrong token, a file of the wrong length, a missing token, another data set, the limit
                r = MainTest.jgrad(false, "leaderboard", "submit", "--to", url, "--token", "nope", "--predictions", out.resolve("predictions.csv").toString());
                assertThat(r.rc()).isEqualTo(2);
                assertThat(r.err()).isEqualTo("error: the leaderboard at " + url + " refused (401): unknown token: no participant of bars cup has it\n");
                Path shortFile = dir.resolve("short.csv");
                Files.writeString(shortFile, "index,label\n0,1\n");
                r = MainTest.jgrad(false, "leaderboard", "submit", "--to", url, "--token", ann, "--predictions", shortFile.toString());
                assertThat(r.err()).isEqualTo("error: " + shortFile + " has 1 predictions, the test set has 100\n");
                r = MainTest.jgrad(false, "train", "--data", data.toString(), "--submit", url);
                assertThat(r.err()).startsWith("error: --submit needs --token TOKEN");
                r = MainTest.jgrad(false, "train", "--dataset", "fashion-mnist", "--data", data.toString(), "--submit", url, "--token", ann);
                assertThat(r.err()).contains("competition bars cup is on mnist, this run trains on fashion-mnist");
                assertThat(MainTest.jgrad(false, "leaderboard", "submit", "--to", url, "--token", bob, "--predictions", out.resolve("predictions.csv").toString()).rc()).isZero();
                assertThat(MainTest.jgrad(false, "leaderboard", "submit", "--to", url, "--token", bob, "--predictions", out.resolve("predictions.csv").toString()).rc()).isZero();
                r = MainTest.jgrad(false, "leaderboard", "submit", "--to", url, "--token", bob, "--predictions", out.resolve("predictions.csv").toString());
                assertThat(r.err()).contains("refused (429): daily limit reached: bob has made 3 of 3");
                assertThat(store.rows(c, null)).hasSize(5);

                // close: the private board, and no more submissions
                r = MainTest.jgrad(false, "leaderboard", "close", "--db", db);
                assertThat(r.out()).contains("Closed competition 'bars cup'. Final (private) board:", "ann", "bob");
                r = MainTest.jgrad(false, "leaderboard", "submit", "--to", url, "--token", ann, "--predictions", out.resolve("predictions.csv").toString());
                assertThat(r.err()).contains("refused (403): competition bars cup is closed");
            }
        }
        assertThat(MainTest.jgrad(false, "leaderboard", "add-participant", "--db", db, "a\u0007b").err()).isEqualTo("error: participant name contains a control character at 1\n");
        assertThat(MainTest.jgrad(false, "leaderboard", "create", "--db", db, "--data", data.toString(), "--name", "bars cup").err())
                .isEqualTo("error: a competition named 'bars cup' already exists in " + db + "\n");
    }
}
