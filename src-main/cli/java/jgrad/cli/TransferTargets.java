package jgrad.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import jgrad.data.Dataset;
import jgrad.data.Subset;
import jgrad.data.TensorDataset;
import jgrad.data.mnist.MnistDataset;
import jgrad.data.mnist.MnistFiles;
import jgrad.tensor.Generator;
import jgrad.vision.Functional;
import jgrad.vision.Image;

/**
 * The data sets the transfer demo moves a backbone to, as [1, 28, 28] images in [0, 1] with ten
 * classes: a few labelled training images, the same number of each class, and a test set.
 * <ul>
 *   <li>{@code mnist}: MNIST's 60,000 training images give the labelled ones; its 10,000 test images test.</li>
 *   <li>{@code digits}: the 1,797 8×8 digits that scikit-learn ships (Debian's {@code python3-sklearn},
 *       {@code sklearn/datasets/data/digits.csv.gz}: 64 values 0–16 and the label per row), scaled to
 *       [0, 1] and resized to 20×20 in a 28×28 frame, as MNIST's digits sit; the images not labelled test.</li>
 * </ul>
 *
 * <p>Checked by: {@code jgrad.cli.TransferDemoTest}.
 */
final class TransferTargets {
    private TransferTargets() {}

    /** Where Debian's python3-sklearn puts the digits. */
    static final Path DIGITS_CSV = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz");

    record Target(String name, Dataset train, Dataset test) {}

    static Target mnist(Path dataDir, int labels, long seed, PrintStream log) throws IOException {
        Path dir = MnistFiles.ensure("mnist", dataDir, log);
        MnistDataset all = MnistDataset.load(dir, true);
        return new Target("mnist", balanced(all, labels, seed).get(0), MnistDataset.load(dir, false));
    }

    static Target digits(Path csv, int labels, long seed) throws IOException {
        TensorDataset all = readDigits(csv == null ? DIGITS_CSV : csv);
        List<Subset> parts = balanced(all, labels, seed);
        if (parts.get(1).size() == 0) throw new IllegalArgumentException("--labels " + labels + ": the digits have " + all.size() + " images; leave some to test");
        return new Target("digits", parts.get(0), parts.get(1));
    }

    /** {labels / 10 images of each class, drawn with the seed; all the others}. */
    static List<Subset> balanced(Dataset d, int labels, long seed) {
        if (labels < 10 || labels % 10 != 0) throw new IllegalArgumentException("--labels must be a multiple of 10 (as many of each class), got " + labels);
        int per = labels / 10;
        int[] taken = new int[10];
        List<Integer> chosen = new ArrayList<>(), rest = new ArrayList<>();
        for (int i : new Generator(seed).permutation(d.size())) {
            int y = d.label(i);
            if (taken[y] < per) {
                taken[y]++;
                chosen.add(i);
            } else {
                rest.add(i);
            }
        }
        for (int c = 0; c < 10; c++) {
            if (taken[c] < per) throw new IllegalArgumentException("--labels " + labels + ": class " + c + " has only " + taken[c] + " images");
        }
        java.util.Collections.sort(chosen);
        java.util.Collections.sort(rest);
        return List.of(new Subset(d, chosen.stream().mapToInt(Integer::intValue).toArray()),
                new Subset(d, rest.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** scikit-learn's digits CSV (gzip or plain): rows of 64 pixel values 0–16 and a label 0–9. */
    static TensorDataset readDigits(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new IOException(csv + ": no such file (the 8×8 digits come with Debian's python3-sklearn: apt-get install python3-sklearn)");
        }
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        var raw = Files.newInputStream(csv);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(csv.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw,
                StandardCharsets.UTF_8))) {
            String line;
            for (int row = 1; (line = in.readLine()) != null; row++) {
                if (line.isBlank()) continue;
                String[] f = line.split(",");
                if (f.length != 65) throw new IOException(csv + " row " + row + ": " + f.length + " values, expected 64 pixels and a label");
                float[] px = new float[64];
                try {
                    for (int k = 0; k < 64; k++) {
                        float v = Float.parseFloat(f[k]);
                        if (!(v >= 0 && v <= 16)) throw new IOException(csv + " row " + row + ": pixel " + k + " is " + f[k] + ", expected 0–16");
                        px[k] = v / 16f;
                    }
                    int y = Integer.parseInt(f[64].strip());
                    if (y < 0 || y > 9) throw new IOException(csv + " row " + row + ": label " + y + " is not 0–9");
                    labels.add(y);
                } catch (NumberFormatException e) {
                    throw new IOException(csv + " row " + row + ": not a number (" + e.getMessage() + ")");
                }
                Image img = Functional.pad(Functional.resize(new Image(1, 8, 8, px), 20, 20), 4, 4, 4, 4, Functional.PadMode.CONSTANT, 0f);
                images.add(img.data());
            }
        }
        if (images.isEmpty()) throw new IOException(csv + ": no rows");
        float[] x = new float[images.size() * 28 * 28];
        for (int i = 0; i < images.size(); i++) System.arraycopy(images.get(i), 0, x, i * 784, 784);
        return new TensorDataset(x, new int[] {1, 28, 28}, labels.stream().mapToInt(Integer::intValue).toArray());
    }
}
