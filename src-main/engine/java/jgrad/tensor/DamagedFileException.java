package jgrad.tensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file jgrad wrote cannot be read back as it was written: truncated, its checksum wrong, a size in
 * its header impossible for the file's length or over the limit, or not a jgrad file at all. The
 * message names the file and what is wrong; nothing was allocated for the bad sizes.
 */
public final class DamagedFileException extends IOException {
    private final transient Path file;

    public DamagedFileException(Path file, String what) {
        super(file + ": " + what);
        this.file = file;
    }

    public DamagedFileException(Path file, String what, Throwable cause) {
        super(file + ": " + what, cause);
        this.file = file;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }
}
