package jgrad.backend;

import java.util.stream.Stream;
import jgrad.backend.opencl.OpenClTesting;
import jgrad.tensor.Device;
import org.junit.jupiter.api.BeforeAll;

/** {@link GroupedConvContractTest} (grouped and depthwise convolution against the definition and the reference) run on the OpenCL backend. */
class OpenClGroupedConvContractTest extends GroupedConvContractTest {
    static Device device;

    @BeforeAll
    static void openDevice() {
        device = OpenClTesting.deviceOrSkip();
    }

    /** Hides GroupedConvContractTest.backends(): every inherited test runs on OpenCL. */
    static Stream<Backend> backends() {
        return Stream.of(device.backend());
    }
}
