package jgrad.train;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jgrad.tensor.AtomicFile;
import jgrad.optim.LRScheduler;
import jgrad.optim.ReduceLROnPlateau;

/**
 * Writes a {@link Checkpoint} after every epoch (model, optimizer, schedules, the best epoch's
 * state, history) and, when resuming, starts the run from the last one: the epochs after it then
 * go exactly as in the uninterrupted run.
 *
 * <p>Before the first epoch it checks that the checkpoint folder can be written (so a bad folder
 * fails at once, not after an epoch of work), and when resuming, that there is a checkpoint: a
 * missing one is an error, not a silent fresh start. A checkpoint that cannot be written later (a
 * full disk) is reported after that epoch and training goes on: the previous checkpoint stays intact.
 */
public final class Checkpointing implements Trainer.Callback {
    private final Path file;
    private final boolean resume;
    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;
    private final BestEpoch best;
    private final PrintStream out;
    private final Map<String, String> run;
    private final boolean anyway;

    public Checkpointing(Path file, boolean resume, LRScheduler scheduler, ReduceLROnPlateau plateau, BestEpoch best, PrintStream out) {
        this(file, resume, false, Map.of(), scheduler, plateau, best, out);
    }

    /**
     * {@code run} describes the run (model, data set, …: compared on resume with what the checkpoint
     * recorded); {@code anyway} continues past differences, naming them.
     */
    public Checkpointing(Path file, boolean resume, boolean anyway, Map<String, String> run, LRScheduler scheduler, ReduceLROnPlateau plateau,
                         BestEpoch best, PrintStream out) {
        this.file = file;
        this.anyway = anyway;
        this.run = Map.copyOf(run);
        this.resume = resume;
        this.scheduler = scheduler;
        this.plateau = plateau;
        this.best = best;
        this.out = out;
    }

    private Checkpoint checkpoint(Trainer trainer) {
        return new Checkpoint(file, trainer.model(), trainer.optimizer(), scheduler, plateau, new TreeMap<>(run));
    }

    @Override
    public void onFitStart(Trainer trainer) {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {  // else every epoch's checkpoint fails, each with a warning
            throw new IllegalArgumentException("checkpoint folder " + file.getParent() + ": " + file + " is a folder, where the checkpoint "
                    + "file goes: move it away, or give another checkpoint folder");
        }
        if (resume && !Files.isRegularFile(file)) {
            throw new CheckpointException(file, "cannot resume: " + (!Files.exists(dir) ? "the checkpoint folder " + file.getParent()
                    + " does not exist" : "there is no checkpoint in " + file.getParent() + " (no " + file.getFileName() + ")")
                    + "; check the folder's name, or start a new run without --resume", null);
        }
        AtomicFile.checkWritableFolder(dir, "checkpoint folder");
        if (!resume) return;
        Checkpoint.Resumed r = checkpoint(trainer).load(trainer.history(), anyway);
        best.restore(r.best(), r.bestValue(), r.sinceBest());
        trainer.startAt(r.epoch() + 1);
        if (out != null) {
            for (String note : r.notes()) out.println("warning: " + note);
            out.printf(Locale.ROOT, "resumed from %s after epoch %d, lr %s%n", file, r.epoch(), trainer.optimizer().lr());
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, History.Epoch e) {
        try {
            checkpoint(trainer).save(e.epoch(), trainer.history(), best.weights(), best.bestValue(), best.sinceBest());
        } catch (UncheckedIOException failed) {
            // the previous checkpoint is intact (atomic write); training goes on and the final model is still saved
            PrintStream where = out != null ? out : System.err;
            where.printf("warning: no checkpoint after epoch %d: %s%n", e.epoch(), failed.getCause().getMessage());
        }
    }
}
