package jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jgrad.autograd.NoGrad;
import jgrad.data.Batch;
import jgrad.data.DataLoader;
import jgrad.data.Dataset;
import jgrad.data.Samplers;
import jgrad.data.Splits;
import jgrad.data.Subset;
import jgrad.data.TensorDataset;
import jgrad.metrics.ConfusionMatrix;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Module;
import jgrad.nn.Parameter;
import jgrad.optim.LRScheduler;
import jgrad.optim.Optimizer;
import jgrad.tensor.AtomicFile;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import jgrad.train.History;
import jgrad.train.Trainer;
import jgrad.vision.ImageClassification;
import jgrad.vision.ImageDataset;
import jgrad.vision.Transform;
import jgrad.vision.TransformSpec;
import jgrad.vision.Transforms;

/**
 * {@code ./jgrad train --images DIR | --labels CSV}: a zoo model trained on your pictures, with
 * pretrained weights, freezing, unfreezing, a scaled backbone rate or feature extraction
 * ({@link TransferOptions}); pictures prepared as the weights were trained ({@link NamedWeights},
 * {@link jgrad.vision.ImageClassification}). Writes the history, plots, a confusion matrix and
 * predictions named by class, and the model ({@link ImageModelFile}).
 *
 * <p>Checked by: {@code jgrad.cli.TransferTrainTest}, {@code jgrad.cli.FeatureExtractTest}, {@code jgrad.cli.NamedWeightsTrainTest}.
 */
final class ImageTraining {
    private final TrainCommand c;
    private final ImageFolderOptions io;
    private final TransferOptions to;
    private final PrintStream log = System.out;

    ImageTraining(TrainCommand c) {
        this.c = c;
        this.io = c.imageOptions;
        this.to = c.transferOptions;
    }

    /** {@code valSizeGiven}: --val-size was on the command line; {@code modelGiven}: --model was (else a named weight's architecture is used). */
    int run(boolean valSizeGiven, boolean modelGiven) throws IOException {
        to.validate(c.epochs);
        if (c.checkpoint != null) throw new IllegalArgumentException("--checkpoint is for MNIST runs; with --images the model is written to --out");
        Device dev = Device.of(c.device);
        Device.setDefault(dev);
        NamedWeights named = to.weights == null ? null : NamedWeights.of(to.weights);
        String arch = named != null && !modelGiven ? named.arch() : c.model;
        if (named != null) named.checkModel(arch);
        if (!TransferModel.ARCHS.contains(arch)) {
            throw new IllegalArgumentException("--model " + arch + " with --images: give one of " + String.join(", ", TransferModel.ARCHS));
        }
        ImageClassification prep = io.preprocessing(named != null ? named.preprocessing() : TransferModel.defaultPreprocessing(arch));
        Transform plain = prep.transform();
        Transform augmented = io.augment == null ? plain : Transforms.compose(prep.geometry(), TransformSpec.parse(io.augment), prep.normalization());
        ImageDataset all = io.load(augmented, c.seed), clean = io.load(plain, c.seed);
        double f = valSizeGiven ? (double) c.valSize / all.size() : io.valFraction;
        if (!(f > 0 && f < 1)) throw new IllegalArgumentException("--val-size " + c.valSize + " of " + all.size() + " pictures: leave some for training");
        Subset train = Splits.stratified(all, new double[] {1 - f, f}, new Generator(c.seed)).get(0);
        Subset val = Splits.stratified(clean, new double[] {1 - f, f}, new Generator(c.seed)).get(1);
        if (train.size() == 0 || val.size() == 0) {
            throw new IllegalArgumentException(all + ": " + train.size() + " training and " + val.size() + " validation pictures; give more pictures or another --val-fraction");
        }
        List<String> classes = all.classes();
        TransferModel m = TransferModel.create(arch, classes.size(), prep.channels(), c.seed);
        if (to.weights != null) m.loadWeights(NamedWeights.file(to.weights, to.weightsSha256, c.dataOptions.data(), log), log);
        List<Parameter> frozen = m.freeze(to.featureExtract ? "backbone" : to.freeze);
        Optimizer opt = optimizer(m, frozen);
        LRScheduler schedule = c.schedule(opt);
        log.printf(Locale.ROOT, "%s on %s: %d training, %d validation pictures at %s; %d of %d parameter tensors frozen%s; %s lr %s, batch %d, %d epochs%n",
                m.arch, all, train.size(), val.size(), prep, frozen.size(), m.net.parameters().size(),
                to.featureExtract ? " (feature extraction)" : "", c.optimizer, c.lr, c.batchSize, c.epochs);
        History h;
        if (to.featureExtract) {
            long t0 = System.nanoTime();
            m.net.eval();
            Dataset ftrain = features(m, train, dev), fval = features(m, val, dev);
            log.printf(Locale.ROOT, "features of %d pictures computed once in %.1f s%n", train.size() + val.size(), (System.nanoTime() - t0) / 1e9);
            h = c.configure(Trainer.builder(m.head(), opt, new CrossEntropyLoss(), trainLoader(ftrain).device(dev))
                    .validation(new DataLoader(fval, 256, false, null).device(dev)).epochs(c.epochs).seed(c.seed).log(log), opt, schedule).fit();
        } else {
            Trainer.Builder b = Trainer.builder(m.net, opt, new CrossEntropyLoss(), trainLoader(train).numWorkers(io.workers).device(dev))
                    .validation(new DataLoader(val, 256, false, null).numWorkers(io.workers).device(dev))
                    .epochs(c.epochs).seed(c.seed).log(log).profile(c.profile).callback(new FrozenInEval(m));
            if (to.unfreezeAt > 0) b.unfreezeAt(to.unfreezeAt, frozen);
            h = c.configure(b, opt, schedule).fit();
        }
        ImageModelFile file = new ImageModelFile(m.arch, prep, classes);
        ConfusionMatrix confusion = new ConfusionMatrix(classes.size());
        StringBuilder predictions = new StringBuilder("file,true,predicted,probability\n");
        m.net.eval();
        try (NoGrad scope = NoGrad.enter()) {
            int at = 0;
            for (Batch batch : new DataLoader(val, 256, false, null).numWorkers(io.workers).device(dev)) {
                Tensor p = jgrad.nn.Functional.softmax(m.net.forward(batch.inputs()), 1);
                float[] pred = p.argmax(1, false).toFloatArray(), truth = batch.targets().toFloatArray(), prob = p.toFloatArray();
                for (int i = 0; i < pred.length; i++, at++) {
                    confusion.add((int) truth[i], (int) pred[i]);
                    predictions.append(csv(clean.file(val.baseIndex(at)).toString())).append(',').append(csv(classes.get((int) truth[i])))
                            .append(',').append(csv(classes.get((int) pred[i]))).append(',')
                            .append(String.format(Locale.ROOT, "%.4f", prob[i * classes.size() + (int) pred[i]])).append('\n');
                }
            }
        }
        Path out = c.out;
        file.save(m.net, out);
        h.writeCsv(out.resolve("history.csv"));
        h.writeJson(out.resolve("history.json"));
        AtomicFile.writeString(out.resolve("predictions.csv"), predictions.toString());
        Plots.loss(h, out.resolve("loss.png"));
        Plots.accuracy(h, out.resolve("accuracy.png"));
        Plots.confusion(confusion, classes, out.resolve("confusion.png"));
        log.println();
        confusion.printReport(log, classes);
        log.printf(Locale.ROOT, "classes: %s%nBest epoch %d (validation loss %.4f); validation accuracy %.2f%% with its weights. Wrote %s%n",
                String.join(", ", classes), h.bestEpoch(), h.epochs().get(h.bestEpoch() - 1).valLoss(), 100 * confusion.accuracy(), out);
        if (c.json != null) {
            Map<String, Object> s = file.summary();
            s.put("optimizer", c.optimizer);
            s.put("lr", c.lr);
            s.put("freeze", to.featureExtract ? "feature-extract" : to.freeze);
            s.put("backbone_lr_scale", to.backboneLrScale);
            s.put("unfreeze_at", to.unfreezeAt);
            s.put("weights", to.weights);
            s.put("epochs", h.epochs().size());
            s.put("best_epoch", h.bestEpoch());
            s.put("val_accuracy", confusion.accuracy());
            s.put("final_train_loss", h.last().trainLoss());
            s.put("train_seconds", h.epochs().stream().mapToDouble(History.Epoch::seconds).sum());
            s.put("seed", c.seed);
            AtomicFile.writeString(c.json, jgrad.train.Json.object(s));
        }
        return 0;
    }

