package jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jgrad.autograd.NoGrad;
import jgrad.data.Batch;
import jgrad.data.DataLoader;
import jgrad.data.Dataset;
import jgrad.data.TensorDataset;
import jgrad.models.Models;
import jgrad.models.ResNetMini;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.IncompatibleKeys;
import jgrad.nn.Module;
import jgrad.nn.Parameter;
import jgrad.optim.Adam;
import jgrad.optim.Optimizer;
import jgrad.tensor.Generator;
import jgrad.tensor.Safetensors;
import jgrad.tensor.Tensor;
import jgrad.train.History;
import jgrad.train.Trainer;

/**
 * Transfer learning measured: a backbone pretrained by jgrad ({@link Pretraining}) reused on another
 * data set with few labels, four ways, each timed and tested on the target's test set:
 * <ol>
 *   <li>{@link Mode#SCRATCH}: the same network from random weights, everything trained at {@code lr};</li>
 *   <li>{@link Mode#FEATURE_EXTRACT}: the pretrained backbone frozen in evaluation mode, its 64
 *       features per image computed once, only a new head trained on them, for {@code featureEpochs}
 *       (an epoch over cached features costs a tenth of a second, so it gets more of them);</li>
 *   <li>{@link Mode#FINE_TUNE}: the pretrained backbone trained too, at {@code lr × backboneLrScale}, the new head at {@code lr};</li>
 *   <li>{@link Mode#UNFREEZE}: as 3, but the backbone frozen (in evaluation mode) until epoch {@code unfreezeAt}.</li>
 * </ol>
 * Every mode uses Adam, the same batches, the same epochs (feature extraction: its own), and the same seed for the new head. The time is
 * the wall time from loading the weights to the end of training (feature extraction's one pass
 * included, the test pass not).
 *
 * <p>Checked by: {@code jgrad.cli.TransferDemoTest}.
 */
final class TransferDemo {
    /** The four ways, with their names in the table. */
    enum Mode {
        SCRATCH("from scratch"), FEATURE_EXTRACT("feature extraction (frozen backbone, features cached)"), FINE_TUNE("fine-tuning"),
        UNFREEZE("fine-tuning, backbone frozen until an epoch");

        final String title;

        Mode(String title) {
            this.title = title;
        }
    }

    /** Training settings shared by the four modes. */
    record Settings(int epochs, int featureEpochs, int batch, double lr, double backboneLrScale, int unfreezeAt, long seed) {
        Settings {
            if (epochs < 1 || featureEpochs < 1 || batch < 1) throw new IllegalArgumentException("--epochs, --feature-epochs and --batch-size must be ≥ 1");
            if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
            if (!(backboneLrScale >= 0)) throw new IllegalArgumentException("--backbone-lr-scale must be ≥ 0, got " + backboneLrScale);
        }

        /** The unfreezing mode needs an epoch after the first and not after the last. */
        void checkUnfreeze() {
            if (unfreezeAt < 2 || unfreezeAt > epochs) {
                throw new IllegalArgumentException("--unfreeze-at must be in 2.." + epochs + " (an epoch after the first), got " + unfreezeAt);
            }
        }
    }

    /** One row of the table. */
    record Row(Mode mode, double testAccuracy, double seconds, int trainedParameters) {}

    private final Path weights;
    private final Dataset train, test;
    private final Settings s;
    private final PrintStream log;
    /** Extra Trainer callbacks (a test watches the backbone through one). */
    final List<Trainer.Callback> callbacks = new ArrayList<>();
    /** The network of the last {@link #run}. */
    ResNetMini last;

    TransferDemo(Path weights, Dataset train, Dataset test, Settings s, PrintStream log) {
        this.weights = weights;
        this.train = train;
        this.test = test;
        this.s = s;
        this.log = log;
    }

