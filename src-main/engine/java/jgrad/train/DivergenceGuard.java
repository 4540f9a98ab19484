package jgrad.train;

import java.util.Locale;

/**
 * Stops a run whose training loss has blown up, before a diverged model can become the "best"
 * one: a batch loss more than {@code factor} times the reference stops the run with an error
 * naming the epoch and the batch. The reference is the first batch's loss of this fit (the
 * untrained, or just resumed, model), at least {@link #FLOOR}. A NaN or infinite loss is the
 * Trainer's own guard; this one catches the finite blow-ups (Adam at lr 10⁹ reached a loss of
 * 6·10³⁰ and was saved as best).
 *
 * <p>Off with a factor of 0 (or +∞). Checked by: {@code jgrad.train.DivergenceGuardTest}.
 */
public final class DivergenceGuard implements Trainer.Callback {
    /** The default factor: four orders of magnitude over the first batch's loss. */
    public static final double DEFAULT_FACTOR = 1e4;
    /** The smallest reference: a first loss near 0 would make every later wobble look like divergence. */
    static final double FLOOR = 1e-3;

    private final double factor;
    private final java.nio.file.Path checkpoint;
    private double reference = Double.NaN;

    /** {@code factor} > 1, or 0 / +∞ for off; {@code checkpoint} (may be null) is named in the message. */
    public DivergenceGuard(double factor, java.nio.file.Path checkpoint) {
        if (!(factor == 0 || factor > 1)) {
            throw new IllegalArgumentException("divergence factor must be > 1 (or 0 for off), got " + factor);
        }
        this.factor = factor;
        this.checkpoint = checkpoint;
    }

    boolean enabled() {
        return factor != 0 && factor != Double.POSITIVE_INFINITY;
    }

    @Override
    public void onFitStart(Trainer trainer) {
        reference = Double.NaN;
    }

    @Override
    public void onBatchEnd(Trainer trainer, int epoch, int batch, float loss) {
        if (!enabled() || !Float.isFinite(loss)) return;  // non-finite: the Trainer's own guard has spoken
        if (Double.isNaN(reference)) {
            reference = Math.max(Math.abs(loss), FLOOR);
            return;
        }
        if (Math.abs(loss) > factor * reference) {
            throw new IllegalStateException(String.format(Locale.ROOT, "training stopped: the loss diverged at epoch %d, batch %d: "
                    + "%.4g is more than %.0e × the first batch's %.4g (lower the learning rate; the factor is set with "
                    + "--divergence-factor, 0 for off); the model is not saved as best%s", epoch, batch, loss, factor, reference,
                    checkpoint == null ? "" : java.nio.file.Files.exists(checkpoint)
                            ? "; the last good checkpoint is " + checkpoint : "; no checkpoint was written yet"));
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, History.Epoch epoch) {}
}
