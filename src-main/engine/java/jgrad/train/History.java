package jgrad.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** What a {@link Trainer} measured, one record per epoch; written as CSV or JSON. */
public final class History {
    /**
     * One epoch: mean training loss and metric, validation loss and metric (NaN without a validation
     * set; the metric NaN when none fits the task), the learning rate used, and the seconds the
     * epoch took. The metric is accuracy for classification ({@link #metricName}).
     */
    public record Epoch(int epoch, double trainLoss, double trainMetric, double valLoss, double valMetric,
                        double lr, double seconds) {
        /** The training metric when it is accuracy (classification). */
        public double trainAccuracy() {
            return trainMetric;
        }

        /** The validation metric when it is accuracy (classification). */
        public double valAccuracy() {
            return valMetric;
        }
    }

    private final List<Epoch> epochs = new ArrayList<>();
    private int bestEpoch = -1;
    private String metricName = "accuracy";
    private boolean metricHigherIsBetter = true;

    void setMetric(jgrad.metrics.Metric m) {
        metricName = m.name();
        metricHigherIsBetter = m.higherIsBetter();
    }

    /** The metric's name in the columns ({@code train_accuracy}, {@code val_mae}, …): "accuracy" unless the task chose another. */
    public String metricName() {
        return metricName;
    }

    boolean metricHigherIsBetter() {
        return metricHigherIsBetter;
    }

    void add(Epoch e) {
        epochs.add(e);
    }

    void setBestEpoch(int epoch) {
        bestEpoch = epoch;
    }

    public List<Epoch> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The epoch whose weights the trainer kept (1-based), or −1 if none was kept. */
    public int bestEpoch() {
        return bestEpoch;
    }

    public Epoch last() {
        return epochs.get(epochs.size() - 1);
    }

    public void writeCsv(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("epoch,train_loss,train_" + metricName + ",val_loss,val_" + metricName + ",lr,seconds\n");
        for (Epoch e : epochs) {
            sb.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.3f%n", e.epoch(), num(e.trainLoss()), num(e.trainMetric()),
                    num(e.valLoss()), num(e.valMetric()), num(e.lr()), e.seconds()));
        }
        jgrad.tensor.AtomicFile.writeString(file, sb);
    }

    public void writeJson(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("{\n  \"best_epoch\": " + bestEpoch + ",\n  \"epochs\": [\n");
        for (int i = 0; i < epochs.size(); i++) {
            Epoch e = epochs.get(i);
            sb.append(String.format(Locale.ROOT, "    {\"epoch\": %d, \"train_loss\": %s, \"train_%s\": %s, \"val_loss\": %s, "
                            + "\"val_%s\": %s, \"lr\": %s, \"seconds\": %.3f}%s%n", e.epoch(), json(e.trainLoss()), metricName,
                    json(e.trainMetric()), json(e.valLoss()), metricName, json(e.valMetric()), json(e.lr()), e.seconds(),
                    i + 1 < epochs.size() ? "," : ""));
        }
        jgrad.tensor.AtomicFile.writeString(file, sb.append("  ]\n}\n"));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String json(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.6g", v);
    }
}
