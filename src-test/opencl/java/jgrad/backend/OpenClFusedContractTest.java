package jgrad.backend;

import java.util.stream.Stream;
import jgrad.backend.opencl.OpenClTesting;
import jgrad.tensor.Device;
import org.junit.jupiter.api.BeforeAll;

/** {@link FusedContractTest} (fused primitives equal their definitions) run on the OpenCL backend. */
class OpenClFusedContractTest extends FusedContractTest {
    static Device device;

    @BeforeAll
    static void openDevice() {
        device = OpenClTesting.deviceOrSkip();
    }

    /** Hides FusedContractTest.backends(): every inherited test runs on OpenCL. */
    static Stream<Backend> backends() {
        return Stream.of(device.backend());
    }
}
