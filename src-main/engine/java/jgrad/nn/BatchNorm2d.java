package jgrad.nn;

/** Batch norm over [N, C, H, W] inputs, statistics per channel over N, H and W; see {@link BatchNorm}. */
public class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int features) {
        this(features, 1e-5f, 0.1f);
    }

    public BatchNorm2d(int features, float eps, float momentum) {
        super(features, eps, momentum, true, true);
    }

    /**
     * PyTorch's full signature: momentum null means a cumulative moving average; {@code affine} keeps
     * γ and β; {@code trackRunningStats} keeps running_mean, running_var and num_batches_tracked.
     */
    public BatchNorm2d(int features, float eps, Float momentum, boolean affine, boolean trackRunningStats) {
        super(features, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 4;
    }
}
