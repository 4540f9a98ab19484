package jgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jgrad.data.DataLoader;
import jgrad.data.TensorDataset;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.Dropout;
import jgrad.nn.Linear;
import jgrad.nn.Module;
import jgrad.nn.Parameter;
import jgrad.nn.ReLU;
import jgrad.nn.Sequential;
import jgrad.optim.SGD;
import jgrad.optim.StepLR;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train/validate loop on three Gaussian blobs in the plane: learning, best weights, resume, guards. */
class TrainerTest {

    /** n points per class around (0, 3), (3, −2), (−3, −2), spread 1. */
    static TensorDataset blobs(int n, long seed) {
        Generator g = new Generator(seed);
        float[][] centres = {{0, 3}, {3, -2}, {-3, -2}};
        float[] x = new float[3 * n * 2];
        int[] y = new int[3 * n];
        for (int i = 0; i < 3 * n; i++) {
            y[i] = i % 3;
            x[2 * i] = centres[y[i]][0] + g.nextGaussian();
            x[2 * i + 1] = centres[y[i]][1] + g.nextGaussian();
        }
        return new TensorDataset(x, new int[] {2}, y);
    }

    static Sequential net(boolean dropout) {
        Generator g = new Generator(7);
        return dropout ? new Sequential(new Linear(2, 16, true, g), new ReLU(), new Dropout(0.2f, new Generator(8)), new Linear(16, 3, true, g))
                : new Sequential(new Linear(2, 16, true, g), new ReLU(), new Linear(16, 3, true, g));
    }

    static DataLoader trainLoader() {
        return new DataLoader(blobs(40, 1), 16, true, new Generator(3));
    }

    static DataLoader valLoader() {
        return new DataLoader(blobs(20, 2), 32, false, null);
    }

    @Test
    void learnsTheBlobsAndEndsWithTheBestEpochsWeights() {
        Sequential model = net(false);
        SGD opt = new SGD(model.parameters(), 0.05f, 0.9f, 0f);
        Trainer t = Trainer.builder(model, opt, new CrossEntropyLoss(), trainLoader()).validation(valLoader()).epochs(8).build();
        History h = t.fit();
        assertThat(h.epochs()).hasSize(8);
        History.Epoch best = h.epochs().get(h.bestEpoch() - 1);
        double minVal = h.epochs().stream().mapToDouble(History.Epoch::valLoss).min().orElseThrow();
        assertThat(best.valLoss()).as("the best epoch has the lowest validation loss").isEqualTo(minVal);
        assertThat(best.valAccuracy()).as("three separated blobs").isGreaterThan(0.95);
        assertThat(h.epochs().get(0).trainLoss()).isGreaterThan(h.last().trainLoss());
        double[] now = t.evaluate(valLoader());
        assertThat(now[0]).as("the model holds the best epoch's weights at the end").isCloseTo(best.valLoss(), within(1e-9));
    }

    @Test
    void aResumedRunEndsWithTheSameWeightsBitForBit(@TempDir Path dir) {
        // uninterrupted: 4 epochs (shuffling, dropout, momentum, a step schedule)
        Sequential a = net(true);
        SGD optA = new SGD(a.parameters(), 0.05f, 0.9f, 0f);
        Trainer.builder(a, optA, new CrossEntropyLoss(), trainLoader()).validation(valLoader()).epochs(4)
                .scheduler(new StepLR(optA, 2, 0.5)).keepBest(false).fit();
        // interrupted after 2 epochs, then resumed in a new model, optimizer and loader
        Sequential b = net(true);
        SGD optB = new SGD(b.parameters(), 0.05f, 0.9f, 0f);
        Trainer.builder(b, optB, new CrossEntropyLoss(), trainLoader()).validation(valLoader()).epochs(2)
                .scheduler(new StepLR(optB, 2, 0.5)).keepBest(false).checkpoints(dir).fit();
        assertThat(Trainer.checkpointFile(dir)).exists();
        Sequential c = net(true);
        SGD optC = new SGD(c.parameters(), 0.05f, 0.9f, 0f);
        History h = Trainer.builder(c, optC, new CrossEntropyLoss(), trainLoader()).validation(valLoader()).epochs(4)
                .scheduler(new StepLR(optC, 2, 0.5)).keepBest(false).checkpoints(dir).resume(true).fit();
        assertThat(h.epochs()).as("history carried over").hasSize(4);
        Map<String, Tensor> expected = a.stateDict(), actual = c.stateDict();
        for (String k : expected.keySet()) {
            assertThat(actual.get(k).toFloatArray()).as(k).containsExactly(expected.get(k).toFloatArray());
        }
        assertThat(optC.lr()).isEqualTo(optA.lr());
    }

