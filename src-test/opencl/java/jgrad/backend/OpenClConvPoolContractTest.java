package jgrad.backend;

import java.util.stream.Stream;
import jgrad.backend.opencl.OpenClTesting;
import jgrad.tensor.Device;
import org.junit.jupiter.api.BeforeAll;

/** {@link ConvPoolContractTest} (convolution and pooling against the reference) run on the OpenCL backend. */
class OpenClConvPoolContractTest extends ConvPoolContractTest {
    static Device device;

    @BeforeAll
    static void openDevice() {
        device = OpenClTesting.deviceOrSkip();
    }

    /** Hides ConvPoolContractTest.backends(): every inherited test runs on OpenCL. */
    static Stream<Backend> backends() {
        return Stream.of(device.backend());
    }
}
