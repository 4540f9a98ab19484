package jgrad.optim;

import java.util.Arrays;

/** η = η₀ · γ^(number of milestones ≤ epoch): drops by γ at each listed epoch (torch MultiStepLR). */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        for (int i = 1; i < milestones.length; i++) {
            if (milestones[i] <= milestones[i - 1]) {
                throw new IllegalArgumentException("MultiStepLR: milestones must increase, got " + Arrays.toString(milestones));
            }
        }
        requirePositive("MultiStepLR: gamma", gamma);
        this.milestones = milestones.clone();
        this.gamma = gamma;
        start();
    }

    @Override
    public double lrAt(int epoch, double base) {
        int passed = 0;
        for (int m : milestones) if (m <= epoch) passed++;
        return base * Math.pow(gamma, passed);
    }
}
