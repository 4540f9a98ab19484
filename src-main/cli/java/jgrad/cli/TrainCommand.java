package jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jgrad.autograd.NoGrad;
import jgrad.mnist.DataOptions;
import jgrad.mnist.ModelOptions;
import jgrad.train.Json;
import jgrad.data.Batch;
import jgrad.data.DataLoader;
import jgrad.data.Subset;
import jgrad.data.mnist.MnistDataset;
import jgrad.metrics.ConfusionMatrix;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Module;
import jgrad.optim.Adagrad;
import jgrad.optim.Adam;
import jgrad.optim.AdamW;
import jgrad.optim.CosineAnnealingLR;
import jgrad.optim.ExponentialLR;
import jgrad.optim.LRScheduler;
import jgrad.optim.MultiStepLR;
import jgrad.optim.Optimizer;
import jgrad.optim.RMSprop;
import jgrad.optim.ReduceLROnPlateau;
import jgrad.optim.SGD;
import jgrad.optim.StepLR;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.train.History;
import jgrad.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jgrad train}: the training toolkit on the built-in models and datasets. Trains with a
 * validation split, keeps the best weights, and writes the history, loss and accuracy plots, the
 * test set's confusion matrix and the best model into {@code --out}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a built-in model (mlp, lenet, vgg, lstm) on MNIST or Fashion-MNIST with any optimizer and LR schedule; "
                + "validation split, best weights, early stopping, checkpoints and --resume, history and plots.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "lenet",
            description = "mlp, lenet, vgg or lstm; with --images a zoo model: resnet18, resnet34, resnet50, vgg11, vgg11_bn, vgg16, vgg16_bn, mobilenet_v2, "
                    + "or resnet_mini (default: ${DEFAULT-VALUE}; with --images and named --weights, the weights' model)")
    String model;
    @picocli.CommandLine.Mixin
    DataOptions dataOptions = new DataOptions();
    @picocli.CommandLine.Mixin
    ModelOptions modelOptions = new ModelOptions();
    @picocli.CommandLine.Mixin
    ImageFolderOptions imageOptions = new ImageFolderOptions();
    @picocli.CommandLine.Mixin
    TransferOptions transferOptions = new TransferOptions();
    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd, adam, adamw, adagrad or rmsprop (default: ${DEFAULT-VALUE})")
    String optimizer;
    @Option(names = "--lr", defaultValue = "0.05", description = "learning rate (default: ${DEFAULT-VALUE})")
    float lr;
    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD / RMSprop momentum (default: ${DEFAULT-VALUE})")
    float momentum;
    @Option(names = "--weight-decay", defaultValue = "0", description = "weight decay λ (default: ${DEFAULT-VALUE})")
    float weightDecay;
    @Option(names = "--scheduler", defaultValue = "none",
            description = "none, step, multistep, exponential, cosine or plateau (default: ${DEFAULT-VALUE})")
    String scheduler;
    @Option(names = "--step-size", defaultValue = "3", description = "step: epochs between drops (default: ${DEFAULT-VALUE})")
    int stepSize;
    @Option(names = "--milestones", split = ",", defaultValue = "5,8", description = "multistep: epochs of the drops (default: ${DEFAULT-VALUE})")
    List<Integer> milestones;
    @Option(names = "--gamma", defaultValue = "0.5", description = "step, multistep, exponential: the factor (default: ${DEFAULT-VALUE})")
    double gamma;
    @Option(names = "--plateau-patience", defaultValue = "2", description = "plateau: epochs without improvement (default: ${DEFAULT-VALUE})")
    int plateauPatience;
    @Option(names = "--epochs", defaultValue = "10", description = "(default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--batch-size", defaultValue = "64", description = "(default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--val-size", defaultValue = "5000", description = "training images held out for validation (default: ${DEFAULT-VALUE})")
    int valSize;
    @Option(names = "--early-stop", defaultValue = "0", description = "stop after this many epochs without a better validation loss (0: never)")
    int earlyStop;
    @Option(names = "--divergence-factor", defaultValue = "1e4",
            description = "stop when a batch loss exceeds this many times the first batch's (0: never) (default: ${DEFAULT-VALUE})")
    double divergenceFactor;
    @Option(names = "--checkpoint", paramLabel = "DIR", description = "write a checkpoint after every epoch here")
    Path checkpoint;
    @Option(names = "--resume", description = "continue from the checkpoint in --checkpoint (which must exist, from the same model, optimizer and data)")
    boolean resume;
    @Option(names = "--resume-anyway", description = "with --resume: continue from a checkpoint of a different optimizer or data set, saying what is dropped")
    boolean resumeAnyway;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/train",
            description = "history.csv/json, loss.png, accuracy.png, confusion.png, best-model.jgrad (default: ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--json", paramLabel = "FILE", description = "a summary of the run as JSON")
    Path json;
    @Option(names = "--seed", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, reference, opencl or opencl:N (default: ${DEFAULT-VALUE})")
    String device;
    @Option(names = "--profile", description = "print per-module forward/backward times and the data/compute split at the end")
    boolean profile;

    @picocli.CommandLine.Mixin
    SubmitOptions submitOptions = new SubmitOptions();

    /** Where the run's progress goes; {@code tune} sends each trial's to a file. */
    PrintStream log = System.out;
    /** Extra callbacks for the Trainer: {@code tune} reports each epoch to its trial and prunes through one. */
    final List<Trainer.Callback> callbacks = new java.util.ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if ((resume || resumeAnyway) && checkpoint == null) throw new IllegalArgumentException("--resume needs --checkpoint DIR");
        resume |= resumeAnyway;
        if (resume && spec != null && spec.commandLine().getParseResult().hasMatchedOption("--lr")) {
            throw new IllegalArgumentException("--lr cannot change a resumed run: the checkpoint carries the optimizer's learning rate "
                    + "and schedule; leave out --lr, or start a new run with another --checkpoint folder");
        }
        OutputFiles.checkBeforeTraining(out, json, OutputFiles.MODEL, "history.csv", "history.json", "loss.png", "accuracy.png",
                "confusion.png");
        if (epochs < 1 || batchSize < 1) throw new IllegalArgumentException("--epochs and --batch-size must be ≥ 1");
        if (earlyStop < 0) throw new IllegalArgumentException("--early-stop must be ≥ 0 (0: never), got " + earlyStop);
        if (!(divergenceFactor == 0 || divergenceFactor > 1)) {
            throw new IllegalArgumentException("--divergence-factor must be > 1 (or 0: never), got " + divergenceFactor);
        }
        if (imageOptions.given() && submitOptions.url != null) throw new IllegalArgumentException("--submit works with --dataset mnist or fashion-mnist, not --images");
        if (imageOptions.given()) {
            boolean valSizeGiven = spec != null && spec.commandLine().getParseResult().hasMatchedOption("--val-size");
            boolean modelGiven = spec == null || spec.commandLine().getParseResult().hasMatchedOption("--model");
            return new ImageTraining(this).run(valSizeGiven, modelGiven);
        }
        Device dev = Device.of(device);
        Path dir = dataOptions.dir(log);
        String dataset = dataOptions.dataset();
        boolean submit = submitOptions.check(dataset);
        MnistDataset full = MnistDataset.load(dir, true), test = MnistDataset.load(dir, false);
        if (valSize < 1 || valSize >= full.size()) {
            throw new IllegalArgumentException("--val-size must be in 1.." + (full.size() - 1) + ", got " + valSize);
        }
        Subset train = Subset.range(full, 0, full.size() - valSize), val = Subset.range(full, full.size() - valSize, full.size());
        Device.setDefault(dev);
        Module net = modelOptions.build(model, new Generator(seed));
        Optimizer opt = optimizer(net.parameters());
        LRScheduler schedule = schedule(opt);
        log.printf(Locale.ROOT, "%s on %s: %,d training, %,d validation, %,d test images; %s %s, %s schedule, batch %d, %d epochs, device %s%n",
                model, dataset, train.size(), val.size(), test.size(), optimizer, resume ? "lr from the checkpoint" : "lr " + lr, scheduler,
                batchSize, epochs, dev);
        Trainer.Builder b = Trainer.builder(net, opt, new CrossEntropyLoss(), new DataLoader(train, batchSize, true, new Generator(seed + 1)).device(dev))
                .validation(new DataLoader(val, 1000, false, null).device(dev)).epochs(epochs).seed(seed).log(log).profile(profile);
        configure(b, opt, schedule);
        if (checkpoint != null) {
            b.checkpoints(checkpoint).resume(resume).resumeAnyway(resumeAnyway).runInfo("model", model)
                    .runInfo("data", dataset + " " + train.size() + " training / " + val.size() + " validation");
        }
        History h = b.fit();

        ConfusionMatrix confusion = new ConfusionMatrix(MnistDataset.CLASSES);
        net.eval();
        try (NoGrad scope = NoGrad.enter()) {
            for (Batch batch : new DataLoader(test, 1000, false, null).device(dev)) {
                confusion.add(net.forward(batch.inputs()).argmax(1, false), batch.targets());
            }
        }
        OutputFiles.saveOrRescue(net, out, () -> {
            h.writeCsv(out.resolve("history.csv"));
            h.writeJson(out.resolve("history.json"));
            Plots.loss(h, out.resolve("loss.png"));
            Plots.accuracy(h, out.resolve("accuracy.png"));
            Plots.confusion(confusion, out.resolve("confusion.png"));
        });
        log.println();
        confusion.printReport(log);
        log.printf(Locale.ROOT, "%nBest epoch %d (validation loss %.4f); test accuracy %.2f%% with its weights. Wrote %s%n",
                h.bestEpoch(), h.epochs().get(h.bestEpoch() - 1).valLoss(), 100 * confusion.accuracy(), out);
        if (json != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("model", model);
            s.put("dataset", dataset);
            s.put("optimizer", optimizer);
            s.put("scheduler", scheduler);
            s.put("loss", "cross-entropy");
            s.put("lr", lr);
            s.put("momentum", momentum);
            s.put("weight_decay", weightDecay);
            s.put("epochs", h.epochs().size());
            s.put("batch_size", batchSize);
            s.put("best_epoch", h.bestEpoch());
            s.put("test_accuracy", confusion.accuracy());
            s.put("final_train_loss", h.last().trainLoss());
            double seconds = h.epochs().stream().mapToDouble(History.Epoch::seconds).sum();
            s.put("train_seconds", seconds);
            s.put("images_per_second", h.epochs().size() * (double) train.size() / seconds);
            s.put("seed", seed);
            s.put("device", device);
            jgrad.tensor.AtomicFile.writeString(json, Json.object(s));
        }
        if (submit) submitOptions.submit(net, test, dev, SubmitOptions.config(this), out, log);
        return 0;
    }

    /** The --optimizer over {@code params} at --lr. */
    Optimizer optimizer(List<jgrad.nn.Parameter> params) {
        return switch (optimizer) {
            case "sgd" -> new SGD(params, lr, momentum, weightDecay);
            case "adam" -> new Adam(params, lr, 0.9f, 0.999f, 1e-8f, weightDecay);
            case "adamw" -> new AdamW(params, lr, 0.9f, 0.999f, 1e-8f, weightDecay, false);
            case "adagrad" -> new Adagrad(params, lr, 0f, weightDecay, 0f, 1e-10f);
            case "rmsprop" -> new RMSprop(params, lr, 0.99f, 1e-8f, weightDecay, momentum, false);
            default -> throw new IllegalArgumentException("--optimizer must be sgd, adam, adamw, adagrad or rmsprop, got '" + optimizer + "'");
        };
    }

    /** The --scheduler over {@code opt}, null for none or plateau (see {@link #configure}). */
    LRScheduler schedule(Optimizer opt) {
        return switch (scheduler) {
            case "none", "plateau" -> null;
            case "step" -> new StepLR(opt, stepSize, gamma);
            case "multistep" -> new MultiStepLR(opt, milestones.stream().mapToInt(Integer::intValue).toArray(), gamma);
            case "exponential" -> new ExponentialLR(opt, gamma);
            case "cosine" -> new CosineAnnealingLR(opt, epochs, 0);
            default -> throw new IllegalArgumentException("--scheduler must be none, step, multistep, exponential, cosine or plateau, got '" + scheduler + "'");
        };
    }

    /** The options every run shares: schedule, plateau, early stopping, divergence guard, extra callbacks (tune's). */
    Trainer.Builder configure(Trainer.Builder b, Optimizer opt, LRScheduler schedule) {
        if (schedule != null) b.scheduler(schedule);
        if (scheduler.equals("plateau")) {
            b.plateau(new ReduceLROnPlateau(opt, ReduceLROnPlateau.Mode.MIN, 0.1, plateauPatience, 1e-4, ReduceLROnPlateau.ThresholdMode.REL, 0, 0, 1e-8));
        }
        if (earlyStop > 0) b.earlyStopping(earlyStop, 0);
        callbacks.forEach(b::callback);
        return b.divergenceFactor(divergenceFactor);
    }
}
