package jgrad.data;

import java.util.Arrays;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;

/**
 * Samples by index, like {@code torch.utils.data.Dataset} (map-style).
 * {@link #batch} stacks samples into a {@link Batch}; datasets that can do that faster (MNIST
 * converts bytes straight into the batch) override it.
 */
public interface Dataset {
    int size();

    Sample get(int index);

    /** The class label of sample {@code index} (datasets that know it without building the input override this). */
    default int label(int index) {
        return get(index).label();
    }

    /** The samples at {@code indices} stacked into one batch on {@code device}. */
    default Batch batch(int[] indices, Device device) {
        if (indices.length == 0) throw new IllegalArgumentException("an empty batch");
        Sample first = get(indices[0]);
        int[] sampleShape = first.input().shape();
        int per = first.input().numel();
        float[] x = new float[indices.length * per];
        float[] y = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            Sample s = i == 0 ? first : get(indices[i]);
            if (!Arrays.equals(s.input().shape(), sampleShape)) {
                throw new IllegalArgumentException("sample " + indices[i] + " has shape " + Arrays.toString(s.input().shape())
                        + ", sample " + indices[0] + " has " + Arrays.toString(sampleShape) + ": cannot stack them");
            }
            System.arraycopy(s.input().toFloatArray(), 0, x, i * per, per);
            y[i] = s.label();
        }
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = indices.length;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return new Batch(Tensor.of(device, x, shape), Tensor.of(device, y, indices.length));
    }
}
