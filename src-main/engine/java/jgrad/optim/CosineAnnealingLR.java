package jgrad.optim;

/**
 * η = η_min + (η₀ − η_min) · (1 + cos(π · epoch / T_max)) / 2: half a cosine from η₀ down to η_min
 * over T_max epochs, then back up (torch CosineAnnealingLR, without restarts).
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax < 1) throw new IllegalArgumentException("CosineAnnealingLR: T_max must be ≥ 1, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        start();
    }

    @Override
    public double lrAt(int epoch, double base) {
        return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
