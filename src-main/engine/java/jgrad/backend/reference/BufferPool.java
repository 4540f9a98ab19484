package jgrad.backend.reference;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Heap arrays given back by {@link ReferenceBackend#recycle}, kept by length for
 * {@link ReferenceBackend#empty} to hand out again. A training step makes the same gradient sizes
 * every time, so after the first step its outputs come from here instead of from new arrays that
 * the JVM must zero and the garbage collector must later find.
 *
 * <p>Bounded: arrays shorter than {@link #MIN_LENGTH} are not kept (a new small array costs less
 * than the lookup), at most {@link #PER_LENGTH} per length, and at most an eighth of the maximum
 * heap in all; an array beyond the bounds is left to the garbage collector. Thread-safe: data
 * loader workers allocate too.
 *
 * <p>{@code -Djgrad.poisonEmpty=true} (or {@link #poison}) fills every array that {@code empty}
 * hands out, new or reused, with NaN: a kernel that reads an output buffer before writing all of it,
 * or a tensor that still reads a buffer after it was given back, then shows up as NaN in the tests
 * (the build runs the whole suite with it on).
 */
final class BufferPool {
    static final int MIN_LENGTH = 1024;
    static final int PER_LENGTH = 16;

    private final long maxFloats = Runtime.getRuntime().maxMemory() / 8 / Float.BYTES;
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private long kept, reused, made;
    /** Whether given-back arrays are kept at all (off: every take is a new array). */
    volatile boolean keep = true;
    volatile boolean poison = Boolean.getBoolean("jgrad.poisonEmpty");

    /** An array of length n, reused when one was given back (its contents are left over), else new. */
    synchronized float[] take(int n) {
        ArrayDeque<float[]> q = n >= MIN_LENGTH ? free.get(n) : null;
        float[] a = q == null ? null : q.poll();
        if (a != null) {
            kept -= n;
            reused++;
        } else {
            a = make(n);
            if (n >= MIN_LENGTH) made++;
        }
        if (poison) Arrays.fill(a, Float.NaN);
        return a;
    }

    /**
     * A new array; when the heap cannot hold it, the arrays kept here are let go and it is tried once
     * more: what the pool keeps must never be the reason a tensor cannot be made.
     */
    private float[] make(int n) {
        try {
            return new float[n];
        } catch (OutOfMemoryError e) {
            if (kept == 0) throw e;
            free.clear();
            kept = 0;
            return new float[n];
        }
    }

    /** Keeps a for a later take, within the bounds. */
    synchronized void give(float[] a) {
        if (!keep) return;  // recycling off: exactly as if nothing were given back
        int n = a.length;
        if (poison) Arrays.fill(a, Float.NaN);  // a tensor still reading it would now see NaN
        if (n < MIN_LENGTH || kept + n > maxFloats) return;
        ArrayDeque<float[]> q = free.computeIfAbsent(n, k -> new ArrayDeque<>());
        if (q.size() >= PER_LENGTH) return;  // (a buffer given back twice is refused by HeapBuffer.giveBack)
        q.push(a);
        kept += n;
    }

    /** Counts so far: arrays handed out again, new arrays made (of at least MIN_LENGTH), floats held for reuse now. */
    synchronized long[] counts() {
        return new long[] {reused, made, kept};
    }
}
