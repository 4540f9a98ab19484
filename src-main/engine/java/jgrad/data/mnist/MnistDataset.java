package jgrad.data.mnist;

import java.io.IOException;
import java.nio.file.Path;
import jgrad.data.Batch;
import jgrad.data.Dataset;
import jgrad.data.Sample;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;

/**
 * MNIST-format images with labels (MNIST digits or Fashion-MNIST clothes): 28×28 grey images, ten
 * classes. Images stay as bytes in memory (47 MB for the training set) and become floats in [0, 1]
 * (pixel / 255, torchvision's ToTensor) only when a sample or batch is requested.
 *
 * <p>Shapes: a sample is [1, 28, 28]; a batch is [N, 1, 28, 28] with targets [N].
 */
public final class MnistDataset implements Dataset {
    public static final int ROWS = 28, COLS = 28, PIXELS = ROWS * COLS, CLASSES = 10;

    private final byte[] images;
    private final byte[] labels;
    private final int count;

    public MnistDataset(Idx images, Idx labels, String what) {
        if (images.dims().length != 3 || images.dims()[1] != ROWS || images.dims()[2] != COLS) {
            throw new IllegalArgumentException(what + ": images must be [N, 28, 28], got " + java.util.Arrays.toString(images.dims()));
        }
        if (labels.dims()[0] != images.dims()[0]) {
            throw new IllegalArgumentException(what + ": " + images.dims()[0] + " images but " + labels.dims()[0] + " labels");
        }
        for (int i = 0; i < labels.data().length; i++) {
            if ((labels.data()[i] & 0xff) >= CLASSES) {
                throw new IllegalArgumentException(what + ": label " + (labels.data()[i] & 0xff) + " at index " + i + " is not 0–9");
            }
        }
        this.images = images.data();
        this.labels = labels.data();
        this.count = images.dims()[0];
    }

    /** Loads the training or test split from a folder holding the four IDX files (raw or .gz). */
    public static MnistDataset load(Path dir, boolean train) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path img = MnistFiles.find(dir, prefix + "-images-idx3-ubyte");
        Path lab = MnistFiles.find(dir, prefix + "-labels-idx1-ubyte");
        return new MnistDataset(Idx.read(img, 3), Idx.read(lab, 1), (train ? "training set in " : "test set in ") + dir);
    }

    @Override
    public int size() {
        return count;
    }

    public int label(int index) {
        return labels[index] & 0xff;
    }

    /** The raw pixel bytes (0–255) of one image, row-major. */
    public byte[] pixels(int index) {
        return java.util.Arrays.copyOfRange(images, index * PIXELS, (index + 1) * PIXELS);
    }

    @Override
    public Sample get(int index) {
        float[] x = new float[PIXELS];
        toFloats(index, x, 0);
        return new Sample(Tensor.of(x, 1, ROWS, COLS), label(index));
    }

    /** Converts bytes straight into the batch array: no per-sample tensors. */
    @Override
    public Batch batch(int[] indices, Device device) {
        int n = indices.length;
        float[] x = jgrad.data.BatchBuffers.floats(n * PIXELS);  // uploaded (copied) below, reused by the next batch
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            toFloats(indices[i], x, i * PIXELS);
            y[i] = label(indices[i]);
        }
        return new Batch(Tensor.of(device, x, n, 1, ROWS, COLS), Tensor.of(device, y, n));
    }

    private void toFloats(int index, float[] dst, int at) {
        int base = index * PIXELS;
        for (int p = 0; p < PIXELS; p++) dst[at + p] = (images[base + p] & 0xff) / 255f;
    }
}
