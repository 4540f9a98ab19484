package jgrad.tensor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every file jgrad writes goes through here: the bytes go to a temporary file in the target's own
 * folder ({@code .NAME.PID.RANDOM.jgrad-tmp}), are forced to the disk, and the temporary file is then
 * renamed over the target in one atomic step. A crash, a kill or a full disk therefore leaves the old
 * file or the new one, never half of one; a failed write deletes its temporary file and leaves the
 * old file as it was.
 *
 * <p>A killed process cannot delete its temporary file. The first write into a folder in each run
 * removes the ones left there by processes that no longer run (the process id in the name tells).
 *
 * <p>Checked by: {@code jgrad.tensor.AtomicFileTest}; see docs/reliability.md.
 */
public final class AtomicFile {
    /** The suffix of temporary files; nothing else jgrad writes ends with it. */
    public static final String TMP_SUFFIX = ".jgrad-tmp";

    private static final Map<Path, Boolean> CLEANED = new ConcurrentHashMap<>();

    private AtomicFile() {}

    /** What writes the file's contents to a stream (which the caller must not close). */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code file} atomically from {@code body}, creating missing parent folders. Refuses a
     * target that is a folder (an empty one would otherwise be replaced).
     */
    public static void write(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) throw new IOException(file + " is a folder, not a file: give a file name");
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + TMP_SUFFIX);
        try {
            Files.createDirectories(dir);
            cleanStaleOnce(dir);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.writeTo(os);
                os.flush();
                ch.force(true);  // the bytes are on the disk before the name points at them
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceFolder(dir);
        } catch (IOException e) {
            throw new IOException("could not write " + file + ": " + describe(e) + " (the previous " + file.getFileName()
                    + ", if any, is unchanged)", e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // the folder itself is gone or unusable: there is no temporary file to leave behind
            }
        }
    }

    public static void writeBytes(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    public static void writeString(Path file, CharSequence text) throws IOException {
        writeBytes(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Deletes the temporary files that processes which no longer run left in {@code dir}; returns how
     * many. Runs by itself before the first write into a folder; callers may also run it at start.
     */
    public static int cleanStale(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + TMP_SUFFIX)) {
            for (Path p : s) {
                if (isStale(p.getFileName().toString()) && Files.deleteIfExists(p)) n++;
            }
        }
        return n;
    }

    /** A temporary file is stale when the process named in it is gone (or the name names none). */
    static boolean isStale(String name) {
        String[] parts = name.substring(0, name.length() - TMP_SUFFIX.length()).split("\\.");
        if (parts.length < 3) return true;
        try {
            long pid = Long.parseLong(parts[parts.length - 2]);
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static void cleanStaleOnce(Path dir) {
        // computeIfAbsent runs once per folder, and other writers into that folder wait for it
        CLEANED.computeIfAbsent(dir, d -> {
            try {
                cleanStale(d);
            } catch (IOException e) {
                // cleaning is a courtesy: the write itself reports a folder that cannot be used
            }
            return Boolean.TRUE;
        });
    }

    /** Forces the folder's entry for the new name to the disk too, where the system allows it. */
    private static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform lets a folder be opened; the rename is still atomic
        }
    }

    /**
     * Checks, before any work, that {@code dir} is or can be made a folder that jgrad can write into
     * (creating it), and removes the temporary files dead runs left there; {@code what} names it in
     * the error (an option such as {@code --out}).
     *
     * @throws IllegalArgumentException naming the folder and the reason
     */
    public static void checkWritableFolder(Path dir, String what) {
        Path abs = dir.toAbsolutePath();
        for (Path p = abs; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new IllegalArgumentException(what + " " + dir + ": " + (p.equals(abs) ? "is a file, not a folder"
                        : p + " is a file, so no folder can be made under it"));
            }
        }
        try {
            Files.createDirectories(abs);
            cleanStale(abs);  // a killed run's temporaries go at the next start
            Path probe = Files.createTempFile(abs, ".write-check." + ProcessHandle.current().pid() + ".", TMP_SUFFIX);
            Files.delete(probe);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " " + dir + ": cannot write there (" + describe(e) + ")", e);
        }
    }

    /** Checks that {@code file} can be written: not a folder, and its folder writable (see {@link #checkWritableFolder}). */
    public static void checkWritableFile(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(what + " " + file + ": is a folder, not a file: give a file name");
        }
        Path parent = file.toAbsolutePath().getParent();
        checkWritableFolder(parent, what + " " + file + ": its folder");
    }

    /** An I/O error in words: the exception's kind when its message is only a path. */
    static String describe(IOException e) {
        String kind = switch (e) {
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.NoSuchFileException n -> "no such file or folder";
            case java.nio.file.FileAlreadyExistsException f -> "a file is in the way";
            case java.nio.file.NotDirectoryException d -> "not a folder";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage();
        };
        return kind == null ? e.getClass().getSimpleName() : kind;
    }
}
