package jgrad.optim;

/** η = η₀ · γ^⌊epoch / stepSize⌋: the rate drops by γ every {@code stepSize} epochs (torch StepLR). */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) throw new IllegalArgumentException("StepLR: step size must be ≥ 1, got " + stepSize);
        requirePositive("StepLR: gamma", gamma);
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    @Override
    public double lrAt(int epoch, double base) {
        return base * Math.pow(gamma, epoch / stepSize);
    }
}
