package jgrad.train;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jgrad.autograd.NoGrad;
import jgrad.backend.BinaryOp;
import jgrad.data.Batch;
import jgrad.data.DataLoader;
import jgrad.nn.Dropout;
import jgrad.nn.Loss;
import jgrad.nn.Module;
import jgrad.nn.Parameter;
import jgrad.optim.LRScheduler;
import jgrad.optim.Optimizer;
import jgrad.optim.ReduceLROnPlateau;
import jgrad.tensor.Generator;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * The train/validate loop of the tutorial's {@code train_model}, reusable: epochs of a training
 * phase and a validation phase, running loss and accuracy, {@code train()}/{@code eval()}
 * switching, no-grad validation, the best weights kept and restored at the end, early stopping,
 * an LR schedule per epoch (or on the monitored metric), unfreezing layers at a chosen epoch, and
 * checkpoints to resume from.
 *
 * <pre>{@code
 * History h = Trainer.builder(model, optimizer, new CrossEntropyLoss(), trainLoader)
 *         .validation(valLoader).epochs(20).scheduler(new StepLR(optimizer, 7, 0.1))
 *         .earlyStopping(5, 0).checkpoints(Path.of("runs/lenet")).fit();
 * }</pre>
 *
 * <p><b>Determinism.</b> At the start of each epoch every generator the run draws from (the
 * loader's shuffling, each Dropout's masks) is reseeded from (seed, epoch). A run resumed from the
 * checkpoint written at the end of epoch e therefore starts epoch e + 1 exactly as the uninterrupted
 * run did, and (on the CPU backends) ends with the same weights, bit for bit.
 *
 * <p><b>Guards.</b> A NaN or infinite training loss stops the run with an error naming the epoch,
 * the batch and the last checkpoint; nothing is silently continued.
 */
public final class Trainer {
    /** What decides the best epoch, early stopping and ReduceLROnPlateau. */
    public enum Monitor { VAL_LOSS, VAL_ACCURACY, TRAIN_LOSS }

    /**
     * Hooks into the loop (for logging, plots, custom stopping, schedules per batch): every method
     * is optional. {@code onEpochEnd} gets the epoch's record; {@code onBatchEnd} the training
     * batch's index (from 0) and loss.
     */
    public interface Callback {
        default void onEpochStart(Trainer trainer, int epoch) {}

        default void onBatchStart(Trainer trainer, int epoch, int batch) {}

        default void onBatchEnd(Trainer trainer, int epoch, int batch, float loss) {}

        void onEpochEnd(Trainer trainer, History.Epoch epoch);
    }

    private final Module model;
    private final Optimizer optimizer;
    private final Loss loss;
    private final DataLoader train, val;
    private final int epochs, patience, unfreezeEpoch;
    private final double minDelta;
    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;
    private final Monitor monitor;
    private final long seed;
    private final Path checkpointDir;
    private final boolean resume, keepBest;
    private final List<Parameter> unfreeze;
    private final List<Callback> callbacks;
    private final PrintStream out;
    private final boolean profile;
    private jgrad.autograd.Profiler profiler;
    private boolean stopRequested;

    private Trainer(Builder b) {
        model = b.model;
        optimizer = b.optimizer;
        loss = b.loss;
        train = b.train;
        val = b.val;
        epochs = b.epochs;
        patience = b.patience;
        minDelta = b.minDelta;
        scheduler = b.scheduler;
        plateau = b.plateau;
        monitor = b.monitor != null ? b.monitor : (b.val != null ? Monitor.VAL_LOSS : Monitor.TRAIN_LOSS);
        seed = b.seed;
        checkpointDir = b.checkpointDir;
        resume = b.resume;
        keepBest = b.keepBest;
        unfreeze = b.unfreeze;
        unfreezeEpoch = b.unfreezeEpoch;
        callbacks = List.copyOf(b.callbacks);
        out = b.out;
        profile = b.profile;
        if (monitor != Monitor.TRAIN_LOSS && val == null) {
            throw new IllegalArgumentException("Trainer: monitoring " + monitor + " needs a validation loader");
        }
    }

