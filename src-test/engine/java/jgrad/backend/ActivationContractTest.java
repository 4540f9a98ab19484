package jgrad.backend;

import static jgrad.backend.BackendContractTest.ORACLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part of the backend contract: the bounded activations on values on both sides of their bounds,
 * which the random cases of {@link BackendContractTest} (values ~ N(0, 2²)) rarely reach.
 */
class ActivationContractTest {
    /** The backends under test; the OpenCL unit's subclass hides it. */
    static Stream<Backend> backends() {
        return BackendContractTest.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void relu6ClampsAtZeroAndSixOnEveryLength(Backend backend) {
        for (int n : BackendContractTest.AWKWARD) {
            if (n == 0) continue;
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = -9.5f + 19f * i / n;  // from −9.5 to 9.5
            Layout l = Layout.contiguous(n);
            Buffer expected = ORACLE.allocate(n), actual = backend.allocate(n);
            ORACLE.map(UnaryOp.RELU6, ORACLE.upload(x), l, expected, l);
            backend.map(UnaryOp.RELU6, backend.upload(x), l, actual, l);
            float[] want = ORACLE.read(expected, l);
            for (int i = 0; i < n; i++) assertThat(want[i]).isEqualTo(Math.min(Math.max(x[i], 0f), 6f));
            assertThat(backend.read(actual, l)).as("relu6 of %d values on %s", n, backend).containsExactly(want);
        }
    }
}
