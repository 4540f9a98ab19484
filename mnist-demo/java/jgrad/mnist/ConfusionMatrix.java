package jgrad.mnist;

import java.io.PrintStream;

/** counts[t][p]: how many examples of true class t were predicted as p. The diagonal is what is right. */
final class ConfusionMatrix {
    private final long[][] counts;

    ConfusionMatrix(int classes) {
        counts = new long[classes][classes];
    }

    void add(int trueClass, int predicted) {
        counts[trueClass][predicted]++;
    }

    long total() {
        long n = 0;
        for (long[] row : counts) for (long c : row) n += c;
        return n;
    }

    long correct() {
        long n = 0;
        for (int i = 0; i < counts.length; i++) n += counts[i][i];
        return n;
    }

    double accuracy() {
        return total() == 0 ? 0 : (double) correct() / total();
    }

    void print(PrintStream out) {
        out.println("Confusion matrix (rows: true class, columns: predicted)");
        StringBuilder head = new StringBuilder("true\\pred");
        for (int p = 0; p < counts.length; p++) head.append(String.format("%6d", p));
        out.println(head.append("   recall"));
        for (int t = 0; t < counts.length; t++) {
            StringBuilder row = new StringBuilder(String.format("%9d", t));
            long rowTotal = 0;
            for (int p = 0; p < counts.length; p++) {
                row.append(String.format("%6d", counts[t][p]));
                rowTotal += counts[t][p];
            }
            row.append(String.format("   %5.1f%%", rowTotal == 0 ? 0 : 100.0 * counts[t][t] / rowTotal));
            out.println(row);
        }
    }
}
