package jgrad.train;

import java.util.Map;
import jgrad.tensor.Tensor;

/**
 * Follows the monitored number (validation loss by default) from epoch to epoch: which epoch was
 * best, how many epochs ago, and, with {@code keepBest}, a copy of that epoch's weights, loaded
 * back into the model when the run completes. Schedules, the log, checkpoints and early stopping
 * read it.
 */
public final class BestEpoch implements Trainer.Callback {
    private final Trainer.Monitor monitor;
    private final boolean keepBest;
    private final double minDelta;
    private Map<String, Tensor> weights;
    private double bestValue = Double.NaN, lastValue = Double.NaN;
    private int sinceBest;

    /** Improvements by {@code minDelta} or less do not count (early stopping's threshold). */
    public BestEpoch(Trainer.Monitor monitor, boolean keepBest, double minDelta) {
        this.monitor = monitor;
        this.keepBest = keepBest;
        this.minDelta = minDelta;
    }

    @Override
    public void onFitStart(Trainer trainer) {
        weights = null;
        bestValue = lastValue = Double.NaN;
        sinceBest = 0;
    }

    @Override
    public void onEpochEnd(Trainer trainer, History.Epoch e) {
        lastValue = switch (monitor) {
            case VAL_LOSS -> e.valLoss();
            case VAL_METRIC, VAL_ACCURACY -> e.valMetric();
            case TRAIN_LOSS -> e.trainLoss();
        };
        if (Double.isNaN(lastValue)) {  // every epoch would look best, and early stopping would never come
            throw new IllegalStateException(String.format("Trainer: the monitored %s is not a number at epoch %d (%s)", monitor, e.epoch(),
                    monitor == Trainer.Monitor.VAL_METRIC || monitor == Trainer.Monitor.VAL_ACCURACY
                            ? "no metric fits this task: give one with .metric(...), or monitor VAL_LOSS"
                            : "the loss is NaN"));
        }
        boolean higherIsBetter = (monitor == Trainer.Monitor.VAL_METRIC || monitor == Trainer.Monitor.VAL_ACCURACY)
                && trainer.history().metricHigherIsBetter();
        if (Double.isNaN(bestValue) || (higherIsBetter ? lastValue > bestValue + minDelta : lastValue < bestValue - minDelta)) {
            bestValue = lastValue;
            sinceBest = 0;
            trainer.history().setBestEpoch(e.epoch());
            if (keepBest) weights = trainer.model().stateDict();
        } else {
            sinceBest++;
        }
    }

    @Override
    public void onFitEnd(Trainer trainer, boolean completed) {
        if (completed && keepBest && weights != null) trainer.model().loadStateDict(weights);
    }

    public Trainer.Monitor monitor() { return monitor; }

    /** The monitored value of the last epoch. */
    public double lastValue() { return lastValue; }

    /** Epochs since the best one (0: the last epoch was the best). */
    public int sinceBest() { return sinceBest; }

    double bestValue() { return bestValue; }

    Map<String, Tensor> weights() { return weights; }

    /** From a checkpoint: the state at the end of the epoch it was written. */
    void restore(Map<String, Tensor> weights, double bestValue, int sinceBest) {
        this.weights = weights;
        this.bestValue = bestValue;
        this.sinceBest = sinceBest;
    }
}
