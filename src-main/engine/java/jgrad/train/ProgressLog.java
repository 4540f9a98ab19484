package jgrad.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What a person watching the run sees: a progress bar during the training phase (only on a
 * terminal), one line per epoch with its losses, metric, learning rate and time ({@code *} marks
 * the best epoch), and a warning when the loss runs away.
 */
public final class ProgressLog implements Trainer.Callback {
    private final PrintStream out;
    private final BestEpoch best;
    private ProgressBar bar;
    private long start;

    public ProgressLog(PrintStream out, BestEpoch best) {
        this.out = out;
        this.best = best;
    }

    @Override
    public void onEpochStart(Trainer trainer, int epoch) {
        bar = new ProgressBar(out, trainer.trainLoader().numBatches());
        start = System.nanoTime();
    }

    @Override
    public void onBatchEnd(Trainer trainer, int epoch, int batch, float loss) {
        Trainer.Running r = trainer.running();
        double rate = r.seen() / ((System.nanoTime() - start) / 1e9);
        String name = trainer.history().metricName();
        bar.update(batch + 1, () -> String.format(Locale.ROOT, "epoch %d  loss %.4f%s  %,.0f img/s", epoch, r.meanLoss(),
                metric(name, r.metric(), "  "), rate));
        if (batch + 1 == trainer.trainLoader().numBatches()) bar.finish();
    }

    @Override
    public void onEpochEnd(Trainer trainer, History.Epoch e) {
        History h = trainer.history();
        double lowest = h.epochs().stream().mapToDouble(History.Epoch::trainLoss).min().orElse(e.trainLoss());
        if (e.trainLoss() > 4 * lowest) {
            out.printf(Locale.ROOT, "warning: the run is diverging: training loss %.4f at epoch %d is over 4× its lowest, %.4f"
                    + " (lower the learning rate?)%n", e.trainLoss(), e.epoch(), lowest);
        }
        String name = h.metricName();
        out.printf(Locale.ROOT, "epoch %3d/%d  train loss %.4f%s%s  lr %.3g  (%.1f s)%s%n", e.epoch(), trainer.epochs(), e.trainLoss(),
                metric(name, e.trainMetric(), " "),
                Double.isNaN(e.valLoss()) ? "" : String.format(Locale.ROOT, "  val loss %.4f%s", e.valLoss(), metric(name, e.valMetric(), " ")),
                e.lr(), e.seconds(), h.bestEpoch() == e.epoch() ? "  *" : "");
    }

    /** " acc 97.50%" for accuracy, " mae 0.1234" for another metric, "" for none. */
    private static String metric(String name, double value, String sep) {
        if (Double.isNaN(value)) return "";
        return name.equals("accuracy") ? String.format(Locale.ROOT, "%sacc %.2f%%", sep, 100 * value)
                : String.format(Locale.ROOT, "%s%s %.4f", sep, name, value);
    }
}
