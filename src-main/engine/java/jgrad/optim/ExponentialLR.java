package jgrad.optim;

/** η = η₀ · γ^epoch: the rate shrinks by γ every epoch (torch ExponentialLR). */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        requirePositive("ExponentialLR: gamma", gamma);
        this.gamma = gamma;
        start();
    }

    @Override
    public double lrAt(int epoch, double base) {
        return base * Math.pow(gamma, epoch);
    }
}
