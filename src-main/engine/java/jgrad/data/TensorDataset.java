package jgrad.data;

import java.util.Arrays;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;

/**
 * Samples held in memory as one float array plus class labels, as {@code torch.utils.data.TensorDataset}
 * with (inputs, labels): sample i is inputs[i] (of {@code sampleShape}) with label labels[i].
 */
public final class TensorDataset implements Dataset {
    private final float[] inputs;
    private final int[] sampleShape;
    private final int[] labels;
    private final int per;

    public TensorDataset(float[] inputs, int[] sampleShape, int[] labels) {
        this.per = jgrad.backend.Layout.sizeOf(sampleShape);
        if ((long) per * labels.length != inputs.length) {
            throw new IllegalArgumentException("TensorDataset: " + inputs.length + " input values are not " + labels.length
                    + " samples of shape " + Arrays.toString(sampleShape));
        }
        this.inputs = inputs;
        this.sampleShape = sampleShape.clone();
        this.labels = labels.clone();
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public Sample get(int index) {
        return new Sample(Tensor.of(Arrays.copyOfRange(inputs, index * per, (index + 1) * per), sampleShape), labels[index]);
    }

    @Override
    public Batch batch(int[] indices, Device device) {
        if (indices.length == 0) throw new IllegalArgumentException("an empty batch");
        float[] x = BatchBuffers.floats(indices.length * per);  // uploaded (copied) below, reused by the next batch
        float[] y = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(inputs, indices[i] * per, x, i * per, per);
            y[i] = labels[indices[i]];
        }
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = indices.length;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return new Batch(Tensor.of(device, x, shape), Tensor.of(device, y, indices.length));
    }
}
