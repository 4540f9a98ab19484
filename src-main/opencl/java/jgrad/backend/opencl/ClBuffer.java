package jgrad.backend.opencl;

import jgrad.backend.Backend;
import jgrad.backend.Buffer;
import org.jocl.cl_mem;

/**
 * Device memory: an OpenCL buffer of {@code capacity} floats. When this object becomes unreachable,
 * {@link ClMemory} takes the memory back for reuse (a phantom reference; see there).
 */
final class ClBuffer implements Buffer {
    private final cl_mem mem;
    private final int capacity;
    private final OpenClBackend owner;

    ClBuffer(cl_mem mem, int capacity, OpenClBackend owner) {
        this.mem = mem;
        this.capacity = capacity;
        this.owner = owner;
    }

    cl_mem mem() {
        return mem;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public Backend backend() {
        return owner;
    }
}
