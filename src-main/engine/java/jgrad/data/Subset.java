package jgrad.data;

import java.util.Arrays;
import jgrad.tensor.Device;

/** The samples of a dataset at some indices, as {@code torch.utils.data.Subset} (e.g. a validation split). */
public final class Subset implements Dataset, EpochAware {
    private final Dataset base;
    private final int[] indices;

    public Subset(Dataset base, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= base.size()) {
                throw new IllegalArgumentException("Subset: index " + i + " outside a dataset of " + base.size() + " samples");
            }
        }
        this.base = base;
        this.indices = indices.clone();
    }

    /** Samples from … to − 1 of {@code base}. */
    public static Subset range(Dataset base, int from, int to) {
        int[] idx = new int[Math.max(0, to - from)];
        for (int i = 0; i < idx.length; i++) idx[i] = from + i;
        return new Subset(base, idx);
    }

    /** The index in the base dataset of this subset's sample {@code i}. */
    public int baseIndex(int i) {
        return indices[i];
    }

    @Override
    public void setEpoch(int epoch) {
        if (base instanceof EpochAware e) e.setEpoch(epoch);
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int label(int index) {
        return base.label(indices[index]);
    }

    @Override
    public Sample get(int index) {
        return base.get(indices[index]);
    }

    @Override
    public Batch batch(int[] which, Device device) {
        return base.batch(Arrays.stream(which).map(i -> indices[i]).toArray(), device);
    }
}
