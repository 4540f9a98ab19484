package jgrad.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * An exception as one line for the command line: what is wrong and what to do. Expected failures
 * (bad options, missing or damaged files, a run that cannot be resumed) are their message; out of
 * memory names the heap and how to raise it; anything else is a bug in jgrad and says so.
 *
 * <p>Checked by: {@code jgrad.cli.MainTest}.
 */
record Failure(String line, boolean expected) {

    static Failure of(Throwable e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        return switch (t) {
            case IOException io -> new Failure(message(io, e), true);
            case IllegalArgumentException r -> new Failure(message(r, e), true);
            case IllegalStateException r -> new Failure(message(r, e), true);
            case UnsupportedOperationException r -> new Failure(message(r, e), true);
            case OutOfMemoryError oom -> new Failure(String.format(Locale.ROOT,
                    "out of memory (%s; the Java heap is at most %,d MB): use smaller settings, or give Java more memory, "
                            + "e.g. JGRAD_JAVA_OPTS=-Xmx4g ./jgrad ...", oom.getMessage(), Runtime.getRuntime().maxMemory() >> 20), true);
            case StackOverflowError so -> new Failure("the stack overflowed (a model or input nested too deeply); "
                    + "run again with --debug for the details", false);
            default -> new Failure("internal error: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + firstLine(t.getMessage()))
                    + " (a bug in jgrad: run again with --debug and report the trace)", false);
        };
    }

    /** The exception's message on one line, with the wrapper's context when the wrapper added some. */
    private static String message(Throwable t, Throwable wrapper) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : firstLine(t.getMessage());
        if (wrapper != t && wrapper.getMessage() != null && !wrapper.getMessage().contains(m)) m = firstLine(wrapper.getMessage()) + ": " + m;
        return m;
    }

    private static String firstLine(String s) {
        String line = s.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl).strip();
    }
}