    public static Builder builder(Module model, Optimizer optimizer, Loss loss, DataLoader train) {
        return new Builder(model, optimizer, loss, train);
    }

    /** Asks the loop to stop after the current epoch (from a callback). */
    public void requestStop() {
        stopRequested = true;
    }

    /** The file a checkpoint is written to, in the checkpoint folder. */
    public static Path checkpointFile(Path dir) {
        return dir.resolve("checkpoint.jgrad");
    }

    private Checkpoint checkpoint() {
        return new Checkpoint(checkpointFile(checkpointDir), model, optimizer, scheduler, plateau);
    }

    /** Runs the epochs; returns what was measured, with the best weights loaded into the model when asked. */
    public History fit() {
        if (profile) profiler = jgrad.autograd.Profiler.start();
        try {
            return run();
        } finally {
            if (profiler != null) {
                profiler.stop();
                if (out != null) {
                    out.println("\nProfile (training and validation forward passes, training backward passes):");
                    profiler.print(out);
                }
            }
        }
    }

    /** The profiler of the last {@link #fit} with profiling on (null otherwise). */
    public jgrad.autograd.Profiler profiler() {
        return profiler;
    }

    private History run() {
        History history = new History();
        int start = 1;
        Map<String, Tensor> best = null;
        double bestValue = Double.NaN;
        int sinceBest = 0;
        if (resume && checkpointDir != null && Files.exists(checkpointFile(checkpointDir))) {
            Checkpoint.Resumed r = checkpoint().load(history);
            start = r.epoch() + 1;
            best = r.best();
            bestValue = r.bestValue();
            sinceBest = r.sinceBest();
            if (out != null) out.printf("resumed from %s after epoch %d%n", checkpointFile(checkpointDir), r.epoch());
        }
        for (int epoch = start; epoch <= epochs && !stopRequested; epoch++) {
            reseed(epoch);
            if (unfreeze != null && epoch == unfreezeEpoch) {
                for (Parameter p : unfreeze) p.requiresGrad(true);
                if (out != null) out.printf("epoch %d: %d parameter tensors unfrozen%n", epoch, unfreeze.size());
            }
            for (Callback c : callbacks) c.onEpochStart(this, epoch);
            long t0 = System.nanoTime();
            double lr = optimizer.lr();
            double[] tr = runTrain(epoch);
            double[] va = val == null ? new double[] {Double.NaN, Double.NaN} : evaluate(val);
            double seconds = (System.nanoTime() - t0) / 1e9;
            History.Epoch record = new History.Epoch(epoch, tr[0], tr[1], va[0], va[1], lr, seconds);
            history.add(record);
            double lowest = history.epochs().stream().mapToDouble(History.Epoch::trainLoss).min().orElse(tr[0]);
            if (tr[0] > 4 * lowest && out != null) {
                out.printf(Locale.ROOT, "warning: the run is diverging: training loss %.4f at epoch %d is over 4× its lowest, %.4f"
                        + " (lower the learning rate?)%n", tr[0], epoch, lowest);
            }
            double value = switch (monitor) {
                case VAL_LOSS -> va[0];
                case VAL_ACCURACY -> va[1];
                case TRAIN_LOSS -> tr[0];
            };
            boolean higherIsBetter = monitor == Monitor.VAL_ACCURACY;
            if (Double.isNaN(bestValue) || (higherIsBetter ? value > bestValue + minDelta : value < bestValue - minDelta)) {
                bestValue = value;
                sinceBest = 0;
                history.setBestEpoch(epoch);
                if (keepBest) best = model.stateDict();
            } else {
                sinceBest++;
            }
            if (scheduler != null) scheduler.step();
            if (plateau != null) plateau.step(value);
            if (out != null) {
                out.printf(Locale.ROOT, "epoch %3d/%d  train loss %.4f%s%s  lr %.3g  (%.1f s)%s%n", epoch, epochs, tr[0],
                        Double.isNaN(tr[1]) ? "" : String.format(Locale.ROOT, " acc %.2f%%", 100 * tr[1]),
                        val == null ? "" : String.format(Locale.ROOT, "  val loss %.4f%s", va[0],
                                Double.isNaN(va[1]) ? "" : String.format(Locale.ROOT, " acc %.2f%%", 100 * va[1])),
                        lr, seconds, history.bestEpoch() == epoch ? "  *" : "");
            }
            for (Callback c : callbacks) c.onEpochEnd(this, record);
            if (checkpointDir != null) checkpoint().save(epoch, history, best, bestValue, sinceBest);
            if (patience > 0 && sinceBest >= patience) {
                if (out != null) out.printf("early stop: %s has not improved for %d epochs%n", monitor, patience);
                break;
            }
        }
        if (keepBest && best != null) model.loadStateDict(best);
        return history;
    }

