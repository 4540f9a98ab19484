package jgrad.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import jgrad.autograd.GradCheck;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SoftmaxTest {
    private static Tensor leaf(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).requiresGrad(true);
    }

    @Test
    void softmaxOfOneTwoThreeByHand() {
        // e¹, e², e³ over their sum 30.1929: 0.0900, 0.2447, 0.6652
        float[] p = Softmax.softmax(Tensor.of(new float[] {1, 2, 3}, 1, 3), 1).toFloatArray();
        assertThat(p[0]).isCloseTo(0.09003057f, within(1e-6f));
        assertThat(p[1]).isCloseTo(0.24472847f, within(1e-6f));
        assertThat(p[2]).isCloseTo(0.66524096f, within(1e-6f));
        float[] lp = Softmax.logSoftmax(Tensor.of(new float[] {1, 2, 3}, 1, 3), 1).toFloatArray();
        assertThat(lp[0]).isCloseTo(-2.40760596f, within(1e-6f));
    }

    @Test
    void largeScoresDoNotOverflow() {
        float[] p = Softmax.softmax(Tensor.of(new float[] {1000, 1001}, 2), 0).toFloatArray();
        assertThat(p[0]).isCloseTo(0.26894142f, within(1e-6f));
        assertThat(p[1]).isCloseTo(0.73105858f, within(1e-6f));
    }

    @Test
    void alongTheFirstDimensionEachColumnSumsToOne() {
        float[] p = Softmax.softmax(Tensor.randn(new Generator(3), 4, 3), 0).toFloatArray();
        for (int col = 0; col < 3; col++) {
            float s = 0;
            for (int row = 0; row < 4; row++) s += p[row * 3 + col];
            assertThat(s).as("column %d", col).isCloseTo(1f, within(1e-6f));
        }
    }

    @Test
    void softmaxBackwardMatchesCentralDifference() {
        GradCheck.assertGradientsMatch(x -> Softmax.softmax(x[0], 1), leaf(1, 3, 5));
        GradCheck.assertGradientsMatch(x -> Softmax.softmax(x[0], 0), leaf(2, 4, 3));
    }

    @Test
    void logSoftmaxBackwardMatchesCentralDifference() {
        GradCheck.assertGradientsMatch(x -> Softmax.logSoftmax(x[0], -1), leaf(3, 3, 5));
        GradCheck.assertGradientsMatch(x -> Softmax.logSoftmax(x[0], 0), leaf(4, 2, 3, 4));
    }

    @Test
    void crossEntropyBackwardMatchesCentralDifference() {
        Tensor targets = Tensor.of(new float[] {2, 0, 4}, 3);
        GradCheck.assertGradientsMatch(x -> CrossEntropy.apply(x[0], targets), leaf(5, 3, 5));
    }
}
