package jgrad.mnist;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jgrad.autograd.NoGrad;
import jgrad.train.Json;
import jgrad.train.ProgressBar;
import jgrad.data.Batch;
import jgrad.metrics.ConfusionMatrix;
import jgrad.data.DataLoader;
import jgrad.data.mnist.MnistDataset;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Functional;
import jgrad.nn.Loss;
import jgrad.nn.MSELoss;
import jgrad.nn.Module;
import jgrad.nn.QuadraticCost;
import jgrad.nn.Sequential;
import jgrad.nn.Sigmoid;
import jgrad.optim.SGD;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jgrad mnist}: trains 3Blue1Brown's network, a⁽ˡ⁾ = σ(W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾) with layers
 * 784-16-16-10, on MNIST with mini-batch SGD, and reports how it did.
 */
@Command(name = "mnist", mixinStandardHelpOptions = true,
        description = "Train 3Blue1Brown's 784-16-16-10 network on MNIST (fetched on first use).")
public final class MnistCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    DataOptions dataOptions = new DataOptions();
    @Option(names = "--model", defaultValue = "mlp", description = "mlp (3Blue1Brown's, see --hidden), lenet (LeNet-5), vgg (a small VGG-style net) or lstm (an LSTM reading the rows) (default: ${DEFAULT-VALUE})")
    String modelName;
    @picocli.CommandLine.Mixin
    ModelOptions modelOptions = new ModelOptions();
    @Option(names = "--loss", defaultValue = "cross-entropy", description = "cost (3Blue1Brown's Σ(a−y)², sigmoid output), mse, or cross-entropy (default: ${DEFAULT-VALUE})")
    String loss;
    @Option(names = "--epochs", defaultValue = "10", description = "passes over the training set (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--batch-size", defaultValue = "32", description = "mini-batch size (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--lr", description = "learning rate η (default: 0.1 for mlp, 0.05 for lenet and vgg)")
    Float lrOption;
    float lr;
    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum μ (default: ${DEFAULT-VALUE})")
    float momentum;
    @Option(names = "--lr-decay", defaultValue = "0.75", description = "multiply the learning rate by this after each epoch, η ← γ·η (default: ${DEFAULT-VALUE})")
    float lrDecay;
    @Option(names = "--seed", defaultValue = "1", description = "random seed for weights and shuffling (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, reference, opencl or opencl:N (./jgrad devices lists them; default: ${DEFAULT-VALUE})")
    String device;
    @Option(names = "--show", defaultValue = "6", description = "test digits to draw at the end (default: ${DEFAULT-VALUE})")
    int show;
    @Option(names = "--json", paramLabel = "FILE", description = "write a summary of the run as JSON")
    Path json;
    @Option(names = "--normalize", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "standardize pixels with MNIST's mean 0.1307 and std 0.3081, as torchvision's Normalize (default: ${DEFAULT-VALUE})")
    boolean normalize;

    /** Mean and standard deviation of MNIST's training pixels (in [0, 1]), the values torchvision's examples use. */
    static final float PIXEL_MEAN = 0.1307f, PIXEL_STD = 0.3081f;

    private final PrintStream out = System.out;
    /** Seconds from process start (the launcher, which execs the JVM in the same process) to the end of the first step. */
    private double firstStepSeconds = Double.NaN, firstStepCpuSeconds = Double.NaN;

    @Override
    public Integer call() throws IOException {
        validate();
        if (json != null) jgrad.tensor.AtomicFile.checkWritableFile(json, "--json");
        Device dev = Device.of(device);
        Path dir = dataOptions.dir(out);
        String dataset = dataOptions.dataset();
        MnistDataset train = MnistDataset.load(dir, true), test = MnistDataset.load(dir, false);

        Device.setDefault(dev);  // parameters and every tensor made from here on live on the chosen device
        Module model = buildModel(new Generator(seed));
        Loss criterion = switch (loss) {
            case "cost" -> new QuadraticCost();
            case "mse" -> new MSELoss();
            default -> new CrossEntropyLoss();
        };
        out.printf("%s: %,d training and %,d test images from %s%n", dataset, train.size(), test.size(), dir);
        out.println(model);
        out.printf(Locale.ROOT, "loss %s, SGD lr %s (×%s per epoch) momentum %s, batch %d, %d epochs, seed %d, device %s%n%n",
                loss, lr, lrDecay, momentum, batchSize, epochs, seed, dev);

        DataLoader trainLoader = new DataLoader(train, batchSize, true, new Generator(seed + 1)).device(dev);
        DataLoader testLoader = new DataLoader(test, 256, false, null).device(dev);
        SGD optimizer = new SGD(model.parameters(), lr, momentum, 0f);

        double trainSeconds = 0, lastLoss = Double.NaN;
        ConfusionMatrix confusion = null;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            double meanLoss = train(model, criterion, optimizer, trainLoader);
            lastLoss = meanLoss;
            optimizer.setLr(optimizer.lr() * lrDecay);  // a decaying learning rate: big steps first, then fine ones
            double seconds = (System.nanoTime() - t0) / 1e9;
            trainSeconds += seconds;
            confusion = evaluate(model, testLoader);
            out.printf(Locale.ROOT, "epoch %2d/%d  train loss %.4f  test accuracy %6.2f%%  %,9.0f images/s  (%.1f s)%n",
                    epoch, epochs, meanLoss, 100 * confusion.accuracy(), trainLoader.numSamples() / seconds, seconds);
        }
        double imagesPerSecond = epochs * (double) trainLoader.numSamples() / trainSeconds;
        out.println();
        if (confusion != null) {
            confusion.print(out);
            showDigits(model, test);
            out.printf(Locale.ROOT, "%nTest accuracy %.2f%% after %d epochs; training took %.1f s (%,.0f images/s).%n",
                    100 * confusion.accuracy(), epochs, trainSeconds, imagesPerSecond);
            out.printf(Locale.ROOT, "First training step done %.2f s after the process started (%.2f s of CPU time, all threads).%n",
                    firstStepSeconds, firstStepCpuSeconds);
        }
        if (json != null) writeSummary(confusion == null ? 0 : confusion.accuracy(), lastLoss, trainSeconds, imagesPerSecond);
        return 0;
    }

    /** One epoch of mini-batch SGD; returns the mean training loss. */
    double train(Module model, Loss criterion, SGD optimizer, DataLoader loader) {
        model.train();
        ProgressBar bar = new ProgressBar(out, loader.numBatches());
        long t0 = System.nanoTime();
        double lossSum = 0;
        int batches = 0, seen = 0;
        for (Batch batch : loader) {
            Tensor output = model.forward(input(batch.inputs()));  // a⁽ᴸ⁾ (or logits)
            Tensor cost = criterion.forward(output, target(batch));  // C
            optimizer.zeroGrad();
            cost.backward();                                        // ∂C/∂W, ∂C/∂b for every layer
            optimizer.step();                                       // W ← W − η ∂C/∂W
            lossSum += cost.item();
            batches++;
            if (Double.isNaN(firstStepSeconds)) {
                firstStepSeconds = secondsSinceProcessStart();
                firstStepCpuSeconds = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
            }
            seen += batch.size();
            double rate = seen / ((System.nanoTime() - t0) / 1e9);
            bar.update(batches, String.format(Locale.ROOT, "loss %.4f  %,.0f img/s", lossSum / batches, rate));
        }
        bar.finish();
        return lossSum / batches;
    }

    /** Seconds since this process started (10 ms resolution on Linux, where it comes from /proc), or NaN if unknown. */
    static double secondsSinceProcessStart() {
        return ProcessHandle.current().info().startInstant()
                .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toNanos() / 1e9).orElse(Double.NaN);
    }

    /** x ↦ (x − mean) / std when normalizing: inputs centred near 0 keep sigmoids out of their flat ends. */
    private Tensor input(Tensor pixels) {
        return normalize ? pixels.sub(PIXEL_MEAN).div(PIXEL_STD) : pixels;
    }

    /** Class indices for cross-entropy; one-hot rows for the squared-error costs (the slide's y). */
    private Tensor target(Batch batch) {
        return loss.equals("cross-entropy") ? batch.targets() : Functional.oneHot(batch.targets(), MnistDataset.CLASSES);
    }

    private ConfusionMatrix evaluate(Module model, DataLoader loader) {
        model.eval();
        ConfusionMatrix m = new ConfusionMatrix(MnistDataset.CLASSES);
        try (NoGrad scope = NoGrad.enter()) {
            for (Batch batch : loader) {
                float[] predicted = model.forward(input(batch.inputs())).argmax(1, false).toFloatArray();
                float[] truth = batch.targets().toFloatArray();
                for (int i = 0; i < predicted.length; i++) m.add((int) truth[i], (int) predicted[i]);
            }
        }
        return m;
    }

    /** Draws the first few test images, with one or two mistakes among them if there are any. */
    private void showDigits(Module model, MnistDataset test) {
        if (show <= 0) return;
        float[] predicted;
        int n = Math.min(test.size(), 200);
        int[] first = new int[n];
        for (int i = 0; i < n; i++) first[i] = i;
        try (NoGrad scope = NoGrad.enter()) {
            predicted = model.forward(input(test.batch(first, Device.of(device)).inputs())).argmax(1, false).toFloatArray();
        }
        List<Integer> wrong = new ArrayList<>(), right = new ArrayList<>();
        for (int i = 0; i < n; i++) ((int) predicted[i] == test.label(i) ? right : wrong).add(i);
        List<Integer> picked = new ArrayList<>(wrong.subList(0, Math.min(wrong.size(), Math.max(1, show / 3))));
        for (int i = 0; picked.size() < Math.min(show, n) && i < right.size(); i++) picked.add(right.get(i));
        picked.sort(null);
        out.println();
        for (int start = 0; start < picked.size(); start += 4) {
            List<byte[]> images = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (int idx : picked.subList(start, Math.min(picked.size(), start + 4))) {
                images.add(test.pixels(idx));
                int p = (int) predicted[idx];
                captions.add(String.format("#%d predicted %d / true %d%s", idx, p, test.label(idx), p == test.label(idx) ? "" : " ✗"));
            }
            DigitArt.print(out, images, captions);
            out.println();
        }
    }

    /** 3Blue1Brown's network (or LeNet-5, or the small VGG-style net), built from the seeded generator. */
    Module buildModel(Generator g) {
        Module net = modelOptions.build(modelName, g);
        if (modelName.equals("mlp") && !loss.equals("cross-entropy")) {
            ((Sequential) net).add(new Sigmoid());  // a⁽ᴸ⁾ = σ(z⁽ᴸ⁾), compared with y
        }
        return net;
    }

    private void validate() {
        modelOptions.validate(modelName);
        lr = lrOption != null ? lrOption : modelName.equals("mlp") ? 0.1f : 0.05f;
        if (!List.of("cost", "mse", "cross-entropy").contains(loss)) throw new IllegalArgumentException("--loss must be cost, mse or cross-entropy, got '" + loss + "'");
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be ≥ 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be ≥ 1, got " + batchSize);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        if (!(lrDecay > 0 && lrDecay <= 1)) throw new IllegalArgumentException("--lr-decay must be in (0, 1], got " + lrDecay);
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
    }

    private void writeSummary(double accuracy, double trainLoss, double trainSeconds, double imagesPerSecond) throws IOException {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", modelOptions.describe(modelName));
        s.put("dataset", dataOptions.dataset());
        s.put("loss", loss);
        s.put("epochs", epochs);
        s.put("batch_size", batchSize);
        s.put("lr", lr);
        s.put("lr_decay", lrDecay);
        s.put("momentum", momentum);
        s.put("seed", seed);
        s.put("device", device);
        s.put("normalize", normalize);
        s.put("test_accuracy", accuracy);
        s.put("final_train_loss", trainLoss);
        s.put("train_seconds", trainSeconds);
        s.put("images_per_second", imagesPerSecond);
        s.put("first_step_seconds_after_start", firstStepSeconds);
        jgrad.tensor.AtomicFile.writeString(json, Json.object(s));
        out.println("Summary written to " + json);
    }
}
