package jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** Sample i is the vector [i, −i] with label i % 3. */
    static final class Counting implements Dataset {
        private final int n;

        Counting(int n) { this.n = n; }

        @Override public int size() { return n; }

        @Override public Sample get(int i) { return new Sample(Tensor.of(new float[] {i, -i}, 2), i % 3); }
    }

    private static List<float[]> epoch(DataLoader loader) {
        List<float[]> ids = new ArrayList<>();
        for (Batch b : loader) {
            float[] x = b.inputs().toFloatArray();
            float[] first = new float[b.size()];
            for (int i = 0; i < b.size(); i++) first[i] = x[2 * i];
            ids.add(first);
        }
        return ids;
    }

    @Test
    void inOrderWithoutShuffleAndLastBatchSmaller() {
        DataLoader loader = new DataLoader(new Counting(10), 4, false, null);
        List<float[]> e = epoch(loader);
        assertThat(loader.numBatches()).isEqualTo(3);
        assertThat(e.get(0)).containsExactly(0, 1, 2, 3);
        assertThat(e.get(2)).containsExactly(8, 9);
        Batch first = loader.iterator().next();
        assertThat(first.inputs().shape()).containsExactly(4, 2);
        assertThat(first.targets().toFloatArray()).containsExactly(0, 1, 2, 0);
    }

    @Test
    void dropLastDropsTheShortBatch() {
        DataLoader loader = new DataLoader(new Counting(10), 4, false, null).dropLast(true);
        assertThat(loader.numBatches()).isEqualTo(2);
        assertThat(loader.numSamples()).isEqualTo(8);
        assertThat(epoch(loader)).hasSize(2);
    }

    @Test
    void shuffleVisitsEverySampleOnceAndReshufflesEachEpoch() {
        DataLoader loader = new DataLoader(new Counting(50), 8, true, new Generator(3));
        float[] e1 = flatten(epoch(loader)), e2 = flatten(epoch(loader));
        float[] sorted1 = e1.clone(), sorted2 = e2.clone();
        Arrays.sort(sorted1);
        Arrays.sort(sorted2);
        float[] all = new float[50];
        for (int i = 0; i < 50; i++) all[i] = i;
        assertThat(sorted1).containsExactly(all);
        assertThat(sorted2).containsExactly(all);
        assertThat(e1).as("epoch 2 order differs from epoch 1").isNotEqualTo(e2);
    }

    @Test
    void sameSeedSameBatches() {
        float[] a = flatten(epoch(new DataLoader(new Counting(30), 7, true, new Generator(9))));
        float[] b = flatten(epoch(new DataLoader(new Counting(30), 7, true, new Generator(9))));
        float[] c = flatten(epoch(new DataLoader(new Counting(30), 7, true, new Generator(10))));
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void badBatchSizeIsNamed() {
        assertThatThrownBy(() -> new DataLoader(new Counting(3), 0, false, null)).hasMessageContaining("batch size");
    }

    private static float[] flatten(List<float[]> batches) {
        int n = 0;
        for (float[] b : batches) n += b.length;
        float[] out = new float[n];
        int at = 0;
        for (float[] b : batches) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }
}
