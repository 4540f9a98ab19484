package jgrad.train;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Supplier;
import jgrad.autograd.NoGrad;
import jgrad.data.Batch;
import jgrad.data.DataLoader;
import jgrad.metrics.Metric;
import jgrad.nn.Loss;
import jgrad.nn.Module;
import jgrad.nn.Parameter;
import jgrad.optim.LRScheduler;
import jgrad.optim.Optimizer;
import jgrad.optim.ReduceLROnPlateau;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * The train/validate loop of the tutorial's {@code train_model}: epochs of a training phase and a
 * validation phase, with the running loss and a metric the task calls for ({@link Metric#forTask}:
 * accuracy for classes, per position for sequences, mean absolute error for regression). All the
 * rest is callbacks, each a small class next to this one: the best weights kept and restored
 * ({@link BestEpoch}), LR schedules ({@link Schedules}), early stopping ({@link EarlyStopping}),
 * checkpoints and resuming ({@link Checkpointing}), unfreezing ({@link Unfreeze}), progress
 * ({@link ProgressLog}) and profiling ({@link Profiling}). The builder adds the ones asked for.
 *
 * <pre>{@code
 * History h = Trainer.builder(model, optimizer, new CrossEntropyLoss(), trainLoader)
 *         .validation(valLoader).epochs(20).scheduler(new StepLR(optimizer, 7, 0.1))
 *         .earlyStopping(5, 0).checkpoints(Path.of("runs/lenet")).fit();
 * }</pre>
 *
 * <p><b>Determinism.</b> At the start of each epoch every generator the run draws from (the
 * loader's shuffling, then each module's in module order, {@link Module#generators}) is reseeded
 * from (seed, epoch). A run resumed from the checkpoint written at the end of epoch e therefore
 * starts epoch e + 1 exactly as the uninterrupted run did, and (on the CPU backends) ends with the
 * same weights, bit for bit.
 *
 * <p><b>Guards.</b> A NaN or infinite training loss stops the run with an error naming the epoch,
 * the batch and the last checkpoint; so does a finite loss that has grown by orders of magnitude
 * ({@link DivergenceGuard}); nothing is silently continued, and a diverged model is never the best.
 */
public final class Trainer {
    /** What decides the best epoch, early stopping and ReduceLROnPlateau. VAL_ACCURACY is VAL_METRIC's name for classification. */
    public enum Monitor { VAL_LOSS, VAL_METRIC, VAL_ACCURACY, TRAIN_LOSS }

    /** Hooks into the loop; every method but {@link #onEpochEnd} is optional. */
    public interface Callback {
        default void onFitStart(Trainer trainer) {}

        default void onEpochStart(Trainer trainer, int epoch) {}

        default void onBatchStart(Trainer trainer, int epoch, int batch) {}

        /** After a training step; {@code batch} counts from 0. */
        default void onBatchEnd(Trainer trainer, int epoch, int batch, float loss) {}

        void onEpochEnd(Trainer trainer, History.Epoch epoch);

        /** At the end of fit, also when it ends with an exception ({@code completed} false). */
        default void onFitEnd(Trainer trainer, boolean completed) {}
    }

    private final Module model;
    private final Optimizer optimizer;
    private final Loss loss;
    private final DataLoader train, val;
    private final int epochs;
    private final long seed;
    private final Supplier<Metric> metric;
    private final Path checkpointFile;
    private final List<Callback> callbacks;
    private final Profiling profiling;
    private final CarriedState carried;  // null: every batch starts from the model's zero state
    private History history;
    private Running running;
    private int nextEpoch;
    private long batchWait;
    private boolean stopRequested;

    private Trainer(Builder b) {
        model = b.model;
        optimizer = b.optimizer;
        loss = b.loss;
        train = b.train;
        val = b.val;
        epochs = b.epochs;
        seed = b.seed;
        metric = b.metric;
        checkpointFile = b.checkpointDir == null ? null : checkpointFile(b.checkpointDir);
        Monitor monitor = b.monitor != null ? b.monitor : (b.val != null ? Monitor.VAL_LOSS : Monitor.TRAIN_LOSS);
        if (monitor != Monitor.TRAIN_LOSS && val == null) {
            throw new IllegalArgumentException("Trainer: monitoring " + monitor + " needs a validation loader");
        }
        // the order matters: the best epoch is known before schedules, the log and checkpoints use it
        BestEpoch best = new BestEpoch(monitor, b.keepBest, b.minDelta);
        List<Callback> all = new ArrayList<>();
        profiling = b.profile ? new Profiling(b.out) : null;
        carried = b.truncatedBptt ? new CarriedState(model) : null;
        if (profiling != null) all.add(profiling);
        if (b.unfreeze != null) all.add(new Unfreeze(b.unfreezeEpoch, b.unfreeze, b.out));
        all.add(new DivergenceGuard(b.divergenceFactor, checkpointFile));  // before BestEpoch: a diverged epoch never becomes best
        all.add(best);
        if (b.scheduler != null || b.plateau != null) all.add(new Schedules(b.scheduler, b.plateau, best));
        if (b.out != null) all.add(new ProgressLog(b.out, best));
        all.addAll(b.callbacks);
        if (checkpointFile != null) all.add(new Checkpointing(checkpointFile, b.resume, b.resumeAnyway, b.runInfo, b.scheduler, b.plateau, best, b.out));
        if (b.patience > 0) all.add(new EarlyStopping(best, b.patience, b.out));
        callbacks = List.copyOf(all);
    }

    public static Builder builder(Module model, Optimizer optimizer, Loss loss, DataLoader train) {
        return new Builder(model, optimizer, loss, train);
    }

    /** Runs the epochs; returns what was measured (with the best weights loaded into the model, unless asked not to). */
    public History fit() {
        history = new History();
        nextEpoch = 1;
        stopRequested = false;
        try {
            for (Callback c : callbacks) c.onFitStart(this);
            for (int epoch = nextEpoch; epoch <= epochs && !stopRequested; epoch++) {
                reseed(epoch);
                for (Callback c : callbacks) c.onEpochStart(this, epoch);
                long t0 = System.nanoTime();
                double lr = optimizer.lr();
                Running tr = trainEpoch(epoch);
                Running va = val == null ? null : evaluatePhase(val, history);
                History.Epoch record = new History.Epoch(epoch, tr.meanLoss(), tr.metric(), va == null ? Double.NaN : va.meanLoss(),
                        va == null ? Double.NaN : va.metric(), lr, (System.nanoTime() - t0) / 1e9);
                history.add(record);
                for (Callback c : callbacks) c.onEpochEnd(this, record);
            }
        } catch (RuntimeException | Error e) {
            endFit(e);
            throw e;
        }
        endFit(null);
        return history;
    }

    /** Every callback's onFitEnd, even if one throws; with the run's own failure, theirs are attached to it. */
    private void endFit(Throwable failure) {
        RuntimeException first = null;
        for (Callback c : callbacks) {
            try {
                c.onFitEnd(this, failure == null);
            } catch (RuntimeException e) {
                if (failure != null) failure.addSuppressed(e);
                else if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }

    /** One epoch of mini-batch training: forward, cost, backward, update, batch after batch. */
    private Running trainEpoch(int epoch) {
        model.train();
        if (carried != null) carried.reset();
        running = new Running(history);
        java.util.Iterator<Batch> batches = train.iterator();
        for (int index = 0; ; index++) {
            long asked = System.nanoTime();
            if (!batches.hasNext()) break;
            Batch batch = batches.next();
            batchWait = System.nanoTime() - asked;  // time spent waiting for the loader (the profiler's "data")
            for (Callback c : callbacks) c.onBatchStart(this, epoch, index);
            Tensor output = carried != null ? carried.forward(batch.inputs()) : model.forward(batch.inputs());
            Tensor cost = loss.forward(output, batch.targets());
            optimizer.zeroGrad();
            cost.backward();
            if (carried != null) carried.carry();
            optimizer.step();
            float value = cost.item();  // read after the update is queued, so a GPU never idles waiting for it
            if (!Float.isFinite(value)) throw nonFinite(value, epoch, index);
            running.add(value, output, batch.targets());
            for (Callback c : callbacks) c.onBatchEnd(this, epoch, index, value);
        }
        return running;
    }

    /** Mean loss and metric over a loader, in eval mode, without recording a graph; the metric's name goes to {@code h} if given. */
    private Running evaluatePhase(DataLoader loader, History h) {
        model.eval();
        Running r = new Running(h);
        if (carried != null) carried.reset();
        try (NoGrad scope = NoGrad.enter()) {
            for (Batch batch : loader) {
                Tensor output = carried != null ? carried.forward(batch.inputs()) : model.forward(batch.inputs());
                if (carried != null) carried.carry();
                r.add(loss.forward(output, batch.targets()).item(), output, batch.targets());
            }
        }
        return r;
    }

    /** {mean loss, metric} over a loader, in eval mode, without recording a graph (metric NaN when none fits the task). */
    public double[] evaluate(DataLoader loader) {
        Running r = evaluatePhase(loader, null);
        return new double[] {r.meanLoss(), r.metric()};
    }

    /** Every generator of the run restarts from (seed, epoch): the loader's, then each module's in module order. */
    private void reseed(int epoch) {
        train.setEpoch(epoch);
        List<Generator> gens = new ArrayList<>();
        if (train.generator() != null) gens.add(train.generator());
        gens.addAll(model.generators());
        for (int i = 0; i < gens.size(); i++) gens.get(i).reseed(seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + i);
    }

    private IllegalStateException nonFinite(float value, int epoch, int batch) {
        return new IllegalStateException(String.format(Locale.ROOT, "training stopped: the loss is %s at epoch %d, batch %d; %s",
                value, epoch, batch, checkpointFile == null ? "no checkpoint was being written"
                        : Files.exists(checkpointFile) ? "the last good checkpoint is " + checkpointFile : "no checkpoint was written yet"));
    }

    /**
     * The running loss and metric of one phase. The loss comes back every step anyway; the metric
     * adds up on the device and is read once, at the end.
     */
    final class Running {
        private final History named;
        private double lossSum;
        private long seen;
        private Metric score;
        private boolean scoreChosen;

        /** {@code named}: the history whose metric column this phase names (null: none). */
        Running(History named) {
            this.named = named;
        }

        void add(float batchLoss, Tensor output, Tensor targets) {
            int n = targets.dim() == 0 ? 1 : targets.size(0);
            lossSum += (double) batchLoss * n;
            seen += n;
            if (!scoreChosen) {
                scoreChosen = true;
                score = metric != null ? metric.get() : Metric.forTask(loss, output, targets);
                if (score != null && named != null) named.setMetric(score);
            }
            if (score != null) score.add(output, targets);
        }

        double meanLoss() {
            return lossSum / seen;
        }

        double metric() {
            return score == null ? Double.NaN : score.value();
        }

        long seen() {
            return seen;
        }
    }

    // ---- what callbacks see and may do --------------------------------------------------------

    public Module model() { return model; }

    public Optimizer optimizer() { return optimizer; }

    public DataLoader trainLoader() { return train; }

    /** The epochs measured so far in this fit. */
    public History history() { return history; }

    /** The number of epochs asked for. */
    public int epochs() { return epochs; }

    /** The training phase's running loss and metric, while it runs (for progress displays). */
    Running running() { return running; }

    /** Nanoseconds the current training batch took to arrive from the loader. */
    long batchWait() { return batchWait; }

    /** Asks the loop to stop after the current epoch (from a callback). */
    public void requestStop() { stopRequested = true; }

    /** From a callback's onFitStart: continue with {@code epoch} (a resumed run). */
    void startAt(int epoch) { nextEpoch = epoch; }

    /** The file a checkpoint is written to, in the checkpoint folder. */
    public static Path checkpointFile(Path dir) { return dir.resolve("checkpoint.jgrad"); }

    /** The profiler of the last {@link #fit} with profiling on (null otherwise). */
    public jgrad.autograd.Profiler profiler() { return profiling == null ? null : profiling.profiler(); }

    /** Settings of a {@link Trainer}; every one but the four of {@link Trainer#builder} is optional. */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private final Loss loss;
        private final DataLoader train;
        private DataLoader val;
        private int epochs = 10, patience, unfreezeEpoch;
        private double minDelta, divergenceFactor = DivergenceGuard.DEFAULT_FACTOR;
        private LRScheduler scheduler;
        private ReduceLROnPlateau plateau;
        private Monitor monitor;
        private long seed = 1;
        private Path checkpointDir;
        private boolean resume, resumeAnyway, keepBest = true, profile, truncatedBptt;
        private final Map<String, String> runInfo = new java.util.TreeMap<>();
        private List<Parameter> unfreeze;
        private Supplier<Metric> metric;
        private final List<Callback> callbacks = new ArrayList<>();
        private PrintStream out;

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

        /** Either kind of scheduler: an epoch schedule is stepped once per epoch, ReduceLROnPlateau with the monitored metric. */
        public Builder scheduler(jgrad.optim.Scheduler s) {
            return s instanceof ReduceLROnPlateau p ? plateau(p) : scheduler((LRScheduler) s);
        }

        /** The metric for the best epoch, early stopping and the plateau schedule (default: validation loss if there is validation). */
        public Builder monitor(Monitor m) { this.monitor = m; return this; }

        /** The metric reported next to the loss (default: the one {@link Metric#forTask} picks from the first batch). */
        public Builder metric(Supplier<Metric> m) { this.metric = m; return this; }

        /** Stop when the monitored metric has not improved by more than {@code minDelta} for {@code patience} epochs. */
        public Builder earlyStopping(int patience, double minDelta) {
            if (patience < 1) throw new IllegalArgumentException("Trainer: early-stopping patience must be ≥ 1, got " + patience);
            this.patience = patience;
            this.minDelta = minDelta;
            return this;
        }

        /**
         * Stop when a batch loss exceeds {@code factor} × the first batch's (default
         * {@link DivergenceGuard#DEFAULT_FACTOR}; 0 for off): see {@link DivergenceGuard}.
         */
        public Builder divergenceFactor(double factor) {
            new DivergenceGuard(factor, null);  // checks the value now, where it is given
            this.divergenceFactor = factor;
            return this;
        }

        /** Keep the best epoch's weights and load them at the end (default true). */
        public Builder keepBest(boolean on) { this.keepBest = on; return this; }

        public Builder seed(long s) { this.seed = s; return this; }

        /** Write a checkpoint after every epoch into {@code dir} (model, optimizer, schedule, epoch, best weights, history). */
        public Builder checkpoints(Path dir) { this.checkpointDir = dir; return this; }

        /** Continue from the checkpoint in the checkpoint folder; fit throws {@link CheckpointException} if there is none. */
        public Builder resume(boolean on) { this.resume = on; return this; }

        /** When resuming, continue past a checkpoint from a different run (naming the differences; another optimizer's state is dropped). */
        public Builder resumeAnyway(boolean on) { this.resumeAnyway = on; return this; }

        /** Describes the run in its checkpoints (e.g. "model" → "lenet", "data" → "mnist 55000/5000"); resuming compares them. */
        public Builder runInfo(String key, String value) { this.runInfo.put(key, value); return this; }

        /** At the start of {@code epoch}, set requiresGrad on these (frozen) parameters: fine-tune the backbone later. */
        public Builder unfreezeAt(int epoch, List<Parameter> params) {
            this.unfreezeEpoch = epoch;
            this.unfreeze = List.copyOf(params);
            return this;
        }

        public Builder callback(Callback c) { this.callbacks.add(c); return this; }

        /**
         * Truncated backpropagation through time: the model ({@link jgrad.nn.Stateful}) carries its
         * state from batch to batch, cut from the graph between them ({@link CarriedState}).
         */
        public Builder truncatedBptt(boolean on) { this.truncatedBptt = on; return this; }

        /** Time every module's forward and backward and the data loading; the table is printed at the end. */
        public Builder profile(boolean on) { this.profile = on; return this; }

        /** Where to print one line per epoch and a progress bar (null: silent). */
        public Builder log(PrintStream out) { this.out = out; return this; }

        public History fit() { return new Trainer(this).fit(); }

        public Trainer build() { return new Trainer(this); }
    }
}
