package jgrad.backend.simd;

/** The two CPU backends the recycling tests compare: one that reuses buffers, one that never does. */
public final class RecyclingBackends {
    private RecyclingBackends() {}

    /** A backend that reuses buffers and fills each one with NaN when it is handed out or given back. */
    public static SimdBackend reusing() {
        SimdBackend b = new SimdBackend();
        b.setPoison(true);
        return b;
    }

    /** A backend that never reuses a buffer: the reference run. */
    public static SimdBackend fresh() {
        SimdBackend b = new SimdBackend();
        b.setRecycling(false);
        return b;
    }
}
