package jgrad.backend.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import jgrad.tensor.Device;
import org.jocl.cl_mem;
import org.junit.jupiter.api.Test;

/** The device memory pool's policy, on the OpenCL test device (PoCL in CI). */
class ClMemoryTest {

    private static ClMemory memory(long budgetBytes) {
        Device d = OpenClTesting.deviceOrSkip();
        ClContext cl = new ClContext(((OpenClBackend) d.backend()).device(), Map.of());
        return new ClMemory(cl, budgetBytes);
    }

    @Test
    void aPooledBufferIsReusedForTheSameSize() {
        ClMemory m = memory(1 << 20);
        cl_mem mem = m.createRaw(1000);
        m.pool(mem, 1000);
        ClBuffer b = m.allocate(1000, null);
        assertThat(b.mem()).as("the pooled memory comes back").isSameAs(mem);
        assertThat(m.pooledSizes()).isEmpty();
    }

    @Test
    void whenThePoolIsFullTheLargestBuffersGoFirst() {
        // budget 4,000 bytes = 1,000 floats: two stale 400-float buffers fill most of it
        ClMemory m = memory(4000);
        m.pool(m.createRaw(400), 400);
        m.pool(m.createRaw(400), 400);
        m.pool(m.createRaw(100), 100);
        assertThat(m.pooledSizes()).containsExactly(100, 400, 400);
        // a dead 300-float buffer does not fit (1,200 > 1,000): one 400 is released to make room
        m.pool(m.createRaw(300), 300);
        assertThat(m.pooledSizes()).containsExactly(100, 300, 400);
        // a size larger than anything pooled that does not fit is released itself
        m.pool(m.createRaw(900), 900);
        assertThat(m.pooledSizes()).containsExactly(100, 300, 400);
    }
}
