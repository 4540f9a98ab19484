package jgrad.tensor;

import java.util.Arrays;
import jgrad.backend.Buffer;

/**
 * How a tensor's memory is asked for: a shape is checked before anything is allocated, and a
 * request the Java heap cannot meet is an error that says what was asked for and what there is,
 * never a bare {@link OutOfMemoryError}.
 *
 * <ul>
 *   <li>a negative dimension, or more than 2³¹ − 1 elements: {@link IllegalArgumentException}
 *       naming the shape;</li>
 *   <li>on a CPU backend, more bytes than the whole heap may ever hold ({@link Runtime#maxMemory}, set by -Xmx):
 *       {@link IllegalArgumentException} naming the shape, the bytes and the heap, before
 *       allocating;</li>
 *   <li>a request that could fit but does not now: {@link TensorMemoryException} (the
 *       {@code OutOfMemoryError} as its cause) naming the same.</li>
 * </ul>
 * Checked by: {@code jgrad.tensor.MemoryTest}.
 */
public final class Memory {
    private Memory() {}

    /** The element count of {@code shape}, refused (naming {@code what} and the shape) if the Java heap cannot hold it. */
    public static int elements(String what, int[] shape) {
        return elements(what, shape, Runtime.getRuntime().maxMemory());
    }

    /** As {@link #elements(String, int[])} against a heap of {@code maxHeapBytes}. */
    static int elements(String what, int[] shape, long maxHeapBytes) {
        int count = count(what, shape);
        long bytes = 4L * count;
        if (bytes > maxHeapBytes) {
            throw new IllegalArgumentException(what + ": shape " + Arrays.toString(shape) + " needs "
                    + describe(bytes) + " (" + count + " float32 values), more than the whole Java heap ("
                    + describe(maxHeapBytes) + "); use a smaller shape, or a larger heap (-Xmx, JAVA_OPTS)");
        }
        return count;
    }

    /** The element count of {@code shape}: no negative dimension, at most 2³¹ − 1 elements. */
    static int count(String what, int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException(what + ": shape " + Arrays.toString(shape) + " has a negative dimension");
            n = Math.min(n * s, 1L << 31);  // saturates at 2³¹: n ≤ 2³¹ and s < 2³¹, so n · s never overflows
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": shape " + Arrays.toString(shape) + " has more than 2³¹ elements");
        }
        return (int) n;
    }

    /**
     * A new buffer for {@code shape} on {@code device}, all zeros, with the errors above. The heap
     * check applies to the CPU backends ({@link jgrad.backend.Backend#synchronous()}), whose tensors
     * are Java arrays; a device with memory of its own reports its own shortage.
     */
    public static Buffer allocate(String what, Device device, int[] shape) {
        int n = device.backend().synchronous() ? elements(what, shape) : count(what, shape);
        try {
            return device.backend().allocate(n);
        } catch (OutOfMemoryError e) {
            throw tooLarge(what, shape, n, e);
        }
    }

    /** The error for a request of {@code n} floats the heap could not meet. */
    static TensorMemoryException tooLarge(String what, int[] shape, long n, OutOfMemoryError cause) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return new TensorMemoryException(what + ": out of memory for shape " + Arrays.toString(shape) + ": asked for "
                + describe(4L * n) + ", the Java heap has about " + describe(free) + " free of "
                + describe(rt.maxMemory()) + "; use a smaller shape or batch, or a larger heap (-Xmx, JAVA_OPTS)", cause);
    }

    /** Bytes as people read them: 8000000000 → "8.0 GB (8000000000 bytes)". */
    public static String describe(long bytes) {
        String[] units = {"bytes", "KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? bytes + " bytes" : String.format(java.util.Locale.ROOT, "%.1f %s (%d bytes)", v, units[u], bytes);
    }

    /** An allocation the heap could not meet; one line says what was asked for and what there was. */
    public static final class TensorMemoryException extends IllegalStateException {
        TensorMemoryException(String message, OutOfMemoryError cause) {
            super(message, cause);
        }
    }
}
