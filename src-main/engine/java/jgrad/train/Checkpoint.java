package jgrad.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 */
final class Checkpoint {
    private final Path file;
    private final Module model;
    private final Optimizer optimizer;
    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;

    Checkpoint(Path file, Module model, Optimizer optimizer, LRScheduler scheduler, ReduceLROnPlateau plateau) {
        this.file = file;
        this.model = model;
        this.optimizer = optimizer;
        this.scheduler = scheduler;
        this.plateau = plateau;
    }

    record Resumed(int epoch, Map<String, Tensor> best, double bestValue, int sinceBest) {}

    void save(int epoch, History history, Map<String, Tensor> best, double bestValue, int sinceBest) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> all.put("model." + k, v));
        optimizer.stateDict().forEach((k, v) -> all.put("optim." + k, v));
        if (best != null) best.forEach((k, v) -> all.put("best." + k, v));
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

    Resumed load(History history) {
        Map<String, Tensor> all;
        try {
            all = TensorFile.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the checkpoint " + file, e);
        }
        model.loadStateDict(prefixed(all, "model."));
        optimizer.loadStateDict(prefixed(all, "optim."));
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
        return new Resumed(epoch, best.isEmpty() ? null : best, exact(all.get("meta.best_value"))[0], (int) all.get("meta.since_best").item());
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
