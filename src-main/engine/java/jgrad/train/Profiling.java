package jgrad.train;

import java.io.PrintStream;
import jgrad.autograd.Profiler;

/**
 * Runs a {@link Profiler} for the whole fit (every module's forward and backward, timed where the
 * engine and Sequential report them) and splits each step's time into waiting for data and
 * computing; prints the table at the end.
 */
public final class Profiling implements Trainer.Callback {
    private final PrintStream out;
    private Profiler profiler;
    private long mark;

    public Profiling(PrintStream out) {
        this.out = out;
    }

    /** The profiler of the last fit. */
    public Profiler profiler() {
        return profiler;
    }

    @Override
    public void onFitStart(Trainer trainer) {
        profiler = Profiler.start();
    }

    @Override
    public void onBatchStart(Trainer trainer, int epoch, int batch) {
        profiler.addData(trainer.batchWait());  // waiting for the loader
        mark = System.nanoTime();
    }

    @Override
    public void onBatchEnd(Trainer trainer, int epoch, int batch, float loss) {
        long now = System.nanoTime();
        profiler.addCompute(now - mark);  // forward, backward, update
    }

    @Override
    public void onEpochEnd(Trainer trainer, History.Epoch e) {}

    @Override
    public void onFitEnd(Trainer trainer, boolean completed) {
        profiler.stop();
        if (out != null) {
            out.println("\nProfile (training and validation forward passes, training backward passes):");
            profiler.print(out);
        }
    }
}
