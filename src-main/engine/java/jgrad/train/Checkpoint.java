package jgrad.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jgrad.nn.Module;
import jgrad.optim.LRScheduler;
import jgrad.optim.Optimizer;
import jgrad.optim.ReduceLROnPlateau;
import jgrad.tensor.Tensor;
import jgrad.tensor.TensorFile;

/**
 * A {@link Trainer}'s checkpoint: one {@link TensorFile} (written atomically) holding the model's
 * state dict ({@code model.*}), the optimizer's ({@code optim.*}), the best weights so far
 * ({@code best.*}), the epoch, the schedules' positions, the early-stopping counters and the
 * history. Numbers that decide the rest of the run (the best metric, ReduceLROnPlateau's counters)
 * are stored exactly; the history, only reported, as floats.
 *
 * <p>It also records what the run was ({@code run.KEY=VALUE} entries: the optimizer's class and
 * whatever the caller describes, such as the model and data set). Resuming compares them with the
 * run asking: a difference stops it ({@link CheckpointException}) unless the caller continues anyway,
 * and then it is named, and a different optimizer's state is dropped, not forced into this one.
 */
final class Checkpoint {
    private final Path file;
    private final Module model;
    private final Optimizer optimizer;
    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;
    private final Map<String, String> run;

    Checkpoint(Path file, Module model, Optimizer optimizer, LRScheduler scheduler, ReduceLROnPlateau plateau, Map<String, String> run) {
        this.file = file;
        this.run = new LinkedHashMap<>();
        this.run.put("optimizer", optimizer.getClass().getSimpleName());
        this.run.putAll(run);
        this.model = model;
        this.optimizer = optimizer;
        this.scheduler = scheduler;
        this.plateau = plateau;
    }

    /** What resuming restored; {@code notes} says what differed and was dropped (only when continuing anyway). */
    record Resumed(int epoch, Map<String, Tensor> best, double bestValue, int sinceBest, List<String> notes) {}

