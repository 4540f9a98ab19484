package jgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Samplers, splits, class counts, and the DataLoader's workers. */
class SamplersTest {

    /** An imbalanced dataset: 90 samples of class 0, 9 of class 1, 1 of class 2; sample i holds the value i. */
    static TensorDataset imbalanced() {
        int n = 100;
        float[] x = new float[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i < 90 ? 0 : i < 99 ? 1 : 2;
        }
        return new TensorDataset(x, new int[] {1}, y);
    }

    @Test
    void sequentialRandomAndSubsetSamplersVisitWhatTheyShould() {
        assertThat(Samplers.sequential(4).order()).containsExactly(0, 1, 2, 3);
        Sampler r = Samplers.random(50, new Generator(1));
        int[] a = r.order(), b = r.order();
        assertThat(a).containsExactlyInAnyOrder(Samplers.sequential(50).order());
        assertThat(b).as("a new order every epoch").isNotEqualTo(a);
        Sampler s = Samplers.subsetRandom(new int[] {3, 7, 11}, new Generator(2));
        assertThat(s.order()).containsExactlyInAnyOrder(3, 7, 11);
        assertThat(s.size()).isEqualTo(3);
    }

    @Test
    void classBalancedWeightsMakeEveryClassEquallyLikely() {
        TensorDataset d = imbalanced();
        assertThat(Samplers.classCounts(d)).containsExactly(90, 9, 1);
        Sampler w = Samplers.weighted(Samplers.classBalancedWeights(d), 30000, new Generator(3));
        int[] seen = new int[3];
        for (int i : w.order()) seen[d.label(i)]++;
        // each class ⅓ of 30,000 = 10,000; binomial σ ≈ 82, so ±400 is about 5σ
        for (int c = 0; c < 3; c++) assertThat(seen[c]).as("class %d drawn", c).isBetween(9600, 10400);
        assertThatThrownBy(() -> Samplers.weighted(new double[] {1, -1}, 3, new Generator(1))).hasMessageContaining("index 1");
        assertThatThrownBy(() -> Samplers.weighted(new double[] {0, 0}, 3, new Generator(1))).hasMessageContaining("sum to 0");
        assertThat(Samplers.classReport(d)).contains("90").contains("90.0%");
    }

    @Test
    void weightedEpochsThroughTheLoaderAreBalancedToo() {
        TensorDataset d = imbalanced();
        DataLoader loader = new DataLoader(d, 50, Samplers.weighted(Samplers.classBalancedWeights(d), 3000, new Generator(4)));
        for (int epoch = 0; epoch < 2; epoch++) {
            int[] seen = new int[3];
            for (Batch b : loader) for (float t : b.targets().toFloatArray()) seen[(int) t]++;
            for (int c = 0; c < 3; c++) assertThat(seen[c]).as("epoch %d class %d", epoch, c).isBetween(850, 1150);
        }
    }

    @Test
    void stratifiedSplitsKeepTheClassProportions() {
        TensorDataset d = imbalanced();
        List<Subset> parts = Splits.stratified(d, new double[] {0.7, 0.2, 0.1}, new Generator(5));
        int[][] counts = parts.stream().map(Samplers::classCounts).toArray(int[][]::new);
        assertThat(counts[0]).as("train: 70% of 90 and of 9, the single 2 (largest remainder)").containsExactly(63, 6, 1);
        assertThat(Arrays.copyOf(counts[1], 2)).as("validation").containsExactly(18, 2);
        assertThat(Arrays.copyOf(counts[2], 2)).as("test").containsExactly(9, 1);
        List<Integer> all = new ArrayList<>();
        for (Subset s : parts) for (int i = 0; i < s.size(); i++) all.add((int) s.get(i).input().item());
        assertThat(all).as("every sample once").hasSize(100).doesNotHaveDuplicates();
        assertThatThrownBy(() -> Splits.stratified(d, new double[] {0.5, 0.4}, new Generator(1))).hasMessageContaining("sum to 1");
    }