    @Test
    void earlyStoppingStopsWhenTheMonitorStallsAndCallbacksSeeEveryEpoch() {
        Sequential model = net(false);
        SGD opt = new SGD(model.parameters(), 0f);  // nothing learns: the validation loss never improves
        int[] calls = {0};
        History h = Trainer.builder(model, opt, new CrossEntropyLoss(), trainLoader()).validation(valLoader()).epochs(20)
                .earlyStopping(3, 0).callback((t, e) -> calls[0]++).fit();
        assertThat(h.epochs()).as("epoch 1 is the best; 3 more without improvement").hasSize(4);
        assertThat(calls[0]).isEqualTo(4);
    }

    @Test
    void aNaNLossStopsTheRunNamingEpochAndBatch(@TempDir Path dir) {
        float[] x = new float[20];
        int[] y = new int[10];
        x[2 * 5] = Float.NaN;  // sample 5: in batch 2 when batches are 2 samples, unshuffled
        DataLoader loader = new DataLoader(new TensorDataset(x, new int[] {2}, y), 2, false, null);
        Sequential model = net(false);
        assertThatThrownBy(() -> Trainer.builder(model, new SGD(model.parameters(), 0.1f), new CrossEntropyLoss(), loader)
                .checkpoints(dir).fit())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("epoch 1, batch 2").hasMessageContaining("no checkpoint was written yet");
    }

    @Test
    void frozenLayersStayPutUntilTheirUnfreezeEpoch(@TempDir Path dir) throws Exception {
        Sequential model = net(false);
        Module first = model.children().values().iterator().next();
        List<Parameter> backbone = first.parameters();
        for (Parameter p : backbone) p.requiresGrad(false);
        float[] before = backbone.get(0).toFloatArray();
        float[][] atEpoch = new float[4][];
        SGD opt = new SGD(model.parameters(), 0.05f);
        Trainer.builder(model, opt, new CrossEntropyLoss(), trainLoader()).epochs(4).keepBest(false)
                .unfreezeAt(3, backbone).callback((t, e) -> atEpoch[e.epoch() - 1] = backbone.get(0).toFloatArray()).fit();
        assertThat(atEpoch[1]).as("frozen through epoch 2").containsExactly(before);
        assertThat(atEpoch[2]).as("trained from epoch 3").isNotEqualTo(before);
    }