    void save(int epoch, History history, Map<String, Tensor> best, double bestValue, int sinceBest) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> all.put("model." + k, v));
        optimizer.stateDict().forEach((k, v) -> all.put("optim." + k, v));
        if (best != null) best.forEach((k, v) -> all.put("best." + k, v));
        run.forEach((k, v) -> all.put("run." + k + "=" + v, scalar(0)));
        all.put("meta.epoch", scalar(epoch));
        all.put("meta.best_epoch", scalar(history.bestEpoch()));
        all.put("meta.best_value", exact(bestValue));
        all.put("meta.since_best", scalar(sinceBest));
        if (scheduler != null) all.put("meta.scheduler_epoch", scalar(scheduler.lastEpoch()));
        if (plateau != null) all.put("meta.plateau", exact(plateau.state()));
        int n = history.epochs().size();
        float[][] cols = new float[7][n];
        for (int i = 0; i < n; i++) {
            History.Epoch e = history.epochs().get(i);
            double[] v = {e.epoch(), e.trainLoss(), e.trainMetric(), e.valLoss(), e.valMetric(), e.lr(), e.seconds()};
            for (int c = 0; c < 7; c++) cols[c][i] = (float) v[c];
        }
        if (n > 0) for (int c = 0; c < 7; c++) all.put("history." + c, Tensor.of(cols[c], n));
        try {
            TensorFile.save(all, file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + file, e);
        }
    }

    Resumed load(History history, boolean anyway) {
        Map<String, Tensor> all;
        try {
            all = TensorFile.load(file);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot resume: " + e.getMessage()
                    + " (delete it to start again, or use another checkpoint folder)", e);
        }
        if (!all.containsKey("meta.epoch") || !all.containsKey("meta.best_epoch") || !all.containsKey("meta.best_value")
                || !all.containsKey("meta.since_best")) {
            throw new CheckpointException(file, "cannot resume: " + file + " is a tensor file but not a checkpoint (no meta.epoch)", null);
        }
        Map<String, String> saved = new LinkedHashMap<>();
        for (String k : all.keySet()) {
            if (k.startsWith("run.") && k.contains("=")) saved.put(k.substring(4, k.indexOf('=')), k.substring(k.indexOf('=') + 1));
        }
        List<String> differences = new ArrayList<>();
        run.forEach((k, v) -> {
            if (saved.containsKey(k) && !saved.get(k).equals(v)) differences.add(k + " " + saved.get(k) + " there, " + v + " here");
        });
        boolean otherOptimizer = saved.containsKey("optimizer") && !saved.get("optimizer").equals(run.get("optimizer"));
        boolean otherModel = saved.containsKey("model") && !saved.get("model").equals(run.get("model"));  // never continued
        if (!differences.isEmpty() && (!anyway || otherModel)) {
            throw new CheckpointException(file, "cannot resume: " + file + " was written by a different run (" + String.join("; ", differences)
                    + (otherModel ? "): use the same model, or another checkpoint folder"
                            : "): use the same settings, another checkpoint folder, or --resume-anyway to continue"
                                    + (otherOptimizer ? " with a fresh " + run.get("optimizer") + " state" : "")), null);
        }
        try {
            model.loadStateDict(prefixed(all, "model."));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "cannot resume: " + file + " holds a different model: " + e.getMessage(), e);
        }
        List<String> notes = new ArrayList<>();
        for (String d : differences) notes.add("continuing although " + d);
        if (otherOptimizer) {
            notes.add("dropped the checkpoint's " + saved.get("optimizer") + " state (learning rate, moments or momentum); "
                    + run.get("optimizer") + " starts fresh at lr " + optimizer.lr());
        } else {
            try {
                optimizer.loadStateDict(prefixed(all, "optim."));
            } catch (RuntimeException e) {
                throw new CheckpointException(file, "cannot resume: the optimizer state in " + file + " does not fit "
                        + run.get("optimizer") + " (" + e + "): was it written with another optimizer?", e);
            }
        }
        int epoch = (int) all.get("meta.epoch").item();
        if (scheduler != null && all.containsKey("meta.scheduler_epoch")) scheduler.resumeAt((int) all.get("meta.scheduler_epoch").item());
        if (plateau != null && all.containsKey("meta.plateau")) plateau.loadState(exact(all.get("meta.plateau")));
        Map<String, Tensor> best = prefixed(all, "best.");
        if (all.containsKey("history.0")) {
            float[][] cols = new float[7][];
            for (int c = 0; c < 7; c++) cols[c] = all.get("history." + c).toFloatArray();
            for (int i = 0; i < cols[0].length; i++) {
                history.add(new History.Epoch((int) cols[0][i], cols[1][i], cols[2][i], cols[3][i], cols[4][i], cols[5][i], cols[6][i]));
            }
        }
        history.setBestEpoch((int) all.get("meta.best_epoch").item());
        return new Resumed(epoch, best.isEmpty() ? null : best, exact(all.get("meta.best_value"))[0], (int) all.get("meta.since_best").item(), notes);
    }

    private static Map<String, Tensor> prefixed(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> { if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v); });
        return out;
    }

    private static Tensor scalar(double v) {
        return Tensor.of(new float[] {(float) v}, 1);
    }

    /** Doubles kept exactly in float tensors: each as four 16-bit pieces of its bits (a float holds those exactly). */
    private static Tensor exact(double... values) {
        float[] f = new float[4 * values.length];
        for (int i = 0; i < values.length; i++) {
            long bits = Double.doubleToRawLongBits(values[i]);
            for (int j = 0; j < 4; j++) f[4 * i + j] = (bits >>> (16 * j)) & 0xFFFF;
        }
        return Tensor.of(f, f.length);
    }

    private static double[] exact(Tensor t) {
        float[] f = t.toFloatArray();
        double[] out = new double[f.length / 4];
        for (int i = 0; i < out.length; i++) {
            long bits = 0;
            for (int j = 0; j < 4; j++) bits |= ((long) f[4 * i + j]) << (16 * j);
            out[i] = Double.longBitsToDouble(bits);
        }
        return out;
    }
}