    @Test
    void randomSplitHasTheRightSizesAndCoversEverything() {
        List<Subset> parts = Splits.random(imbalanced(), new double[] {0.8, 0.2}, new Generator(6));
        assertThat(parts.get(0).size()).isEqualTo(80);
        assertThat(parts.get(1).size()).isEqualTo(20);
        ConcatDataset back = new ConcatDataset(List.of(parts.get(0), parts.get(1)));
        int[] values = new int[100];
        for (int i = 0; i < 100; i++) values[i] = (int) back.get(i).input().item();
        assertThat(values).containsExactlyInAnyOrder(Samplers.sequential(100).order());
        assertThat(back.label(99)).isEqualTo(parts.get(1).label(19));
    }

    @Test
    void workersGiveTheSameBatchesInTheSameOrder() {
        TensorDataset d = imbalanced();
        for (int workers : new int[] {1, 3}) {
            DataLoader serial = new DataLoader(d, 7, true, new Generator(9));
            DataLoader parallel = new DataLoader(d, 7, true, new Generator(9)).numWorkers(workers);
            var a = serial.iterator();
            var b = parallel.iterator();
            int batches = 0;
            while (a.hasNext()) {
                assertThat(b.hasNext()).isTrue();
                assertThat(b.next().inputs().toFloatArray()).as("batch %d with %d workers", batches, workers)
                        .containsExactly(a.next().inputs().toFloatArray());
                batches++;
            }
            assertThat(b.hasNext()).isFalse();
            assertThat(batches).isEqualTo(15);
        }
    }

    @Test
    void aFailingSampleIsNamedEvenFromAWorker() {
        Dataset broken = new Dataset() {
            public int size() { return 20; }

            public Sample get(int i) {
                if (i == 13) throw new IllegalArgumentException("cannot decode image 13.png");
                return new Sample(Tensor.of(new float[] {i}, 1), 0);
            }
        };
        for (int workers : new int[] {0, 2}) {
            DataLoader loader = new DataLoader(broken, 4, false, null).numWorkers(workers);
            assertThatThrownBy(() -> { for (Batch b : loader) b.size(); })
                    .as("%d workers", workers).hasMessageContaining("sample 13").hasMessageContaining("13.png");
        }
    }

    @Test
    void aBatchSamplerDecidesTheBatchesAndTargetsCanBeOneHot() {
        TensorDataset d = imbalanced();
        BatchSampler bs = BatchSampler.of(Samplers.sequential(10), 4, true);
        DataLoader loader = new DataLoader(new Subset(d, new int[] {90, 91, 92, 93, 94, 95, 96, 97, 98, 99}), bs)
                .targetTransform(t -> jgrad.nn.Functional.oneHot(t, 3));
        assertThat(loader.numBatches()).isEqualTo(2);
        assertThat(loader.numSamples()).isEqualTo(8);
        Batch first = loader.iterator().next();
        assertThat(first.inputs().toFloatArray()).containsExactly(90, 91, 92, 93);
        assertThat(first.targets().shape()).containsExactly(4, 3);
        assertThat(first.targets().toFloatArray()).containsExactly(0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0);
    }

    @Test
    void batchBuffersAreReusedPerThreadAndSizeWhileBatchesStayIntact() {
        assertThat(BatchBuffers.floats(12)).isSameAs(BatchBuffers.floats(12));
        assertThat(BatchBuffers.floats(12)).isNotSameAs(BatchBuffers.floats(13));
        DataLoader loader = new DataLoader(imbalanced(), 5, false, null);
        var it = loader.iterator();
        Batch a = it.next(), b = it.next();
        assertThat(a.inputs().toFloatArray()).as("the first batch survives the second's assembly").containsExactly(0, 1, 2, 3, 4);
        assertThat(b.inputs().toFloatArray()).containsExactly(5, 6, 7, 8, 9);
    }

    @Test
    void aLoadersRandomSamplerCanBeReseededThroughTheLoader() {
        TensorDataset d = imbalanced();
        DataLoader loader = new DataLoader(d, 10, Samplers.weighted(Samplers.classBalancedWeights(d), 40, new Generator(1)));
        loader.generator().reseed(77);
        float[] first = loader.iterator().next().inputs().toFloatArray();
        loader.generator().reseed(77);
        assertThat(loader.iterator().next().inputs().toFloatArray()).as("the same seed, the same draw").containsExactly(first);
        assertThat(new DataLoader(d, 10, Samplers.sequential(100)).generator()).isNull();
    }
}