    @Test
    void historyIsWrittenAsCsvAndJson(@TempDir Path dir) throws Exception {
        Sequential model = net(false);
        History h = Trainer.builder(model, new SGD(model.parameters(), 0.05f), new CrossEntropyLoss(), trainLoader())
                .validation(valLoader()).epochs(2).fit();
        h.writeCsv(dir.resolve("h.csv"));
        h.writeJson(dir.resolve("h.json"));
        List<String> csv = Files.readAllLines(dir.resolve("h.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(0)).isEqualTo("epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds");
        assertThat(csv.get(2)).startsWith("2,");
        assertThat(Files.readString(dir.resolve("h.json"))).contains("\"best_epoch\": " + h.bestEpoch()).contains("\"epoch\": 2");
        assertThatThrownBy(() -> Trainer.builder(model, new SGD(model.parameters(), 0.05f), new CrossEntropyLoss(), trainLoader())
                .monitor(Trainer.Monitor.VAL_ACCURACY).build()).hasMessageContaining("needs a validation loader");
    }

    @Test
    void profilingTimesEveryLayerAndTheDataLoading() {
        Sequential model = net(false);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Trainer t = Trainer.builder(model, new SGD(model.parameters(), 0.05f), new CrossEntropyLoss(), trainLoader())
                .epochs(1).profile(true).log(new java.io.PrintStream(bytes)).build();
        t.fit();
        jgrad.autograd.Profiler p = t.profiler();
        assertThat(p.modules()).containsExactly("0: Linear", "1: ReLU", "2: Linear");
        assertThat(p.millis("0: Linear")).isPositive();
        assertThat(jgrad.autograd.Profiler.active()).as("stopped after fit").isNull();
        assertThat(bytes.toString()).contains("backward ms").contains("data loading");
    }

    /** A dataset that crashes the run at its n-th batch, as a kill would, but inside the JVM. */
    static final class CrashAt implements jgrad.data.Dataset {
        private final jgrad.data.Dataset base;
        private final int crashAt;
        private int batches;

        CrashAt(jgrad.data.Dataset base, int crashAt) {
            this.base = base;
            this.crashAt = crashAt;
        }

        @Override public int size() { return base.size(); }

        @Override public jgrad.data.Sample get(int i) { return base.get(i); }

        @Override public jgrad.data.Batch batch(int[] idx, jgrad.tensor.Device d) {
            if (++batches == crashAt) throw new IllegalStateException("simulated crash");
            return base.batch(idx, d);
        }
    }

    @Test
    void aRunThatCrashesMidEpochResumesFromItsLastCheckpointToTheSameWeights(@TempDir Path dir) {
        Sequential a = net(true);
        SGD optA = new SGD(a.parameters(), 0.05f, 0.9f, 0f);
        Trainer.builder(a, optA, new CrossEntropyLoss(), trainLoader()).epochs(3).keepBest(false).fit();
        // 120 samples in batches of 16: 8 batches per epoch; crash at the 12th, half-way through epoch 2
        Sequential b = net(true);
        SGD optB = new SGD(b.parameters(), 0.05f, 0.9f, 0f);
        DataLoader crashing = new DataLoader(new CrashAt(blobs(40, 1), 12), 16, true, new Generator(3));
        assertThatThrownBy(() -> Trainer.builder(b, optB, new CrossEntropyLoss(), crashing).epochs(3).keepBest(false)
                .checkpoints(dir).fit()).hasMessageContaining("simulated crash");
        Sequential c = net(true);
        SGD optC = new SGD(c.parameters(), 0.05f, 0.9f, 0f);
        History h = Trainer.builder(c, optC, new CrossEntropyLoss(), trainLoader()).epochs(3).keepBest(false)
                .checkpoints(dir).resume(true).fit();
        assertThat(h.epochs()).hasSize(3);
        Map<String, Tensor> expected = a.stateDict(), actual = c.stateDict();
        for (String k : expected.keySet()) {
            assertThat(actual.get(k).toFloatArray()).as(k).containsExactly(expected.get(k).toFloatArray());
        }
    }

    @Test
    void callbacksSeeEpochStartsAndEveryBatchAndDivergenceIsReported() {
        Sequential model = net(false);
        int[] starts = {0}, batches = {0}, batchStarts = {0};
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Trainer.builder(model, new SGD(model.parameters(), 5f), new CrossEntropyLoss(), trainLoader()).epochs(2)
                .divergenceFactor(0)  // the guard off: this run goes on, and the log's warning is what is checked
                .log(new java.io.PrintStream(bytes))
                .callback(new Trainer.Callback() {
                    @Override public void onEpochStart(Trainer t, int epoch) { starts[0]++; }
                    @Override public void onBatchStart(Trainer t, int epoch, int batch) { batchStarts[0]++; }
                    @Override public void onBatchEnd(Trainer t, int epoch, int batch, float loss) { batches[0]++; }
                    @Override public void onEpochEnd(Trainer t, History.Epoch e) {}
                }).fit();
        assertThat(starts[0]).isEqualTo(2);
        assertThat(batches[0]).as("8 batches of 16 in 120 samples, twice").isEqualTo(16);
        assertThat(batchStarts[0]).isEqualTo(16);
        assertThat(bytes.toString()).as("lr 5 blows the loss up").contains("diverging");
    }

    /** Inputs and targets of any shape, already stacked: what regression and sequence tasks need. */
    record Stacked(Tensor inputs, Tensor targets) implements jgrad.data.Dataset {
        @Override public int size() { return inputs.size(0); }

        @Override public jgrad.data.Sample get(int i) { throw new UnsupportedOperationException("batches only"); }

        @Override public jgrad.data.Batch batch(int[] idx, jgrad.tensor.Device d) {
            return new jgrad.data.Batch(rows(inputs, idx), rows(targets, idx));
        }

        private static Tensor rows(Tensor t, int[] idx) {
            int per = t.numel() / t.size(0);
            float[] all = t.toFloatArray(), out = new float[idx.length * per];
            for (int i = 0; i < idx.length; i++) System.arraycopy(all, idx[i] * per, out, i * per, per);
            int[] shape = t.shape();
            shape[0] = idx.length;
            return Tensor.of(out, shape);
        }
    }

    @Test
    void regressionReportsTheMeanAbsoluteErrorAndMonitorsItLowerIsBetter(@TempDir Path dir) throws Exception {
        // y = 2x − 1 with a little noise, fitted by one Linear(1, 1) with the squared error
        Generator g = new Generator(21);
        Tensor x = Tensor.randn(g, 64, 1);
        Tensor y = x.mul(2f).sub(1f).add(Tensor.randn(g, 64, 1).mul(0.01f));
        Linear model = new Linear(1, 1, true, new Generator(22));
        DataLoader loader = new DataLoader(new Stacked(x, y), 16, true, new Generator(23));
        History h = Trainer.builder(model, new SGD(model.parameters(), 0.1f), new jgrad.nn.MSELoss(), loader)
                .validation(new DataLoader(new Stacked(x, y), 64, false, null)).monitor(Trainer.Monitor.VAL_METRIC).epochs(30).fit();
        assertThat(h.metricName()).isEqualTo("mae");
        assertThat(h.last().valMetric()).as("mean |prediction − target| after 30 epochs").isLessThan(0.02);
        assertThat(h.epochs().get(0).valMetric()).as("and it started far off").isGreaterThan(0.2);
        double lowest = h.epochs().stream().mapToDouble(History.Epoch::valMetric).min().orElseThrow();
        assertThat(h.epochs().get(h.bestEpoch() - 1).valMetric()).as("the best epoch has the lowest error").isEqualTo(lowest);
        assertThat(model.weight.toFloatArray()[0]).isCloseTo(2f, within(0.05f));
        h.writeCsv(dir.resolve("h.csv"));
        assertThat(Files.readAllLines(dir.resolve("h.csv")).get(0)).isEqualTo("epoch,train_loss,train_mae,val_loss,val_mae,lr,seconds");
    }

    /** [N, T, C] scores against [N, T] classes: the cross-entropy of every position. */
    static final class SequenceCrossEntropy implements jgrad.nn.Loss {
        @Override
        public Tensor forward(Tensor scores, Tensor classes) {
            return new CrossEntropyLoss().forward(scores.reshape(-1, scores.size(-1)), classes.reshape(-1));
        }
    }

    @Test
    void aSequenceOutputIsScoredByAccuracyAtEveryPosition() {
        // each of 3 positions holds a blob point; the class of every position is to be predicted
        TensorDataset points = blobs(32, 5);
        int n = 32;
        float[] xs = new float[n * 3 * 2], ys = new float[n * 3];
        for (int i = 0; i < n * 3; i++) {
            jgrad.data.Sample s = points.get(i);
            System.arraycopy(s.input().toFloatArray(), 0, xs, 2 * i, 2);
            ys[i] = s.label();
        }
        Tensor x = Tensor.of(xs, n, 3, 2), y = Tensor.of(ys, n, 3);
        Sequential model = net(false);  // Linear works on [..., in]: every position at once
        History h = Trainer.builder(model, new SGD(model.parameters(), 0.1f, 0.9f, 0f), new SequenceCrossEntropy(),
                new DataLoader(new Stacked(x, y), 8, true, new Generator(6))).epochs(6).fit();
        assertThat(h.metricName()).isEqualTo("accuracy");
        assertThat(h.last().trainMetric()).as("per-position accuracy on separable blobs").isGreaterThan(0.9);
        assertThat(h.epochs().get(0).trainMetric()).isBetween(0.0, 1.0);
    }

    @Test
    void modulesRegisterTheirGeneratorsAndTheTrainerReseedsThem() {
        Generator d1 = new Generator(8), d2 = new Generator(9);
        Sequential model = new Sequential(new Linear(2, 16, true, new Generator(7)), new Dropout(0.2f, d1), new ReLU(),
                new Sequential(new Dropout(0.3f, d2), new Linear(16, 3, true, new Generator(7))));
        assertThat(model.generators()).as("in module order").containsExactly(d1, d2);
        // the same run twice, the dropout generators in different states before each: reseeding makes them equal
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            Sequential m = new Sequential(new Linear(2, 16, true, new Generator(7)), new Dropout(0.2f, new Generator(100 + run)), new ReLU(),
                    new Linear(16, 3, true, new Generator(7)));
            Trainer.builder(m, new SGD(m.parameters(), 0.05f), new CrossEntropyLoss(), trainLoader()).epochs(2).keepBest(false).fit();
            weights[run] = m.parameters().get(0).toFloatArray();
        }
        assertThat(weights[1]).containsExactly(weights[0]);
    }

    @Test
    void aRunResumedAfterItsUnfreezeEpochEndsAsTheUninterruptedOne(@TempDir Path dir) {
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            Sequential m = net(false);
            List<Parameter> backbone = ((Linear) m.get(0)).parameters();
            for (Parameter p : backbone) p.requiresGrad(false);
            SGD opt = new SGD(m.parameters(), 0.05f, 0.9f, 0f);
            if (run == 0) {
                Trainer.builder(m, opt, new CrossEntropyLoss(), trainLoader()).epochs(3).keepBest(false).unfreezeAt(2, backbone).fit();
            } else {
                Path ckpt = dir.resolve("ckpt");
                Trainer.builder(m, opt, new CrossEntropyLoss(), trainLoader()).epochs(2).keepBest(false).unfreezeAt(2, backbone)
                        .checkpoints(ckpt).fit();
                Sequential m2 = net(false);
                List<Parameter> backbone2 = ((Linear) m2.get(0)).parameters();
                for (Parameter p : backbone2) p.requiresGrad(false);
                Trainer.builder(m2, new SGD(m2.parameters(), 0.05f, 0.9f, 0f), new CrossEntropyLoss(), trainLoader()).epochs(3)
                        .keepBest(false).unfreezeAt(2, backbone2).checkpoints(ckpt).resume(true).fit();
                m = m2;
            }
            weights[run] = m.parameters().get(0).toFloatArray();
        }
        assertThat(weights[1]).as("the backbone after epoch 3, resumed after epoch 2").containsExactly(weights[0]);
    }

