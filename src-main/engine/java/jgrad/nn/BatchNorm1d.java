package jgrad.nn;

/** Batch norm over [N, C] or [N, C, L] inputs; see {@link BatchNorm}. */
public class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int features) {
        this(features, 1e-5f, 0.1f);
    }

    public BatchNorm1d(int features, float eps, float momentum) {
        super(features, eps, momentum);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }
}
