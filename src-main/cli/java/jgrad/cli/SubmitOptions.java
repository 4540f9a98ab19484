package jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jgrad.autograd.NoGrad;
import jgrad.data.Batch;
import jgrad.data.DataLoader;
import jgrad.data.mnist.MnistDataset;
import jgrad.leaderboard.BoardClient;
import jgrad.leaderboard.PredictionsFile;
import jgrad.nn.Module;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.train.Json;
import jgrad.tune.FrozenTrial;
import picocli.CommandLine.Option;

/**
 * {@code --submit URL --token T} on {@code train} and {@code tune}: the tutorial's last cell in one
 * flag. Before training it asks the leaderboard for its competition (same data set, still open),
 * so that a wrong URL or token does not wait for the end of a long run; after training it predicts
 * the competition's test set with the trained model (tune: the best trial's), writes the
 * predictions next to the model ({@code predictions.csv}, the format {@code leaderboard submit}
 * takes) and submits them with the run's configuration. The server scores them.
 */
public final class SubmitOptions {
    @Option(names = "--submit", paramLabel = "URL", description = "after training, predict the competition's test set and submit it to this leaderboard (docs/leaderboard.md)")
    String url;
    @Option(names = "--token", paramLabel = "TOKEN", description = "with --submit: your leaderboard token (from the organiser)")
    String token;
    @Option(names = "--submit-note", paramLabel = "TEXT", description = "with --submit: a note shown in your history")
    String note;

    private BoardClient client;
    private BoardClient.Info info;

    /** Checks the leaderboard before training; false without --submit. */
    boolean check(String dataset) {
        if (url == null) {
            if (token != null || note != null) throw new IllegalArgumentException("--token and --submit-note need --submit URL");
            return false;
        }
        if (token == null || token.isBlank()) throw new IllegalArgumentException("--submit needs --token TOKEN (the organiser gives each participant one)");
        client = new BoardClient(url);
        info = client.competition();
        if (info.closed()) throw new IllegalArgumentException("--submit: competition " + info.name() + " at " + url + " is closed");
        if (!info.dataset().equals(dataset)) {
            throw new IllegalArgumentException("--submit: competition " + info.name() + " is on " + info.dataset() + ", this run trains on " + dataset
                    + " (use --dataset " + info.dataset() + ")");
        }
        return true;
    }

    /** The test set's predicted classes, in order: argmax of the model's outputs. */
    static int[] predict(Module net, MnistDataset test, Device dev) {
        int[] out = new int[test.size()];
        int at = 0;
        net.eval();
        try (NoGrad scope = NoGrad.enter()) {
            for (Batch b : new DataLoader(test, 1000, false, null).device(dev)) {
                for (float v : net.forward(b.inputs()).argmax(1, false).toFloatArray()) out[at++] = (int) v;
            }
        }
        return out;
    }

    /** Predicts, writes {@code dir/predictions.csv}, submits; prints the server's public score. */
    void submit(Module net, MnistDataset test, Device dev, Map<String, Object> config, Path dir, PrintStream log) throws IOException {
        if (test.size() != info.size()) {
            throw new IllegalArgumentException("--submit: the competition's test set has " + info.size() + " images, this run's " + test.size());
        }
        int[] labels = predict(net, test, dev);
        Files.createDirectories(dir);
        jgrad.tensor.AtomicFile.writeString(dir.resolve("predictions.csv"), PredictionsFile.format(labels));
        BoardClient.Receipt r = client.submit(token, labels, Json.object(config), note);
        log.printf(Locale.ROOT, "Submitted to %s as %s: public score %.2f%% (submission %d of %d today); predictions in %s%n", url, r.name(),
                100 * r.publicScore(), r.today(), r.dailyLimit(), dir.resolve("predictions.csv"));
    }

    /** train's configuration, as the board shows it. */
    static Map<String, Object> config(TrainCommand c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", c.model);
        m.put("optimizer", c.optimizer);
        m.put("lr", c.lr);
        if (c.optimizer.equals("sgd") || c.optimizer.equals("rmsprop")) m.put("momentum", c.momentum);
        if (c.weightDecay != 0) m.put("weight_decay", c.weightDecay);
        m.put("scheduler", c.scheduler);
        m.put("epochs", c.epochs);
        m.put("batch_size", c.batchSize);
        m.put("seed", c.seed);
        return m;
    }

    /** tune's last step: the best trial's model (trial-N/best-model.jgrad) predicts and is submitted with the trial's parameters. */
    void submitBest(List<FrozenTrial> trials, java.util.Optional<FrozenTrial> best, TrainArgs train, Path studyDir, PrintStream log) throws IOException {
        if (best.isEmpty()) throw new IllegalArgumentException("--submit: the study has no completed trial to submit");
        FrozenTrial t = best.get();
        Path dir = studyDir.resolve("trial-" + t.number());
        TrainCommand cmd = train.command(t.params(), List.of("--out", dir.toString()));
        Module net = cmd.modelOptions.build(cmd.model, new Generator(1));
        net.load(dir.resolve(OutputFiles.MODEL));
        MnistDataset test = MnistDataset.load(cmd.dataOptions.dir(log), false);
        Map<String, Object> config = config(cmd);
        config.remove("seed");
        config.put("trial", t.number());
        config.put("trials", trials.size());
        submit(net, test, Device.of(cmd.device), config, dir, log);
    }
}
