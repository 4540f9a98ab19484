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
     * One epoch: mean training loss and accuracy, validation loss and accuracy (NaN without a
     * validation set, accuracy NaN when the task is not classification), the learning rate used,
     * and the seconds the epoch took.
     */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                        double lr, double seconds) {}

    private final List<Epoch> epochs = new ArrayList<>();
    private int bestEpoch = -1;

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
        StringBuilder sb = new StringBuilder("epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds\n");
        for (Epoch e : epochs) {
            sb.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.3f%n", e.epoch(), num(e.trainLoss()), num(e.trainAccuracy()),
                    num(e.valLoss()), num(e.valAccuracy()), num(e.lr()), e.seconds()));
        }
        Files.writeString(file, sb);
    }

    public void writeJson(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("{\n  \"best_epoch\": " + bestEpoch + ",\n  \"epochs\": [\n");
        for (int i = 0; i < epochs.size(); i++) {
            Epoch e = epochs.get(i);
            sb.append(String.format(Locale.ROOT, "    {\"epoch\": %d, \"train_loss\": %s, \"train_accuracy\": %s, \"val_loss\": %s, "
                            + "\"val_accuracy\": %s, \"lr\": %s, \"seconds\": %.3f}%s%n", e.epoch(), json(e.trainLoss()),
                    json(e.trainAccuracy()), json(e.valLoss()), json(e.valAccuracy()), json(e.lr()), e.seconds(),
                    i + 1 < epochs.size() ? "," : ""));
        }
        Files.writeString(file, sb.append("  ]\n}\n"));
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String json(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.6g", v);
    }
}