    Row run(Mode mode) throws IOException {
        if (mode == Mode.UNFREEZE) s.checkUnfreeze();
        log.println("== " + mode.title + ": " + train.size() + " labelled training images");
        long t0 = System.nanoTime();
        ResNetMini net = Models.resnetMini(10, new Generator(s.seed()));
        last = net;
        if (mode != Mode.SCRATCH) loadBackbone(net, weights);
        List<Parameter> head = net.fc().parameters(), backbone = backbone(net);
        int trained = 0;
        if (mode == Mode.FEATURE_EXTRACT) {
            backbone.forEach(p -> p.requiresGrad(false));
            Dataset features = features(net, train);
            log.printf(java.util.Locale.ROOT, "features of %d images computed once in %.1f s%n", train.size(), (System.nanoTime() - t0) / 1e9);
            trainer(net.fc(), new Adam(head, s.lr()), features).epochs(s.featureEpochs()).fit();
            trained = count(head);
        } else {
            Optimizer opt = new Adam(mode == Mode.SCRATCH ? net.parameters() : head, s.lr());
            if (mode != Mode.SCRATCH) opt.addParamGroup(backbone, s.lr() * s.backboneLrScale());
            Trainer.Builder b = trainer(net, opt, train);
            if (mode == Mode.UNFREEZE) {
                backbone.forEach(p -> p.requiresGrad(false));
                b.unfreezeAt(s.unfreezeAt(), backbone).callback(new FrozenInEval(net, backbone.get(0)));
            }
            b.fit();
            trained = count(net.parameters());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double accuracy = Pretraining.accuracy(net, test);
        log.printf(java.util.Locale.ROOT, "%s: test accuracy %.2f%% on %,d images, %.1f s%n", mode.title, 100 * accuracy, test.size(), seconds);
        return new Row(mode, accuracy, seconds, trained);
    }

    private Trainer.Builder trainer(Module model, Optimizer opt, Dataset d) {
        Trainer.Builder b = Trainer.builder(model, opt, new CrossEntropyLoss(), new DataLoader(d, s.batch(), true, new Generator(s.seed() + 1)))
                .epochs(s.epochs()).seed(s.seed()).keepBest(false).log(log);
        callbacks.forEach(b::callback);
        return b;
    }

    /** Loads everything but the head from {@code file}: every other key must be there with its shape. */
    static void loadBackbone(ResNetMini net, Path file) throws IOException {
        Map<String, Tensor> state = new HashMap<>(Safetensors.load(file));
        state.remove("fc.weight");
        state.remove("fc.bias");
        IncompatibleKeys left;
        try {
            left = net.loadStateDict(state, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        if (!left.unexpected().isEmpty() || !left.missing().equals(List.of("fc.weight", "fc.bias"))) {
            throw new IllegalArgumentException(file + " is not a " + ResNetMini.NAME + " backbone: missing " + left.missing().stream()
                    .filter(k -> !k.startsWith("fc.")).toList() + ", unexpected " + left.unexpected());
        }
    }

    /** Every parameter but the head's, in state-dict order. */
    static List<Parameter> backbone(ResNetMini net) {
        List<Parameter> out = new ArrayList<>();
        net.namedParameters().forEach((k, p) -> {
            if (!k.startsWith("fc.")) out.add(p);
        });
        return out;
    }

    private static int count(List<Parameter> ps) {
        return ps.stream().mapToInt(Parameter::numel).sum();
    }

    /** The frozen backbone's 64 features of every image of {@code d}, in evaluation mode, once. */
    private static Dataset features(ResNetMini net, Dataset d) {
        net.eval();
        float[] rows = new float[d.size() * ResNetMini.WIDTHS[2]];
        int[] labels = new int[d.size()];
        int at = 0;
        try (NoGrad scope = NoGrad.enter()) {
            for (Batch b : new DataLoader(d, 500, false, null)) {
                Tensor f = net.features(b.inputs());
                System.arraycopy(f.toFloatArray(), 0, rows, at * ResNetMini.WIDTHS[2], f.size(0) * ResNetMini.WIDTHS[2]);
                float[] y = b.targets().toFloatArray();
                for (int i = 0; i < y.length; i++) labels[at + i] = (int) y[i];
                at += f.size(0);
            }
        }
        return new TensorDataset(rows, new int[] {ResNetMini.WIDTHS[2]}, labels);
    }

    /** While the backbone is frozen, it runs in evaluation mode (batch norm keeps the pretrained statistics). */
    private record FrozenInEval(ResNetMini net, Parameter probe) implements Trainer.Callback {
        @Override
        public void onBatchStart(Trainer trainer, int epoch, int batch) {
            if (probe.requiresGrad()) return;
            net.children().forEach((name, m) -> {
                if (!name.equals("fc")) m.eval();
            });
        }

        @Override
        public void onEpochEnd(Trainer trainer, History.Epoch e) {}
    }
}
