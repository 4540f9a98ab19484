package jgrad.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import jgrad.autograd.NoGrad;
import jgrad.mnist.DataOptions;
import jgrad.mnist.ModelOptions;
import jgrad.data.mnist.MnistDataset;
import jgrad.nn.Module;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import jgrad.vision.Image;
import jgrad.vision.Transform;
import jgrad.vision.TransformSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jgrad transforms}: see the data. A PNG grid of augmented samples with their labels (the
 * notebook's 3×3), or with {@code --predictions MODEL} a grid of test images titled
 * "predicted / true".
 */
@Command(name = "transforms", mixinStandardHelpOptions = true,
        description = "Draw a PNG grid of augmented samples (--transform \"Resize(32),RandomRotation(30),...\") or of a saved model's predictions.")
public final class TransformsCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DataOptions dataOptions = new DataOptions();
    @picocli.CommandLine.Mixin
    ModelOptions modelOptions = new ModelOptions();
    @Option(names = "--images", paramLabel = "DIR", description = "an image folder (one subfolder per class) instead of MNIST")
    Path images;
    @Option(names = "--csv", paramLabel = "FILE", description = "a labels CSV (with --image-dir, --file-column, --label-column) instead of MNIST")
    Path csv;
    @Option(names = "--image-dir", paramLabel = "DIR", description = "where the CSV's images are (default: the CSV's folder)")
    Path imageDir;
    @Option(names = "--file-column", defaultValue = "file", description = "(default: ${DEFAULT-VALUE})")
    String fileColumn;
    @Option(names = "--label-column", defaultValue = "label", description = "(default: ${DEFAULT-VALUE})")
    String labelColumn;
    @Option(names = "--transform", defaultValue = "RandomRotation(30),RandomCrop(28,2)",
            description = "the augmentation, torchvision's names (default: ${DEFAULT-VALUE})")
    String transform;
    @Option(names = "--predictions", paramLabel = "MODEL", description = "a model saved by ./jgrad train (best-model.jgrad, or model.safetensors with --images/--csv): draw its predictions instead")
    Path predictions;
    @Option(names = "--model", defaultValue = "lenet", description = "the saved model's kind for --predictions: mlp, lenet, vgg or lstm (default: ${DEFAULT-VALUE})")
    String model;
    @Option(names = "--count", defaultValue = "9", description = "images in the grid (default: ${DEFAULT-VALUE})")
    int count;
    @Option(names = "--cols", defaultValue = "3", description = "columns (default: ${DEFAULT-VALUE})")
    int cols;
    @Option(names = "--seed", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--device", defaultValue = "cpu", description = "where --predictions runs the model: cpu, reference, opencl or opencl:N (default: ${DEFAULT-VALUE})")
    String device;
    @Option(names = "--out", defaultValue = "transforms.png", description = "the PNG to write (default: ${DEFAULT-VALUE})")
    Path out;

    /** The most images one grid draws (--count, --cols). */
    static final int MAX_COUNT = 1000;

    @Override
    public Integer call() throws IOException {
        if (count < 1 || cols < 1) throw new IllegalArgumentException("--count and --cols must be ≥ 1");
        if (count > MAX_COUNT || cols > MAX_COUNT) {
            throw new IllegalArgumentException("--count " + count + " --cols " + cols + ": a grid holds at most " + MAX_COUNT
                    + " images (each drawn with its caption into one PNG)");
        }
        if (images != null && csv != null) {
            throw new IllegalArgumentException("--images and --csv both name the pictures: give --images DIR (one subfolder "
                    + "per class) or --csv FILE (with --image-dir DIR for where its pictures are), not both");
        }
        jgrad.tensor.AtomicFile.checkWritableFile(out, "--out");
        if (images != null || csv != null) return pictures();
        Path dir = dataOptions.dir(System.out);
        boolean predict = predictions != null;
        MnistDataset d = MnistDataset.load(dir, !predict);
        int n = Math.min(count, d.size());
        List<Image> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        if (!predict) {
            Transform t = TransformSpec.parse(transform);
            Generator g = new Generator(seed);
            for (int i = 0; i < n; i++) {
                Sample s = sample(d, i);
                images.add(t.apply(s.image, g));
                if (i == 0) Plots.checkGrid(images.get(0), n, cols);
                captions.add("label " + s.label);
            }
        } else {
            Device dev = Device.of(device);
            Device.setDefault(dev);
            Module net = modelOptions.build(model, new Generator(1));
            try {
                net.load(predictions);
            } catch (IllegalArgumentException e) {
                if (jgrad.tensor.TensorFile.load(predictions).containsKey("meta.epoch")) {  // not a list of all its entries
                    throw new IllegalArgumentException("--predictions " + predictions + " is a training checkpoint, not a saved model: give "
                            + "the best-model.jgrad that ./jgrad train wrote into its --out folder", e);
                }
                throw new IllegalArgumentException("--predictions " + predictions + " is not a " + model + " model: " + e.getMessage()
                        + " (give the --model it was trained as)", e);
            }
            net.eval();
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            float[] predicted;
            try (NoGrad scope = NoGrad.enter()) {
                predicted = net.forward(d.batch(idx, dev).inputs()).argmax(1, false).toFloatArray();
            }
            for (int i = 0; i < n; i++) {
                Sample s = sample(d, i);
                images.add(s.image);
                captions.add((int) predicted[i] + " / " + s.label + ((int) predicted[i] == s.label ? "" : "  ✗"));
            }
        }
        Plots.imageGrid(images, captions, cols, out);
        System.out.println("wrote " + out + (predict ? " (predicted / true)" : " (" + transform + ")"));
        return 0;
    }

    /** The grid for an image folder or a labels CSV: augmented samples titled with their class names. */
    private int pictures() throws IOException {
        if (predictions != null) return predictedPictures();
        Transform t = TransformSpec.parse(transform);
        jgrad.vision.ImageDataset d = pictures(t);
        List<Image> pics = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < Math.min(count, d.size()); i++) {
            pics.add(d.image(i));
            if (i == 0) Plots.checkGrid(pics.get(0), Math.min(count, d.size()), cols);
            captions.add(d.classes().get(d.label(i)));
        }
        Plots.imageGrid(pics, captions, cols, out);
        System.out.println("wrote " + out + " (" + d + ", " + transform + ")");
        return 0;
    }

    private jgrad.vision.ImageDataset pictures(Transform t) throws IOException {
        return images != null ? jgrad.vision.ImageDataset.imageFolder(images, t, seed)
                : jgrad.vision.ImageDataset.csv(csv, imageDir != null ? imageDir : csv.toAbsolutePath().getParent(), fileColumn, labelColumn, t, seed, false);
    }

    /** The grid of a model from {@code ./jgrad train --images} (model.safetensors + model.json): "predicted / true" class names. */
    private int predictedPictures() throws IOException {
        if (!predictions.toString().endsWith(".safetensors")) {
            throw new IllegalArgumentException("--predictions " + predictions + " with pictures: give the model.safetensors that ./jgrad train --images wrote");
        }
        Device.setDefault(Device.of(device));
        ImageModelFile.Loaded m = ImageModelFile.load(predictions);
        List<String> names = m.description().classes();
        jgrad.vision.ImageDataset shown = pictures(m.description().preprocessing().geometry()),
                input = pictures(m.description().preprocessing().transform());
        int n = Math.min(count, input.size());
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        float[] predicted;
        m.net().eval();
        try (NoGrad scope = NoGrad.enter()) {
            predicted = m.net().forward(input.batch(idx, Device.getDefault()).inputs()).argmax(1, false).toFloatArray();
        }
        List<Image> pics = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String p = names.get((int) predicted[i]), truth = input.classes().get(input.label(i));
            pics.add(shown.image(i));
            captions.add(p + " / " + truth + (p.equals(truth) ? "" : "  ✗"));
        }
        Plots.imageGrid(pics, captions, cols, out);
        System.out.println("wrote " + out + " (predicted / true, " + m.description().arch() + ")");
        return 0;
    }

    private record Sample(Image image, int label) {}

    private static Sample sample(MnistDataset d, int i) {
        Tensor x = d.get(i).input();
        float[] v = x.toFloatArray();
        return new Sample(new Image(1, MnistDataset.ROWS, MnistDataset.COLS, v), d.label(i));
    }
}