    @Test
    void evaluateWorksBeforeFitAndLeavesTheHistoryAlone() {
        Sequential model = net(false);
        Trainer t = Trainer.builder(model, new SGD(model.parameters(), 0.05f), new CrossEntropyLoss(), trainLoader()).build();
        double[] lossAndAccuracy = t.evaluate(valLoader());
        assertThat(lossAndAccuracy[0]).isPositive();
        assertThat(lossAndAccuracy[1]).isBetween(0.0, 1.0);
    }

    @Test
    void monitoringAMetricThatNoTaskGivesIsAClearError() {
        // BCE-with-logits on [N] labels: no metric fits, so VAL_METRIC has nothing to follow
        Linear model = new Linear(2, 1, true, new Generator(30));
        Tensor x = Tensor.randn(new Generator(31), 32, 2), y = Tensor.of(new float[32], 32, 1);
        DataLoader loader = new DataLoader(new Stacked(x, y), 8, false, null);
        assertThatThrownBy(() -> Trainer.builder(model, new SGD(model.parameters(), 0.05f), new jgrad.nn.BCEWithLogitsLoss(), loader)
                .validation(loader).monitor(Trainer.Monitor.VAL_METRIC).epochs(2).fit())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("VAL_METRIC").hasMessageContaining(".metric(");
    }
}
