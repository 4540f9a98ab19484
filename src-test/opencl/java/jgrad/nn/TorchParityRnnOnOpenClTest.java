package jgrad.nn;

import java.util.stream.Stream;
import jgrad.backend.opencl.OpenClTesting;
import jgrad.tensor.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;

/**
 * {@link TorchParityRnnTest} on the OpenCL device: RNN, LSTM and GRU layers and cells against
 * PyTorch's values and gradients, through the whole-sequence ops (LstmSequence, GruSequence: the
 * cells' kernels writing into row blocks, a prepared W_hh) and, with lengths, the per-step graph.
 */
class TorchParityRnnOnOpenClTest extends TorchParityRnnTest {
    static Device device;

    @BeforeAll
    static void openDevice() {
        device = OpenClTesting.deviceOrSkip();
    }

    /** Hides TorchParityRnnTest.layerCases(): every layer case on OpenCL. */
    static Stream<Arguments> layerCases() {
        return layerNames().stream().map(n -> Arguments.of(device, n));
    }

    /** Hides TorchParityRnnTest.cellCases(). */
    static Stream<Arguments> cellCases() {
        return Stream.of("rnn", "rnn_relu", "lstm", "gru").map(m -> Arguments.of(device, "cell." + m));
    }
}
