package jgrad.metrics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jgrad.tensor.Tensor;

/**
 * counts[t][p]: how many examples of true class t were predicted as p. The diagonal is what is
 * right; a row shows where one class goes wrong, a column what gets mistaken for one class.
 *
 * <pre>
 * precision(c) = counts[c][c] / Σₜ counts[t][c]    (of those predicted c, the share that is c)
 * recall(c)    = counts[c][c] / Σₚ counts[c][p]    (of the true c, the share found)
 * F1(c)        = 2·precision·recall / (precision + recall)
 * </pre>
 * A class never predicted (or never present) has precision (recall) 0, as scikit-learn's
 * {@code zero_division=0}. Checked by: {@code jgrad.metrics.MetricsTest}.
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    public ConfusionMatrix(int classes) {
        if (classes < 1) throw new IllegalArgumentException("ConfusionMatrix: classes must be ≥ 1, got " + classes);
        counts = new long[classes][classes];
    }

    public int classes() {
        return counts.length;
    }

    public void add(int trueClass, int predicted) {
        if (trueClass < 0 || trueClass >= counts.length || predicted < 0 || predicted >= counts.length) {
            throw new IllegalArgumentException("ConfusionMatrix: class " + trueClass + " predicted as " + predicted
                    + " is outside 0.." + (counts.length - 1));
        }
        counts[trueClass][predicted]++;
    }

    /** Adds a batch: predicted classes [N] (e.g. {@code logits.argmax(1, false)}) and true classes [N]. */
    public void add(Tensor predicted, Tensor truth) {
        float[] p = predicted.toFloatArray(), t = truth.toFloatArray();
        if (p.length != t.length) {
            throw new IllegalArgumentException("ConfusionMatrix: " + p.length + " predictions for " + t.length + " targets");
        }
        for (int i = 0; i < p.length; i++) add((int) t[i], (int) p[i]);
    }

    public long count(int trueClass, int predicted) {
        return counts[trueClass][predicted];
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) for (long c : row) n += c;
        return n;
    }

    public long correct() {
        long n = 0;
        for (int i = 0; i < counts.length; i++) n += counts[i][i];
        return n;
    }

    public double accuracy() {
        return total() == 0 ? 0 : (double) correct() / total();
    }

    public double precision(int c) {
        long predicted = 0;
        for (long[] row : counts) predicted += row[c];
        return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
    }

    public double recall(int c) {
        long present = 0;
        for (long v : counts[c]) present += v;
        return present == 0 ? 0 : (double) counts[c][c] / present;
    }

    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The unweighted mean of the per-class F1 scores (scikit-learn's average='macro'). */
    public double macroF1() {
        double sum = 0;
        for (int c = 0; c < counts.length; c++) sum += f1(c);
        return sum / counts.length;
    }

    /** The matrix with per-class recall, then precision, recall and F1 per class. */
    public void print(PrintStream out) {
        out.println("Confusion matrix (rows: true class, columns: predicted)");
        StringBuilder head = new StringBuilder("true\\pred");
        for (int p = 0; p < counts.length; p++) head.append(String.format("%6d", p));
        out.println(head.append("   recall"));
        for (int t = 0; t < counts.length; t++) {
            StringBuilder row = new StringBuilder(String.format("%9d", t));
            for (int p = 0; p < counts.length; p++) row.append(String.format("%6d", counts[t][p]));
            row.append(String.format(Locale.ROOT, "   %5.1f%%", 100 * recall(t)));
            out.println(row);
        }
    }

    /** Precision, recall and F1 per class and their macro averages, as a table. */
    public void printReport(PrintStream out) {
        List<String> numbers = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) numbers.add(Integer.toString(c));
        printReport(out, numbers);
    }

    /** Per class precision, recall and F1, each row named by {@code names} (one per class), then the macro averages. */
    public void printReport(PrintStream out, List<String> names) {
        if (names.size() != counts.length) throw new IllegalArgumentException(names.size() + " class names for " + counts.length + " classes");
        int w = Math.max(9, names.stream().mapToInt(String::length).max().orElse(0));
        out.printf("%" + w + "s %10s %10s %10s%n", "class", "precision", "recall", "F1");
        for (int c = 0; c < counts.length; c++) {
            out.printf(Locale.ROOT, "%" + w + "s %10.4f %10.4f %10.4f%n", names.get(c), precision(c), recall(c), f1(c));
        }
        double p = 0, r = 0;
        for (int c = 0; c < counts.length; c++) {
            p += precision(c);
            r += recall(c);
        }
        out.printf(Locale.ROOT, "%" + w + "s %10.4f %10.4f %10.4f%n", "macro", p / counts.length, r / counts.length, macroF1());
    }
}
