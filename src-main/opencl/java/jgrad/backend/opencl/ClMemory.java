package jgrad.backend.opencl;

import static org.jocl.CL.*;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * Device memory for one context: a pool of OpenCL buffers reused by size.
 *
 * <p>Tensors do not free their memory explicitly; a buffer is garbage when its {@link ClBuffer}
 * is. A phantom reference to each ClBuffer tells us so, and its memory goes back to the pool for
 * the next allocation of the same size: a training step allocates the same sizes every time, so
 * after the first steps nothing new is created on the device. The Java heap does not feel device
 * memory, though: a ClBuffer is a few dozen bytes, so the collector could wait many steps while
 * gigabytes of device memory hang on dead tensors. So when the memory held by live-or-unreclaimed
 * buffers grows by {@code budget} bytes ({@code -Djgrad.opencl.gcBytes}, default an eighth of the
 * device's memory, at most 8 GiB), we ask for a collection ({@link System#gc}) and reclaim.
 *
 * <p>Reuse is safe without events: the queue is in order, so a command that writes a reused
 * buffer runs after every command that used it before.
 */
final class ClMemory {
    private static final class Tracked extends PhantomReference<ClBuffer> {
        final cl_mem mem;
        final int floats;

        Tracked(ClBuffer referent, ReferenceQueue<ClBuffer> queue, cl_mem mem, int floats) {
            super(referent, queue);
            this.mem = mem;
            this.floats = floats;
        }
    }

    private final ClContext cl;
    private final ReferenceQueue<ClBuffer> dead = new ReferenceQueue<>();
    private final Set<Tracked> tracked = ConcurrentHashMap.newKeySet();  // keeps the references alive
    private final java.util.TreeMap<Integer, ArrayDeque<cl_mem>> free = new java.util.TreeMap<>();  // by size
    private final long budget;
    private long liveBytes, pooledBytes, gcMark;

    ClMemory(ClContext cl) {
        this(cl, Long.getLong("jgrad.opencl.gcBytes", Math.max(64L << 20, Math.min(cl.device.globalMemBytes() / 8, 8L << 30))));
    }

    ClMemory(ClContext cl, long budget) {
        this.cl = cl;
        this.budget = budget;
        this.gcMark = budget;
    }

    /** A buffer of n floats with undefined contents (at least one float is reserved). */
    synchronized ClBuffer allocate(int n, OpenClBackend owner) {
        int floats = Math.max(1, n);
        reclaim();
        if (liveBytes + 4L * floats > gcMark) {
            System.gc();
            awaitReclaim();
            gcMark = liveBytes + budget;
        }
        ArrayDeque<cl_mem> list = free.get(floats);
        cl_mem mem = list == null ? null : list.poll();
        if (mem != null) {
            pooledBytes -= 4L * floats;
            if (list.isEmpty()) free.remove(floats);
        } else {
            mem = create(floats, null);
        }
        return track(mem, n, floats, owner);
    }

    /** A new buffer holding a copy of {@code data} (copied by the driver as it is created). */
    synchronized ClBuffer upload(float[] data, OpenClBackend owner) {
        reclaim();
        int floats = Math.max(1, data.length);
        return track(create(floats, data.length == 0 ? null : data), data.length, floats, owner);
    }

    private ClBuffer track(cl_mem mem, int n, int floats, OpenClBackend owner) {
        ClBuffer b = new ClBuffer(mem, n, owner);
        tracked.add(new Tracked(b, dead, mem, floats));
        liveBytes += 4L * floats;
        return b;
    }

    private cl_mem create(int floats, float[] data) {
        long bytes = (long) floats * Sizeof.cl_float;
        long flags = CL_MEM_READ_WRITE | (data != null ? CL_MEM_COPY_HOST_PTR : 0);
        try {
            return clCreateBuffer(cl.context, flags, bytes, data != null ? Pointer.to(data) : null, null);
        } catch (CLException first) {
            // maybe dead tensors still hold the memory: collect, give the pool back, try once more
            System.gc();
            awaitReclaim();
            releasePool();
            try {
                return clCreateBuffer(cl.context, flags, bytes, data != null ? Pointer.to(data) : null, null);
            } catch (CLException e) {
                throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                        "opencl: out of device memory on %s allocating %d floats (%.1f MiB); tensors alive: %.1f MiB (%s)",
                        cl.device.name(), floats, bytes / 1048576.0, liveBytes / 1048576.0, e.getMessage()), e);
            }
        }
    }

    /** Takes back the memory of every buffer found dead so far. */
    private void reclaim() {
        Reference<? extends ClBuffer> r;
        while ((r = dead.poll()) != null) recycle((Tracked) r);
        gcMark = Math.min(gcMark, liveBytes + budget);
    }

    private void awaitReclaim() {
        try {
            Reference<? extends ClBuffer> r = dead.remove(50);  // the collector hands them over shortly after
            if (r != null) recycle((Tracked) r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reclaim();
    }

    /**
     * Puts a dead buffer's memory in the pool. When the pool is full, the largest buffers in it are
     * released first: those are most likely left from an earlier phase (a benchmark's 8192²
     * matrices before a training loop) and will not be asked for again, while a training step
     * asks for its small sizes every time. Releasing memory can make the driver wait for the device,
     * so it must not happen for every dead tensor of every step: on an H100, a LeNet step after the
     * 8192² sgemm benchmark took 31–36 ms instead of 2 ms when each small dead buffer was released
     * because the pool was full of large ones (docs/gpu.md, results/gpu-h100-run4.txt).
     */
    private void recycle(Tracked t) {
        tracked.remove(t);
        liveBytes -= 4L * t.floats;
        pool(t.mem, t.floats);
    }

    /** The pool's half of {@link #recycle}: keep {@code mem} for reuse, or release memory to make room. */
    synchronized void pool(cl_mem mem, int floats) {
        long bytes = 4L * floats;
        while (pooledBytes + bytes > budget && !free.isEmpty()) {
            Map.Entry<Integer, ArrayDeque<cl_mem>> largest = free.lastEntry();
            if (largest.getKey() < floats) break;  // everything pooled is smaller: keep it, drop this one
            clReleaseMemObject(largest.getValue().pop());
            pooledBytes -= 4L * largest.getKey();
            if (largest.getValue().isEmpty()) free.remove(largest.getKey());
        }
        if (pooledBytes + bytes > budget) {
            clReleaseMemObject(mem);
        } else {
            free.computeIfAbsent(floats, f -> new ArrayDeque<>()).push(mem);
            pooledBytes += bytes;
        }
    }

    private void releasePool() {
        for (ArrayDeque<cl_mem> list : free.values()) {
            for (cl_mem m : list) clReleaseMemObject(m);
        }
        free.clear();
        pooledBytes = 0;
    }

    /** Device memory created outside the pool's bookkeeping (tests hand it to {@link #pool}). */
    cl_mem createRaw(int floats) {
        return create(floats, null);
    }

    /** The sizes (in floats) the pool holds, smallest first, one entry per buffer (for tests). */
    synchronized java.util.List<Integer> pooledSizes() {
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        free.forEach((size, list) -> list.forEach(m -> sizes.add(size)));
        return sizes;
    }
}
