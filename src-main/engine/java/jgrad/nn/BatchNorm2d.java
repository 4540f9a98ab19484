package jgrad.nn;

/** Batch norm over [N, C, H, W] inputs, statistics per channel over N, H and W; see {@link BatchNorm}. */
public class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int features) {
        this(features, 1e-5f, 0.1f);
    }

    public BatchNorm2d(int features, float eps, float momentum) {
        super(features, eps, momentum);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 4;
    }
}
