package jgrad.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import jgrad.autograd.GradCheck;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Elementwise ops: backward against central differences, forward against hand-computed values. */
class ElementwiseTest {

    /** Standard-normal values, a leaf that requires grad. */
    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).requiresGrad(true);
    }

    /** Uniform values in [0.5, 2.5): safe for log, sqrt, pow with a fractional exponent, and division. */
    static Tensor positive(long seed, int... shape) {
        return Tensor.rand(new Generator(seed), shape).mul(2f).add(0.5f).requiresGrad(true);
    }

    /** Normal values pushed at least 0.1 away from 0, so ReLU's kink is never inside a finite difference. */
    static Tensor awayFromZero(long seed, int... shape) {
        float[] v = Tensor.randn(new Generator(seed), shape).toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = Math.copySign(Math.abs(v[i]) + 0.1f, v[i]);
        return Tensor.of(v, shape).requiresGrad(true);
    }

    static void assertGradientsMatch(String what, Function<Tensor[], Tensor> op, Tensor... inputs) {
        GradCheck.Result r = new GradCheck().check(op, inputs);
        assertThat(r.passed()).as("%s: %s", what, r.detail()).isTrue();
    }

    static void assertValues(String what, Tensor actual, int[] expectedShape, float... expected) {
        assertThat(actual.shape()).as("%s: shape", what).containsExactly(expectedShape);
        assertThat(actual.toFloatArray()).as("%s: values", what).containsExactly(expected, within(1e-6f));
    }

    // ---- gradient checks ------------------------------------------------------------------------

    static Stream<Arguments> unaryOps() {
        return Stream.of(
                Arguments.of("addScalar", (Function<Tensor, Tensor>) x -> x.add(2.5f), randn(1, 3, 4)),
                Arguments.of("sub(float)", (Function<Tensor, Tensor>) x -> x.sub(0.75f), randn(2, 3, 4)),
                Arguments.of("mul(float)", (Function<Tensor, Tensor>) x -> x.mul(-1.5f), randn(3, 3, 4)),
                Arguments.of("div(float)", (Function<Tensor, Tensor>) x -> x.div(4f), randn(4, 3, 4)),
                Arguments.of("neg", (Function<Tensor, Tensor>) Tensor::neg, randn(5, 3, 4)),
                Arguments.of("pow 2", (Function<Tensor, Tensor>) x -> x.pow(2f), randn(6, 3, 4)),
                Arguments.of("square", (Function<Tensor, Tensor>) Tensor::square, randn(7, 3, 4)),
                Arguments.of("pow 1.5 on positive inputs", (Function<Tensor, Tensor>) x -> x.pow(1.5f), positive(8, 3, 4)),
                Arguments.of("pow -0.5 on positive inputs", (Function<Tensor, Tensor>) x -> x.pow(-0.5f), positive(9, 3, 4)),
                Arguments.of("pow 3", (Function<Tensor, Tensor>) x -> x.pow(3f), randn(10, 3, 4)),
                Arguments.of("sqrt", (Function<Tensor, Tensor>) Tensor::sqrt, positive(11, 3, 4)),
                Arguments.of("exp", (Function<Tensor, Tensor>) Tensor::exp, randn(12, 3, 4)),
                Arguments.of("log", (Function<Tensor, Tensor>) Tensor::log, positive(13, 3, 4)),
                Arguments.of("sigmoid", (Function<Tensor, Tensor>) Tensor::sigmoid, randn(14, 3, 4)),
                Arguments.of("tanh", (Function<Tensor, Tensor>) Tensor::tanh, randn(15, 3, 4)),
                Arguments.of("relu", (Function<Tensor, Tensor>) Tensor::relu, awayFromZero(16, 3, 4)),
                Arguments.of("abs", (Function<Tensor, Tensor>) Tensor::abs, awayFromZero(19, 3, 4)),
                // a non-contiguous input: the op reads a transposed view of the leaf
                Arguments.of("exp of a transposed view", (Function<Tensor, Tensor>) x -> x.t().exp(), randn(17, 3, 4)),
                Arguments.of("sigmoid of a step-2 slice", (Function<Tensor, Tensor>) x -> x.slice(1, 0, 4, 2).sigmoid(), randn(18, 3, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unaryOps")
    void unaryBackwardMatchesCentralDifference(String name, Function<Tensor, Tensor> op, Tensor x) {
        assertGradientsMatch(name, xs -> op.apply(xs[0]), x);
    }

    static Stream<Arguments> binaryOps() {
        return Stream.of(
                Arguments.of("add", (BinaryFn) Tensor::add, randn(21, 2, 3), randn(22, 2, 3)),
                Arguments.of("sub", (BinaryFn) Tensor::sub, randn(23, 2, 3), randn(24, 2, 3)),
                Arguments.of("mul", (BinaryFn) Tensor::mul, randn(25, 2, 3), randn(26, 2, 3)),
                Arguments.of("div", (BinaryFn) Tensor::div, randn(27, 2, 3), positive(28, 2, 3)),
                // broadcasting: the engine must sum each gradient back to its input's shape
                Arguments.of("add [3,1] + [1,4]", (BinaryFn) Tensor::add, randn(29, 3, 1), randn(30, 1, 4)),
                Arguments.of("mul [2,3] * [3]", (BinaryFn) Tensor::mul, randn(31, 2, 3), randn(32, 3)),
                Arguments.of("sub [4] - [2,4]", (BinaryFn) Tensor::sub, randn(33, 4), randn(34, 2, 4)),
                Arguments.of("div [2,3] / [2,1]", (BinaryFn) Tensor::div, randn(35, 2, 3), positive(36, 2, 1)),
                Arguments.of("mul [2,1,3] * [4,1]", (BinaryFn) Tensor::mul, randn(37, 2, 1, 3), randn(38, 4, 1)),
                Arguments.of("add scalar tensor + [2,3]", (BinaryFn) Tensor::add, randn(39), randn(40, 2, 3)),
                Arguments.of("mul of a transposed and a plain input", (BinaryFn) (a, b) -> a.t().mul(b), randn(41, 3, 2), randn(42, 2, 3)));
    }

    interface BinaryFn {
        Tensor apply(Tensor a, Tensor b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaryOps")
    void binaryBackwardMatchesCentralDifference(String name, BinaryFn op, Tensor a, Tensor b) {
        assertGradientsMatch(name, xs -> op.apply(xs[0], xs[1]), a, b);
    }

    @Test
    void gradientIsCheckedForOneInputWhenTheOtherIsConstant() {
        Tensor a = randn(43, 2, 3);
        Tensor b = positive(44, 2, 3).requiresGrad(false);
        assertGradientsMatch("a / b with b constant", xs -> xs[0].div(xs[1]), a, b);
        assertGradientsMatch("b / a with b constant", xs -> xs[1].div(xs[0]), positive(45, 2, 3), b);
    }

    @Test
    void composedExpressionBackwardMatchesCentralDifference() {
        // sigmoid(a·b + a²) − tanh(b)/2: every op above in one graph, a used three times
        assertGradientsMatch("sigmoid(a*b + a^2) - tanh(b)/2",
                xs -> xs[0].mul(xs[1]).add(xs[0].square()).sigmoid().sub(xs[1].tanh().div(2f)),
                randn(46, 3, 3), randn(47, 3, 3));
    }

    // ---- forward values ---------------------------------------------------------------------

    @Test
    void broadcastAddOfColumnAndRowMakesATable() {
        Tensor col = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        Tensor row = Tensor.of(new float[] {10, 20, 30, 40}, 1, 4);
        assertValues("[3,1] + [1,4]", col.add(row), new int[] {3, 4},
                11, 21, 31, 41,
                12, 22, 32, 42,
                13, 23, 33, 43);
    }

    @Test
    void broadcastMulScalesEachColumn() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor v = Tensor.of(new float[] {10, 100, 1000}, 3);
        assertValues("[2,3] * [3]", m.mul(v), new int[] {2, 3}, 10, 200, 3000, 40, 500, 6000);
        assertValues("[3] - [2,3]", v.sub(m), new int[] {2, 3}, 9, 98, 997, 6, 95, 994);
        assertValues("[2,3] / [2,1]", m.div(Tensor.of(new float[] {2, 4}, 2, 1)), new int[] {2, 3},
                0.5f, 1f, 1.5f, 1f, 1.25f, 1.5f);
    }

    @Test
    void broadcastOfIncompatibleShapesNamesBoth() {
        assertThatThrownBy(() -> Tensor.ones(2, 3).mul(Tensor.ones(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3]").hasMessageContaining("[2]");
    }

    @Test
    void scalarOpsComputeHandValues() {
        Tensor x = Tensor.of(new float[] {-2, 0, 0.5f, 3}, 4);
        assertValues("x + 1", x.add(1f), new int[] {4}, -1, 1, 1.5f, 4);
        assertValues("x - 1", x.sub(1f), new int[] {4}, -3, -1, -0.5f, 2);
        assertValues("x * 3", x.mul(3f), new int[] {4}, -6, 0, 1.5f, 9);
        assertValues("x / 2", x.div(2f), new int[] {4}, -1, 0, 0.25f, 1.5f);
        assertValues("-x", x.neg(), new int[] {4}, 2, -0f, -0.5f, -3);
        assertValues("x²", x.pow(2f), new int[] {4}, 4, 0, 0.25f, 9);
        assertValues("x³", x.pow(3f), new int[] {4}, -8, 0, 0.125f, 27);
        assertValues("relu", x.relu(), new int[] {4}, 0, 0, 0.5f, 3);
    }

    @Test
    void transcendentalOpsComputeHandValues() {
        Tensor x = Tensor.of(new float[] {0, 1, 4}, 3);
        assertValues("sqrt", x.sqrt(), new int[] {3}, 0, 1, 2);
        assertValues("exp", x.exp(), new int[] {3}, 1, (float) Math.E, (float) Math.exp(4));
        assertValues("log", Tensor.of(new float[] {1, (float) Math.E, 0.5f}, 3).log(), new int[] {3},
                0, 1, (float) Math.log(0.5));
        assertValues("pow 1.5", x.pow(1.5f), new int[] {3}, 0, 1, 8);
        assertValues("tanh", Tensor.of(new float[] {0, 1, -1}, 3).tanh(), new int[] {3},
                0, (float) Math.tanh(1), (float) -Math.tanh(1));
        assertThat(Tensor.of(new float[] {0f}, 1).log().toFloatArray()[0]).as("log 0").isEqualTo(Float.NEGATIVE_INFINITY);
    }

    @Test
    void sigmoidOfZeroIsOneHalfAndSaturatesWithoutOverflow() {
        Tensor z = Tensor.of(new float[] {0, 2, -2, 100, -100, -1000}, 6);
        float s2 = (float) (1 / (1 + Math.exp(-2)));
        assertValues("sigmoid", z.sigmoid(), new int[] {6}, 0.5f, s2, 1 - s2, 1, 0, 0);
        assertThat(z.sigmoid().toFloatArray()).as("sigmoid never NaN").doesNotContain(Float.NaN);
    }

    @Test
    void opsReadTransposedAndSlicedInputsInLogicalOrder() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);  // [[1,2,3],[4,5,6]]
        Tensor t = m.t();                                            // [[1,4],[2,5],[3,6]]
        assertThat(t.isContiguous()).isFalse();
        assertValues("t * 10", t.mul(10f), new int[] {3, 2}, 10, 40, 20, 50, 30, 60);
        assertValues("t + [[1,2],[3,4],[5,6]]", t.add(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2)),
                new int[] {3, 2}, 2, 6, 5, 9, 8, 12);
        Tensor everyOther = Tensor.of(new float[] {0, 1, 4, 9, 16, 25}, 6).slice(0, 1, 6, 2);  // 1, 9, 25
        assertValues("sqrt of a step-2 slice", everyOther.sqrt(), new int[] {3}, 1, 3, 5);
        assertValues("relu of a transposed view", t.sub(3.5f).relu(), new int[] {3, 2}, 0, 0.5f, 0, 1.5f, 0, 2.5f);
    }

    @Test
    void gradientOfBroadcastAddIsSummedOverTheRepeatedDimension() {
        Tensor col = randn(50, 3, 1), row = randn(51, 1, 4);
        col.add(row).sum().backward();
        // every element of col feeds 4 outputs, every element of row feeds 3
        assertThat(col.grad().toFloatArray()).as("d(sum)/d col").containsExactly(4, 4, 4);
        assertThat(row.grad().toFloatArray()).as("d(sum)/d row").containsExactly(3, 3, 3, 3);
        assertThat(col.grad().shape()).containsExactly(3, 1);
        assertThat(row.grad().shape()).containsExactly(1, 4);
    }

    @Test
    void reluGradientIsZeroAtZeroAsInPyTorch() {
        Tensor z = Tensor.of(new float[] {-1, 0, 2}, 3).requiresGrad(true);
        z.relu().sum().backward();
        assertThat(z.grad().toFloatArray()).as("relu'(-1, 0, 2)").containsExactly(0, 0, 1);
    }

    @Test
    void gradFnNamesTheOp() {
        Tensor x = randn(52, 2);
        assertThat(x.neg().gradFn().name()).isEqualTo("Neg");
        assertThat(x.mul(2f).gradFn().name()).isEqualTo("MulScalar");
        assertThat(x.mul(x).gradFn().name()).isEqualTo("Mul");
        assertThat(Arrays.asList(x.sigmoid().gradFn().name(), x.exp().gradFn().name())).containsExactly("Sigmoid", "Exp");
    }

    @Test
    void powZeroHasZeroGradientEvenAtZero() {
        Tensor a = Tensor.of(new float[] {0f, 2f, -3f}, 3).requiresGrad(true);
        Tensor z = a.pow(0f);
        org.assertj.core.api.Assertions.assertThat(z.toFloatArray()).containsExactly(1f, 1f, 1f);
        z.sum().backward();
        org.assertj.core.api.Assertions.assertThat(a.grad().toFloatArray()).containsExactly(0f, 0f, 0f);
    }

    @org.junit.jupiter.api.Test
    void absGradientIsTheSignAndZeroAtZero() {
        Tensor x = Tensor.of(new float[] {-2f, 0f, 3f}, 3).requiresGrad(true);
        x.abs().sum().backward();
        org.assertj.core.api.Assertions.assertThat(x.grad().toFloatArray()).containsExactly(-1f, 0f, 1f);
    }
}
