package jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import jgrad.autograd.NoGrad;
import jgrad.data.Batch;
import jgrad.data.DataLoader;
import jgrad.data.Dataset;
import jgrad.data.Subset;
import jgrad.data.mnist.MnistDataset;
import jgrad.data.mnist.MnistFiles;
import jgrad.models.ResNetMini;
import jgrad.models.WeightsCache;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Module;
import jgrad.optim.Adam;
import jgrad.tensor.DamagedFileException;
import jgrad.tensor.Generator;
import jgrad.tensor.Safetensors;
import jgrad.train.Trainer;

/**
 * Pretrained weights that jgrad makes itself (no ImageNet weights can be fetched here): a
 * {@link BackboneRecipe} trained once, with a progress bar, and kept in the weights cache
 * ({@code ~/.cache/jgrad/weights}, or {@code -Djgrad.weights.cache=DIR}) as safetensors whose
 * metadata holds the recipe, the test accuracy and the command that made it.
 * <pre>{@code
 * Path w = new Pretraining(WeightsCache.defaultCache().folder(), null, System.out).ensure(BackboneRecipe.fashionMnist(1, 2));
 * ResNetMini net = Models.resnetMini(10, w);   // Fashion-MNIST's classes; replace fc for yours
 * }</pre>
 * {@link #ensure} uses the cached file when it is whole (its CRC32C checks out, see
 * {@link Safetensors}) and its metadata names the same recipe; a damaged or foreign file is said so
 * and built again. Files are written atomically: an interrupted build leaves no file.
 *
 * <p>Checked by: {@code jgrad.cli.PretrainingTest}.
 */
final class Pretraining {
    private final Path folder, dataDir;
    private final PrintStream log;
    private int builds;

    /** Files go to {@code folder}; the data set comes from {@code dataDir} (null: its usual place, see {@link MnistFiles#ensure}). */
    Pretraining(Path folder, Path dataDir, PrintStream log) {
        this.folder = folder;
        this.dataDir = dataDir;
        this.log = log;
    }

    /** The cache's pretrainer: {@link WeightsCache#defaultCache()}'s folder, the data sets where they usually are. */
    static Pretraining defaultCache(PrintStream log) {
        return new Pretraining(WeightsCache.defaultCache().folder(), null, log);
    }

    /** How many times this object has trained a backbone (a cached file costs none). */
    int builds() {
        return builds;
    }

    /** The file for {@code r} in the cache, built first if it is absent, damaged or made by another recipe. */
    Path ensure(BackboneRecipe r) throws IOException {
        Path file = folder.resolve(r.fileName());
        if (Files.isRegularFile(file)) {
            String why;
            try {
                why = r.mismatch(Safetensors.read(file).metadata());
            } catch (DamagedFileException e) {
                why = "is damaged: " + e.getMessage();
            }
            if (why == null) {
                log.println("pretrained backbone: " + file + " (cached)");
                return file;
            }
            log.println(file + " " + why + "; building it again");
        } else {
            log.println("pretrained backbone " + r.fileName() + " is not in " + folder + "; building it once with '" + r.command() + "'");
        }
        build(r, file);
        return file;
    }

    /** What a build measured. */
    record Built(Path file, int trainImages, int testImages, double testAccuracy, double seconds) {}

    /** Trains {@code r} and writes it to {@code out} (replacing any file there). */
    Built build(BackboneRecipe r, Path out) throws IOException {
        Path dir = MnistFiles.ensure(r.dataset(), dataDir, log);
        Dataset train = MnistDataset.load(dir, true), test = MnistDataset.load(dir, false);
        if (r.limit() > 0) {
            train = Subset.range(train, 0, Math.min(r.limit(), train.size()));
            test = Subset.range(test, 0, Math.min(r.limit(), test.size()));
        }
        long t0 = System.nanoTime();
        ResNetMini net = new ResNetMini(1, MnistDataset.CLASSES, new Generator(r.seed()));
        log.printf(Locale.ROOT, "pretraining %s on %s: %,d training images, %d epochs, seed %d%n", r.arch(), r.dataset(), train.size(), r.epochs(), r.seed());
        Trainer.builder(net, new Adam(net.parameters(), BackboneRecipe.LR), new CrossEntropyLoss(),
                        new DataLoader(train, BackboneRecipe.BATCH, true, new Generator(r.seed() + 1)))
                .epochs(r.epochs()).seed(r.seed()).keepBest(false).log(log).callback(new Milestones(log)).fit();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double accuracy = accuracy(net, test);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Safetensors.save(net.stateDict(), r.metadata(train.size(), test.size(), accuracy, seconds), out);
        builds++;
        log.printf(Locale.ROOT, "pretrained %s: test accuracy %.2f%% on %,d %s test images after %.0f s; wrote %s%n", r.arch(), 100 * accuracy,
                test.size(), r.dataset(), seconds, out);
        return new Built(out, train.size(), test.size(), accuracy, seconds);
    }

    /** Where no progress bar is drawn (a log file, a pipe): a line at every tenth of an epoch, so a long build shows it is moving. */
    private record Milestones(PrintStream log) implements Trainer.Callback {
        @Override
        public void onBatchEnd(Trainer t, int epoch, int batch, float loss) {
            int total = t.trainLoader().numBatches(), step = Math.max(1, total / 10);
            if (!jgrad.train.ProgressBar.isTerminal() && (batch + 1) % step == 0 && batch + 1 < total) {
                log.printf(Locale.ROOT, "  epoch %d: %d/%d batches, loss %.4f%n", epoch, batch + 1, total, loss);
            }
        }

        @Override
        public void onEpochEnd(Trainer t, jgrad.train.History.Epoch e) {}
    }

    /** The share of {@code d} that {@code net} classifies right, in evaluation mode. */
    static double accuracy(Module net, Dataset d) {
        net.eval();
        long right = 0;
        try (NoGrad scope = NoGrad.enter()) {
            for (Batch b : new DataLoader(d, 500, false, null)) {
                float[] p = net.forward(b.inputs()).argmax(1, false).toFloatArray(), y = b.targets().toFloatArray();
                for (int i = 0; i < p.length; i++) if (p[i] == y[i]) right++;
            }
        }
        return (double) right / d.size();
    }
}
