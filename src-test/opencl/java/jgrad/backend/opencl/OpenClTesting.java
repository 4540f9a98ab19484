package jgrad.backend.opencl;

import static org.assertj.core.api.Assertions.fail;

import jgrad.tensor.Device;
import org.junit.jupiter.api.Assumptions;

/**
 * The OpenCL device the tests run on. Where {@code CI=true} (CI installs PoCL, a CPU
 * implementation) an OpenCL device must exist and a missing one fails the test; elsewhere the
 * OpenCL tests are skipped with a one-line reason.
 */
public final class OpenClTesting {
    private OpenClTesting() {}

    /** The device {@code opencl} (or the one named by -Djgrad.test.opencl), or a skip / failure. */
    public static Device deviceOrSkip() {
        String spec = System.getProperty("jgrad.test.opencl", "opencl");
        try {
            return Device.of(spec);
        } catch (IllegalStateException | IllegalArgumentException e) {
            if ("true".equals(System.getenv("CI"))) fail("CI=true, so the OpenCL tests must run, but: " + e.getMessage());
            Assumptions.abort("OpenCL tests skipped: " + e.getMessage());
            throw e;  // not reached
        }
    }
}
