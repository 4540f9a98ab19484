package jgrad.nn;

/** Batch norm over [N, C] or [N, C, L] inputs; see {@link BatchNorm}. */
public class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int features) {
        this(features, 1e-5f, 0.1f);
    }

    public BatchNorm1d(int features, float eps, float momentum) {
        super(features, eps, momentum, true, true);
    }

    /**
     * PyTorch's full signature: momentum null means a cumulative moving average; {@code affine} keeps
     * γ and β; {@code trackRunningStats} keeps running_mean, running_var and num_batches_tracked.
     */
    public BatchNorm1d(int features, float eps, Float momentum, boolean affine, boolean trackRunningStats) {
        super(features, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }
}
