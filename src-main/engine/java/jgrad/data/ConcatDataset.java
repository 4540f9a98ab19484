package jgrad.data;

import java.util.List;

/** Datasets one after another, as {@code torch.utils.data.ConcatDataset}. */
public final class ConcatDataset implements Dataset {
    private final List<Dataset> parts;
    private final int[] starts;

    public ConcatDataset(List<Dataset> parts) {
        this.parts = List.copyOf(parts);
        starts = new int[parts.size() + 1];
        for (int i = 0; i < parts.size(); i++) starts[i + 1] = starts[i] + parts.get(i).size();
    }

    private int part(int index) {
        if (index < 0 || index >= size()) throw new IndexOutOfBoundsException("sample " + index + " of " + size());
        int p = 0;
        while (starts[p + 1] <= index) p++;
        return p;
    }

    @Override
    public int size() {
        return starts[starts.length - 1];
    }

    @Override
    public Sample get(int index) {
        int p = part(index);
        return parts.get(p).get(index - starts[p]);
    }

    @Override
    public int label(int index) {
        int p = part(index);
        return parts.get(p).label(index - starts[p]);
    }
}
