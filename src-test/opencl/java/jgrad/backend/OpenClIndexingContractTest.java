package jgrad.backend;

import jgrad.backend.opencl.OpenClTesting;
import jgrad.tensor.Device;
import org.junit.jupiter.api.BeforeAll;

/**
 * The indexing primitives (kernels-opencl/index.cl) against the reference: PoCL in CI, a GPU where
 * there is one. The scatter-add must sum repeated indices without atomics.
 */
class OpenClIndexingContractTest extends IndexingContractTest {
    static Device device;

    @BeforeAll
    static void openDevice() {
        device = OpenClTesting.deviceOrSkip();
    }

    @Override
    protected Backend backend() {
        return device.backend();
    }
}
