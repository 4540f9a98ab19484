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

    /** Set when the buffer was given back for reuse: its array may now belong to another tensor. */
    private boolean givenBack;

    /**
     * The array itself, for the CPU backends' kernels only. A buffer given back for reuse
     * ({@code Backend.recycle}) refuses: its array may already hold another tensor's values, so a
     * read would be a silently wrong result and a write would corrupt that tensor.
     */
    public float[] data() {
        if (givenBack) {
            throw new IllegalStateException("a tensor's memory (" + data.length + " floats) was used after it was given back "
                    + "for reuse; a layer kept its input or output after forward returned, or a gradient outlived backward "
                    + "(see docs/architecture.md, \"Memory: who gives buffers back\")");
        }
        return data;
    }

    /** Marks the buffer given back and returns its array, for the pool to hand out in a new buffer. */
    float[] giveBack() {
        float[] a = data();  // refuses a second give-back
        givenBack = true;
        return a;
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