    /** Every generator of the run restarts from (seed, epoch): the loader's, then each Dropout's in module order. */
    private void reseed(int epoch) {
        train.setEpoch(epoch);
        List<Generator> gens = new ArrayList<>();
        if (train.generator() != null) gens.add(train.generator());
        collectGenerators(model, gens);
        for (int i = 0; i < gens.size(); i++) {
            gens.get(i).reseed(seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + i);
        }
    }

    private static void collectGenerators(Module m, List<Generator> out) {
        if (m instanceof Dropout d) out.add(d.generator());
        for (Module child : m.children().values()) collectGenerators(child, out);
    }

    /**
     * Running loss and accuracy of one phase. The loss comes back every step anyway; the correct
     * predictions are added up on the device and read once, at the end (a read per batch would make
     * a GPU wait every step).
     */
    private static final class Tally {
        double lossSum;
        long seen;
        Tensor correct;                 // Σ of [argmax = target], on the device
        boolean classification = true;  // scores [N, C] with class indices [N]

        void add(float batchLoss, Tensor output, Tensor targets) {
            int n = targets.size(0);
            lossSum += (double) batchLoss * n;
            seen += n;
            classification &= output.dim() == 2 && targets.dim() == 1 && targets.size(0) == output.size(0);
            if (!classification) return;
            try (NoGrad scope = NoGrad.enter()) {
                Tensor c = Kernels.zip(BinaryOp.EQ, output.argmax(1, false), targets).sum();
                correct = correct == null ? c : correct.add(c);
            }
        }

        double meanLoss() {
            return lossSum / seen;
        }

        double accuracy() {
            return classification && correct != null ? correct.item() / (double) seen : Double.NaN;
        }
    }