    /**
     * The head's parameters at --lr; the rest of the backbone at --lr × --backbone-lr-scale. Frozen
     * parameters are left out, unless --unfreeze-at will need them (then they are in the backbone's
     * group, skipped until unfrozen).
     */
    Optimizer optimizer(TransferModel m, List<Parameter> frozen) {
        List<Parameter> head = m.head().parameters(), backbone = new ArrayList<>();
        for (Parameter p : m.backbone()) {
            if (p.requiresGrad() || to.unfreezeAt > 0) backbone.add(p);
        }
        Optimizer opt = c.optimizer(head);
        if (!backbone.isEmpty()) opt.addParamGroup(backbone, c.lr * to.backboneLrScale);
        return opt;
    }

    private DataLoader trainLoader(Dataset d) {
        Generator g = new Generator(c.seed + 1);
        return io.balanced ? new DataLoader(d, c.batchSize, Samplers.weighted(Samplers.classBalancedWeights(d), d.size(), g))
                : new DataLoader(d, c.batchSize, true, g);
    }

    /** The frozen backbone's output for every picture of {@code d}, once, in order, kept in memory. */
    private Dataset features(TransferModel m, Dataset d, Device dev) {
        float[] rows = null;
        int[] labels = new int[d.size()];
        int width = 0, at = 0;
        try (NoGrad scope = NoGrad.enter()) {
            for (Batch b : new DataLoader(d, 64, false, null).numWorkers(io.workers).device(dev)) {
                Tensor f = m.features(b.inputs());
                if (rows == null) {
                    width = f.size(1);
                    rows = new float[d.size() * width];
                }
                System.arraycopy(f.toFloatArray(), 0, rows, at * width, f.size(0) * width);
                float[] y = b.targets().toFloatArray();
                for (int i = 0; i < y.length; i++) labels[at + i] = (int) y[i];
                at += f.size(0);
            }
        }
        return new TensorDataset(rows, new int[] {width}, labels);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Keeps wholly frozen top-level layers in evaluation mode (batch norm keeps its pretrained statistics), re-checked each epoch for --unfreeze-at. */
    private static final class FrozenInEval implements Trainer.Callback {
        private final TransferModel m;
        private List<Module> frozen = List.of();

        FrozenInEval(TransferModel m) {
            this.m = m;
        }

        @Override
        public void onEpochStart(Trainer trainer, int epoch) {
            frozen = m.frozenChildren();
        }

        @Override
        public void onBatchStart(Trainer trainer, int epoch, int batch) {
            for (Module f : frozen) f.eval();
        }

        @Override
        public void onEpochEnd(Trainer trainer, History.Epoch e) {}
    }
}
