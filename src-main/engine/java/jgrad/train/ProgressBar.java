package jgrad.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place ({@code \r}) at most ten times a second:
 * {@code [=======>      ] 512/938  loss 0.4213  61,204 img/s  ETA 3s}. When the output is not a
 * terminal (a CI log, a pipe) it draws nothing, so logs hold only the per-epoch lines.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final int total;
    private final boolean live;
    private final long start = System.nanoTime();
    private long lastDraw;

    public ProgressBar(PrintStream out, int total) {
        this(out, total, isTerminal());
    }

    public ProgressBar(PrintStream out, int total, boolean live) {
        this.out = out;
        this.total = total;
        this.live = live;
    }

    public static boolean isTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Shows {@code done} of {@code total} steps and a free-form status such as the running loss. */
    public void update(int done, String status) {
        update(done, () -> status);
    }

    /**
     * As {@link #update(int, String)}, building the status only when the bar is drawn (at most ten
     * times a second): a status that reads values from a GPU costs a wait there.
     */
    public void update(int done, java.util.function.Supplier<String> status) {
        if (!live) return;
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        double seconds = (now - start) / 1e9;
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        long eta = done == 0 ? 0 : Math.round(seconds * (total - done) / done);
        out.print(String.format(Locale.ROOT, "\r[%s] %d/%d  %s  ETA %ds ", bar, done, total, status.get(), eta));
        out.flush();
    }

    /** Clears the bar so the next line starts clean. */
    public void finish() {
        if (!live) return;
        out.print("\r" + " ".repeat(WIDTH + 80) + "\r");
        out.flush();
    }
}
