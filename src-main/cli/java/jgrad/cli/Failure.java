package jgrad.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
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
            case FileSystemException fs -> new Failure(message(fs, inWords(fs), e), true);
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

    /**
     * A file-system error in words: java.nio's exceptions carry only the path ("error: /tmp/x" for a
     * missing file, issue #17 group 7), or the system's reason ("Is a directory").
     */
    static String inWords(FileSystemException f) {
        String file = f.getFile();
        String what = switch (f) {
            case NoSuchFileException n -> "no such file or folder";
            case FileAlreadyExistsException x when file != null && Files.isRegularFile(Path.of(file)) -> "is a file, where a folder is needed";
            case FileAlreadyExistsException x -> "already exists";
            case AccessDeniedException a -> "permission denied";
            case NotDirectoryException d -> "is not a folder";
            case DirectoryNotEmptyException d -> "is a folder that is not empty";
            case FileSystemException x when "Is a directory".equals(x.getReason()) -> "is a folder, where a file is needed";
            case FileSystemException x when x.getReason() != null -> x.getReason();
            default -> "cannot be read or written (" + f.getClass().getSimpleName() + ")";
        };
        return (file == null ? "" : file + ": ") + what + (f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")");
    }

    /** The exception's message on one line, with the wrapper's context when the wrapper added some. */
    private static String message(Throwable t, Throwable wrapper) {
        return message(t, t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage(), wrapper);
    }

    private static String message(Throwable t, String text, Throwable wrapper) {
        String m = firstLine(text);
        boolean added = wrapper != t && wrapper.getMessage() != null && !wrapper.getMessage().equals(t.toString());  // not just the cause
        if (added && !wrapper.getMessage().contains(m) && !wrapper.getMessage().equals(t.getMessage())) m = firstLine(wrapper.getMessage()) + ": " + m;
        return m;
    }

    private static String firstLine(String s) {
        String line = s.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl).strip();
    }
}
