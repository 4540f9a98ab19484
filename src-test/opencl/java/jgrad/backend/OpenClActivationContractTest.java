package jgrad.backend;

import java.util.stream.Stream;
import jgrad.backend.opencl.OpenClTesting;
import jgrad.tensor.Device;
import org.junit.jupiter.api.BeforeAll;

/** {@link ActivationContractTest} (bounded activations against the reference) run on the OpenCL backend. */
class OpenClActivationContractTest extends ActivationContractTest {
    static Device device;

    @BeforeAll
    static void openDevice() {
        device = OpenClTesting.deviceOrSkip();
    }

    /** Hides ActivationContractTest.backends(): every inherited test runs on OpenCL. */
    static Stream<Backend> backends() {
        return Stream.of(device.backend());
    }
}
