package jgrad.backend;

/**
 * A convolution's filters made ready once for many forward passes ({@link Backend#prepareFilters}):
 * in inference the same weights meet batch after batch, and a backend that first rearranges them
 * (the Vector API backend transforms 3×3 filters for Winograd and packs small-map layers' taps for
 * its GEMM) can keep what it made instead of making it again at every call. What it holds is the
 * backend's business ({@link Plain}: the filters where they lie, for backends that keep nothing).
 * The filters must not change while a prepared copy of them is in use: the layer that keeps one
 * ({@code nn.Conv2d}, in evaluation without a graph) drops it when the weight's version moves.
 */
public interface PreparedFilters {
    /** The filters [K, C, R, S] as they lie: {@link Backend#prepareFilters}'s default. */
    record Plain(Buffer w, int offset) implements PreparedFilters {}
}