    /** One training epoch: {mean loss per example, accuracy (NaN if not classification)}. */
    private double[] runTrain(int epoch) {
        model.train();
        Tally tally = new Tally();
        int index = 0;
        ProgressBar bar = out == null ? null : new ProgressBar(out, train.numBatches());
        long start = System.nanoTime();
        java.util.Iterator<Batch> batches = train.iterator();
        while (true) {
            long tData = System.nanoTime();
            if (!batches.hasNext()) break;
            Batch batch = batches.next();
            long tCompute = System.nanoTime();
            if (profiler != null) profiler.addData(tCompute - tData);
            for (Callback c : callbacks) c.onBatchStart(this, epoch, index);
            Tensor output = model.forward(batch.inputs());
            Tensor cost = loss.forward(output, batch.targets());
            optimizer.zeroGrad();
            cost.backward();
            optimizer.step();
            // read after the update is queued, so that a GPU is never idle waiting for this read
            float value = cost.item();
            if (!Float.isFinite(value)) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "training stopped: the loss is %s at epoch %d, batch %d; %s", value, epoch, index,
                        checkpointDir == null ? "no checkpoint was being written"
                                : Files.exists(checkpointFile(checkpointDir)) ? "the last good checkpoint is " + checkpointFile(checkpointDir)
                                : "no checkpoint was written yet"));
            }
            if (profiler != null) profiler.addCompute(System.nanoTime() - tCompute);
            for (Callback c : callbacks) c.onBatchEnd(this, epoch, index, value);
            tally.add(value, output, batch.targets());
            index++;
            if (bar != null) {
                double rate = tally.seen / ((System.nanoTime() - start) / 1e9);
                bar.update(index, () -> String.format(Locale.ROOT, "epoch %d  loss %.4f%s  %,.0f img/s", epoch, tally.meanLoss(),
                        tally.classification ? String.format(Locale.ROOT, "  acc %.2f%%", 100 * tally.accuracy()) : "", rate));
            }
        }
        if (bar != null) bar.finish();
        return new double[] {tally.meanLoss(), tally.accuracy()};
    }

    /** Mean loss and accuracy over a loader, in eval mode, without recording a graph. */
    public double[] evaluate(DataLoader loader) {
        model.eval();
        Tally tally = new Tally();
        try (NoGrad scope = NoGrad.enter()) {
            for (Batch batch : loader) {
                Tensor output = model.forward(batch.inputs());
                tally.add(loss.forward(output, batch.targets()).item(), output, batch.targets());
            }
        }
        return new double[] {tally.meanLoss(), tally.accuracy()};
    }

    /** Settings of a {@link Trainer}; every one but the four of {@link Trainer#builder} is optional. */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private final Loss loss;
        private final DataLoader train;
        private DataLoader val;
        private int epochs = 10, patience, unfreezeEpoch;
        private double minDelta;
        private LRScheduler scheduler;
        private ReduceLROnPlateau plateau;
        private Monitor monitor;
        private long seed = 1;
        private Path checkpointDir;
        private boolean resume, keepBest = true;
        private List<Parameter> unfreeze;
        private final List<Callback> callbacks = new ArrayList<>();
        private PrintStream out;
        private boolean profile;

        private Builder(Module model, Optimizer optimizer, Loss loss, DataLoader train) {
            this.model = model;
            this.optimizer = optimizer;
            this.loss = loss;
            this.train = train;
        }

        public Builder validation(DataLoader loader) { this.val = loader; return this; }

        public Builder epochs(int n) {
            if (n < 1) throw new IllegalArgumentException("Trainer: epochs must be ≥ 1, got " + n);
            this.epochs = n;
            return this;
        }

        /** A schedule stepped once per epoch. */
        public Builder scheduler(LRScheduler s) { this.scheduler = s; return this; }

        /** ReduceLROnPlateau, stepped with the monitored metric. */
        public Builder plateau(ReduceLROnPlateau p) { this.plateau = p; return this; }

        /** The metric for the best epoch, early stopping and the plateau schedule (default: validation loss if there is validation). */
        public Builder monitor(Monitor m) { this.monitor = m; return this; }

        /** Stop when the monitored metric has not improved by more than {@code minDelta} for {@code patience} epochs. */
        public Builder earlyStopping(int patience, double minDelta) {
            if (patience < 1) throw new IllegalArgumentException("Trainer: early-stopping patience must be ≥ 1, got " + patience);
            this.patience = patience;
            this.minDelta = minDelta;
            return this;
        }

        /** Keep the best epoch's weights and load them at the end (default true). */
        public Builder keepBest(boolean on) { this.keepBest = on; return this; }

        public Builder seed(long s) { this.seed = s; return this; }

        /** Write a checkpoint after every epoch into {@code dir} (model, optimizer, schedule, epoch, best weights, history). */
        public Builder checkpoints(Path dir) { this.checkpointDir = dir; return this; }

        /** Continue from the checkpoint in the checkpoint folder when there is one. */
        public Builder resume(boolean on) { this.resume = on; return this; }

        /** At the start of {@code epoch}, set requiresGrad on these (frozen) parameters: fine-tune the backbone later. */
        public Builder unfreezeAt(int epoch, List<Parameter> params) {
            this.unfreezeEpoch = epoch;
            this.unfreeze = List.copyOf(params);
            return this;
        }

        public Builder callback(Callback c) { this.callbacks.add(c); return this; }

        /** Time every module's forward and backward and the data loading; the table is printed at the end. */
        public Builder profile(boolean on) { this.profile = on; return this; }

        /** Where to print one line per epoch (null: silent). */
        public Builder log(PrintStream out) { this.out = out; return this; }

        public History fit() {
            return new Trainer(this).fit();
        }

        public Trainer build() {
            return new Trainer(this);
        }
    }
}
