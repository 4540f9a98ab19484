package jgrad.nn;

import jgrad.TorchFixture;
import jgrad.backend.opencl.OpenClTesting;
import jgrad.tensor.Device;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Issue #18's layers against PyTorch on the OpenCL device, with the same fixtures and checks as on
 * the CPU backends: ReLU6, batch norm with momentum=None, without affine and without running
 * statistics (three training steps, then evaluation), pooling with ceil_mode, count_include_pad and
 * non-square windows, adaptive pooling to sizes that do not divide, and CrossEntropyLoss on
 * [N, C, d1, d2] logits.
 */
class Layers18OnOpenClTest {
    private static final TorchFixture TORCH = TorchFixture.load("layers18_fixture.txt");

    @Test
    void reluSixMatchesPyTorch() {
        Device cl = OpenClTesting.deviceOrSkip();
        Tensor x = Tensor.of(cl, TORCH.values("relu6.x"), TORCH.shape("relu6.x")).requiresGrad(true);
        Tensor y = new ReLU6().forward(x);
        TORCH.assertMatches("relu6.y", y, 0, 0);
        y.backward(Tensor.of(cl, TORCH.values("relu6.dy"), TORCH.shape("relu6.dy")));
        TORCH.assertMatches("relu6.dx", x.grad(), 0, 0);
    }

    @Test
    void batchNormOptionsMatchPyTorch() {
        Device cl = OpenClTesting.deviceOrSkip();
        for (String name : new String[] {"cma", "noaffine", "notrack"}) new BatchNormOptionsTest().threeTrainingStepsThenEvaluationMatchPyTorch(cl, name);
    }

    @Test
    void poolingOptionsMatchPyTorch() {
        Device cl = OpenClTesting.deviceOrSkip();
        for (String name : new String[] {"max.ceil", "max.rect", "max.rectceil", "avg.ceil", "avg.ceilnopad", "avg.rectnopad", "avg.rectceil", "avg.ceil0"}) {
            new PoolingOptionsTest().poolingWithOptionsMatchesPyTorch(cl, name);
        }
        for (String name : new String[] {"7x10to3x4", "5x5to3x2"}) new PoolingOptionsTest().adaptiveAveragePoolingToSizesThatDoNotDivideMatchesPyTorch(cl, name);
    }

    @Test
    void crossEntropyOnImageShapedLogitsMatchesPyTorch() {
        Device cl = OpenClTesting.deviceOrSkip();
        new CrossEntropyNdTest().everyReductionMatchesPyTorchLossAndGradient(cl);
        new CrossEntropyNdTest().probabilitiesAsTheTargetMatchPyTorch(cl);
    }
}
