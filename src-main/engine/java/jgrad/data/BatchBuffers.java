package jgrad.data;

import java.util.HashMap;
import java.util.Map;

/**
 * Scratch arrays for assembling batches, reused per thread and size: a batch's floats are written
 * here, then {@code Tensor.of} uploads them (every backend copies on upload, so the array is free
 * again at once). Saves allocating a batch-sized array per batch on every loader thread.
 */
public final class BatchBuffers {
    private static final ThreadLocal<Map<Integer, float[]>> SCRATCH = ThreadLocal.withInitial(HashMap::new);

    private BatchBuffers() {}

    /** This thread's array of exactly {@code n} floats (contents left from its last use). */
    public static float[] floats(int n) {
        Map<Integer, float[]> mine = SCRATCH.get();
        if (mine.size() > 16 && !mine.containsKey(n)) mine.clear();  // a few sizes in use; forget old ones
        return mine.computeIfAbsent(n, float[]::new);
    }
}
