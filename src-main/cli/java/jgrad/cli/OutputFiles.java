package jgrad.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jgrad.nn.Module;
import jgrad.tensor.AtomicFile;

/**
 * Where a command's results go: checked before any training, so that a bad {@code --out} or
 * {@code --json} fails at once, and, if writing still fails at the end (a full disk), the trained
 * model saved somewhere else whose name is printed: never lost.
 *
 * <p>Checked by: {@code jgrad.cli.OutputPathsTest}.
 */
final class OutputFiles {
    /** The model's file name in an output folder. */
    static final String MODEL = "best-model.jgrad";

    private OutputFiles() {}

    /**
     * An output folder and optional summary file that can be written (the folder is created), and
     * none of the {@code files} the run writes into the folder already there as a folder.
     */
    static void checkBeforeTraining(Path outDir, Path json, String... files) {
        AtomicFile.checkWritableFolder(outDir, "--out");
        for (String name : files) {
            if (Files.isDirectory(outDir.resolve(name))) {
                throw new IllegalArgumentException("--out " + outDir + ": " + outDir.resolve(name) + " is a folder, where the run writes its "
                        + name + ": move it away, or give another --out");
            }
        }
        if (json != null) AtomicFile.checkWritableFile(json, "--json");
    }

    /** The other outputs of a run (history, pictures). */
    @FunctionalInterface
    interface Writes {
        void run() throws IOException;
    }

    /**
     * Saves {@code model} into {@code outDir}, then the other outputs; if the model cannot be saved
     * there, saves it into a new folder under the system's temporary folder and says where in the
     * error.
     */
    static void saveOrRescue(Module model, Path outDir, Writes others) throws IOException {
        try {
            model.save(outDir.resolve(MODEL));
        } catch (IOException | RuntimeException e) {
            Path rescued = rescue(model);
            throw new IOException(e.getMessage() + (rescued != null ? "; the trained model was saved to " + rescued + " instead"
                    : "; the trained model could not be saved anywhere"), e);
        }
        try {
            others.run();
        } catch (IOException | RuntimeException e) {
            throw new IOException(e.getMessage() + "; the trained model is in " + outDir.resolve(MODEL), e);
        }
    }

    private static Path rescue(Module model) {
        try {
            Path file = Files.createTempDirectory("jgrad-rescued-").resolve(MODEL);
            model.save(file);
            return file;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
