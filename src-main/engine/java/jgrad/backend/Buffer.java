package jgrad.backend;

/**
 * Memory that belongs to a backend: a Java array for the CPU backends, a device allocation for
 * OpenCL. Code above the seam never looks inside; it passes buffers back to the backend that made
 * them, with a {@link Layout} saying which elements to use.
 *
 * <p>A buffer is an identity: two buffer objects are equal only if they are the same object, so an
 * implementation must not override {@code equals} and {@code hashCode} (and so is not a record).
 * The memory policy above the seam tells buffers apart that way, and tensor views share their
 * tensor's buffer object.
 */
public interface Buffer {
    /** Number of float32 elements this buffer holds. */
    int capacity();

    /** The backend that owns this memory (a buffer must never reach another backend's kernels). */
    Backend backend();
}
