package jgrad.data.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import jgrad.data.Batch;
import jgrad.tensor.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDatasetTest {
    @TempDir Path dir;

    @Test
    void batchConvertsBytesToUnitFloatsInOrder() throws IOException {
        MnistFixtures.writeBars(dir, 20, true);
        MnistDataset train = MnistDataset.load(dir, true);
        assertThat(train.size()).isEqualTo(20);
        Batch b = train.batch(new int[] {3, 7}, Device.cpu());
        assertThat(b.inputs().shape()).containsExactly(2, 1, 28, 28);
        assertThat(b.targets().toFloatArray()).containsExactly(3f, 7f);
        float[] x = b.inputs().toFloatArray();
        // image 3 has its bar on row 10: pixel (10, 5) is 230/255
        assertThat(x[10 * 28 + 5]).isEqualTo(230f / 255f);
        assertThat(x[784 + 18 * 28 + 5]).isEqualTo(230f / 255f);
        // the per-sample path gives the same numbers as the batch path
        assertThat(train.get(3).input().toFloatArray()).containsExactly(java.util.Arrays.copyOf(x, 784));
        assertThat(train.get(3).label()).isEqualTo(3);
    }

    @Test
    void mismatchedCountsAreRejected() {
        Idx images = new Idx(new int[] {3, 28, 28}, new byte[3 * 784]);
        Idx labels = new Idx(new int[] {2}, new byte[2]);
        assertThatThrownBy(() -> new MnistDataset(images, labels, "x")).hasMessageContaining("3 images but 2 labels");
    }

    @Test
    void labelOutsideZeroToNineIsRejected() {
        Idx images = new Idx(new int[] {2, 28, 28}, new byte[2 * 784]);
        Idx labels = new Idx(new int[] {2}, new byte[] {1, 12});
        assertThatThrownBy(() -> new MnistDataset(images, labels, "x")).hasMessageContaining("label 12 at index 1");
    }
}
