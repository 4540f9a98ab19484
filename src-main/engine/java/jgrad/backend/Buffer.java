package jgrad.backend;

/**
 * Memory that belongs to a backend: a Java array for the CPU backends, a device allocation for
 * OpenCL. Code above the seam never looks inside; it passes buffers back to the backend that made
 * them, with a {@link Layout} saying which elements to use.
 */
public interface Buffer {
    /** Number of float32 elements this buffer holds. */
    int capacity();

    /** The backend that owns this memory (a buffer must never reach another backend's kernels). */
    Backend backend();
}
