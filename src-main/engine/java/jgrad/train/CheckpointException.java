package jgrad.train;

import java.nio.file.Path;

/**
 * A run cannot be resumed from its checkpoint as asked: the checkpoint is missing or damaged, or it
 * was written by a different run (another model, optimizer or data set). The message names the file
 * and the difference, and says what to do.
 */
public final class CheckpointException extends IllegalStateException {
    private final transient Path file;

    public CheckpointException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The checkpoint file concerned. */
    public Path file() {
        return file;
    }
}
