package jgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jgrad.backend.UnaryOp;
import jgrad.tensor.Generator;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The checker itself: it must reject a wrong backward and accept a right one. */
class GradCheckTest {

    /** z = x², with a backward that returns {@code factor} · 2x (factor 1 is right). */
    private static final class Square extends Function {
        private final Tensor x;
        private final float factor;

        private Square(Tensor x, float factor) {
            super(x);
            this.x = x;
            this.factor = factor;
        }

        static Tensor apply(Tensor x, float factor) {
            return new Square(x, factor).record(Kernels.map(UnaryOp.SQUARE, x));
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            return grads(dZ.mul(x).mul(2f * factor));
        }
    }

    /** z = a·b whose backward forgets the gradient of b in one element (b's gradient is 0 there). */
    private static final class MulWithOneWrongElement extends Function {
        private final Tensor a, b;

        private MulWithOneWrongElement(Tensor a, Tensor b) {
            super(a, b);
            this.a = a;
            this.b = b;
        }

        static Tensor apply(Tensor a, Tensor b) {
            return new MulWithOneWrongElement(a, b).record(Kernels.zip(jgrad.backend.BinaryOp.MUL, a, b));
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            float[] mask = new float[b.numel()];
            java.util.Arrays.fill(mask, 1f);
            mask[2] = 0f;
            return grads(dZ.mul(b), dZ.mul(a).mul(Tensor.of(mask, b.shape())));
        }
    }

    private static Tensor input() {
        return Tensor.randn(new Generator(3), 2, 3).requiresGrad(true);
    }

    @Test
    void rightBackwardPasses() {
        GradCheck.Result r = new GradCheck().check(xs -> Square.apply(xs[0], 1f), input());
        assertThat(r.passed()).as(r.detail()).isTrue();
        assertThat(r.detail()).contains("within tolerance");
    }

    @Test
    void backwardThatIsTwiceTooLargeFails() {
        Tensor x = input();
        GradCheck.Result r = new GradCheck().check(xs -> Square.apply(xs[0], 2f), x);
        assertThat(r.passed()).as("a 2× gradient must be rejected: %s", r.detail()).isFalse();
        assertThat(r.input()).isZero();
        // the worst element is the one with the largest |x|, where 2·2x and 2x differ most
        assertThat(r.analytic()).as(r.detail()).isCloseTo(2 * r.numeric(), org.assertj.core.data.Offset.offset(0.05 * Math.abs(r.numeric())));
        assertThat(r.detail()).contains("MISMATCH").contains("[2, 3]");
        assertThatThrownBy(() -> GradCheck.assertGradientsMatch(xs -> Square.apply(xs[0], 2f), x))
                .isInstanceOf(AssertionError.class).hasMessageContaining("MISMATCH");
    }

    @Test
    void oneWrongElementOfTheSecondInputIsFound() {
        Tensor a = Tensor.randn(new Generator(4), 5).requiresGrad(true);
        Tensor b = Tensor.randn(new Generator(5), 5).requiresGrad(true);
        GradCheck.Result r = new GradCheck().check(xs -> MulWithOneWrongElement.apply(xs[0], xs[1]), a, b);
        assertThat(r.passed()).as(r.detail()).isFalse();
        assertThat(r.input()).as("input index").isEqualTo(1);
        assertThat(r.element()).as("element index").isEqualTo(2);
        assertThat(r.analytic()).isZero();
    }

    @Test
    void inputsThatDoNotRequireGradAreHeldFixed() {
        Tensor a = input();
        Tensor wrongButFrozen = Tensor.randn(new Generator(6), 5).requiresGrad(false);
        GradCheck.Result r = new GradCheck().check(
                xs -> Square.apply(xs[0], 1f).sum().add(MulWithOneWrongElement.apply(xs[1], xs[1]).sum()), a, wrongButFrozen);
        assertThat(r.passed()).as(r.detail()).isTrue();
        assertThat(a.toFloatArray()).as("inputs are restored after nudging").containsExactly(input().toFloatArray());
    }

    @Test
    void builtInOpsPassTheirOwnCheck() {
        GradCheck.assertGradientsMatch(xs -> xs[0].mul(xs[1]), input(), Tensor.randn(new Generator(7), 2, 3).requiresGrad(true));
    }
}
