package jgrad.optim;

/**
 * η = η₀ · (s + (e − s) · min(epoch, n) / n): a linear ramp of the factor from s to e over n
 * epochs, then e (torch LinearLR; with s &lt; 1 and e = 1 it is the usual warm-up).
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor, endFactor;
    private final int totalIters;

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (!(startFactor > 0 && startFactor <= 1) || !(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: factors must be in (0, 1] and [0, 1], got " + startFactor + " and " + endFactor);
        }
        if (totalIters < 1) throw new IllegalArgumentException("LinearLR: total iterations must be ≥ 1, got " + totalIters);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        start();
    }

    @Override
    public double lrAt(int epoch, double base) {
        return base * (startFactor + (endFactor - startFactor) * Math.min(epoch, totalIters) / totalIters);
    }
}
