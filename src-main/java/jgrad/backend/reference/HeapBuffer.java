package jgrad.backend.reference;

import jgrad.backend.Backend;
import jgrad.backend.Buffer;

/** A float array on the Java heap. Shared by the CPU backends (reference and simd). */
public final class HeapBuffer implements Buffer {
    private final float[] data;
    private final Backend owner;

    public HeapBuffer(float[] data, Backend owner) {
        this.data = data;
        this.owner = owner;
    }

    /** The array itself, for the CPU backends' kernels only. */
    public float[] data() {
        return data;
    }

    @Override
    public int capacity() {
        return data.length;
    }

    @Override
    public Backend backend() {
        return owner;
    }
}
