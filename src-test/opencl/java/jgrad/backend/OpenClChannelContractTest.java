package jgrad.backend;

import java.util.stream.Stream;
import jgrad.backend.opencl.OpenClTesting;
import jgrad.tensor.Device;
import org.junit.jupiter.api.BeforeAll;

/** {@link ChannelContractTest} (batch norm's per-channel primitives) run on the OpenCL backend, through the seam's default. */
class OpenClChannelContractTest extends ChannelContractTest {
    static Device device;

    @BeforeAll
    static void openDevice() {
        device = OpenClTesting.deviceOrSkip();
    }

    /** Hides ChannelContractTest.backends(): every inherited test runs on OpenCL. */
    static Stream<Backend> backends() {
        return Stream.of(device.backend());
    }
}
