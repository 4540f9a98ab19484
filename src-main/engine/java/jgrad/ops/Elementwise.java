package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.backend.BinaryOp;
import jgrad.backend.UnaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Elementwise ops. Each output element zᵢ depends only on the inputs' i-th elements, so the chain
 * rule is one multiplication per element: ∂C/∂xᵢ = ∂C/∂zᵢ · ∂zᵢ/∂xᵢ. Binary ops broadcast like
 * PyTorch; the engine sums each gradient back to its input's shape.
 *
 * <p>Checked by: {@code jgrad.ops.ElementwiseTest} (gradient checks for every op).
 */
public final class Elementwise {
    private Elementwise() {}

    public static Tensor add(Tensor a, Tensor b) { return Add.apply(a, b); }
    public static Tensor sub(Tensor a, Tensor b) { return Sub.apply(a, b); }
    public static Tensor mul(Tensor a, Tensor b) { return Mul.apply(a, b); }
    public static Tensor div(Tensor a, Tensor b) { return Div.apply(a, b); }
    public static Tensor addScalar(Tensor a, float s) { return AddScalar.apply(a, s); }
    public static Tensor mulScalar(Tensor a, float s) { return MulScalar.apply(a, s); }
    public static Tensor neg(Tensor a) { return MulScalar.apply(a, -1f); }
    public static Tensor pow(Tensor a, float p) { return Pow.apply(a, p); }
    public static Tensor sqrt(Tensor a) { return Sqrt.apply(a); }
    public static Tensor exp(Tensor a) { return Exp.apply(a); }
    public static Tensor log(Tensor a) { return Log.apply(a); }
    public static Tensor sigmoid(Tensor a) { return Sigmoid.apply(a); }
    public static Tensor tanh(Tensor a) { return Tanh.apply(a); }
    public static Tensor relu(Tensor a) { return Relu.apply(a); }
    public static Tensor relu6(Tensor a) { return Relu6.apply(a); }
    public static Tensor abs(Tensor a) { return Abs.apply(a); }

    /** z = a + b. ∂z/∂a = 1, ∂z/∂b = 1: the gradient passes through to both. */
    static final class Add extends Function {
        private Add(Tensor a, Tensor b) { super(a, b); }

        static Tensor apply(Tensor a, Tensor b) {
            return new Add(a, b).record(Kernels.zip(BinaryOp.ADD, a, b));
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            return grads(dZ, dZ);
        }
    }

    /** z = a − b. ∂z/∂a = 1, ∂z/∂b = −1. */
    static final class Sub extends Function {
        private Sub(Tensor a, Tensor b) { super(a, b); }

        static Tensor apply(Tensor a, Tensor b) {
            return new Sub(a, b).record(Kernels.zip(BinaryOp.SUB, a, b));
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            return grads(dZ, needsGrad(1) ? dZ.neg() : null);
        }
    }

    /** z = a · b. ∂z/∂a = b, ∂z/∂b = a. Saves both inputs. */
    static final class Mul extends Function {
        private final Tensor a, b;

        private Mul(Tensor a, Tensor b) { super(a, b); this.a = saved(a); this.b = saved(b); }

        static Tensor apply(Tensor a, Tensor b) {
            return new Mul(a, b).record(Kernels.zip(BinaryOp.MUL, a, b));
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            return grads(needsGrad(0) ? dZ.mul(b) : null, needsGrad(1) ? dZ.mul(a) : null);
        }
    }

    /** z = a / b. ∂z/∂a = 1/b, ∂z/∂b = −a/b² = −z/b. Saves b and z. */
    static final class Div extends Function {
        private final Tensor b;
        private Tensor z;

        private Div(Tensor a, Tensor b) { super(a, b); this.b = saved(b); }

        static Tensor apply(Tensor a, Tensor b) {
            Div f = new Div(a, b);
            f.z = f.saved(Kernels.zip(BinaryOp.DIV, a, b));
            return f.record(f.z);
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            Tensor dA = dZ.div(b);
            return grads(dA, needsGrad(1) ? dA.mul(z).neg() : null);
        }
    }

    /** z = a + s for a constant s. ∂z/∂a = 1. */
    static final class AddScalar extends Function {
        private AddScalar(Tensor a) { super(a); }

        static Tensor apply(Tensor a, float s) {
            return new AddScalar(a).record(Kernels.zipScalar(BinaryOp.ADD, a, s));
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            return grads(dZ);
        }
    }

    /** z = s · a for a constant s. ∂z/∂a = s. */
    static final class MulScalar extends Function {
        private final float s;

        private MulScalar(Tensor a, float s) { super(a); this.s = s; }

        static Tensor apply(Tensor a, float s) {
            return new MulScalar(a, s).record(Kernels.zipScalar(BinaryOp.MUL, a, s));
        }

        @Override
        public String name() { return s == -1f ? "Neg" : "MulScalar"; }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            return grads(dZ.mul(s));
        }
    }

    /** z = aᵖ for a constant p. ∂z/∂a = p·aᵖ⁻¹. Saves a. */
    static final class Pow extends Function {
        private final Tensor a;
        private final float p;

        private Pow(Tensor a, float p) { super(a); this.a = saved(a); this.p = p; }

        static Tensor apply(Tensor a, float p) {
            Tensor z = p == 2f ? Kernels.map(UnaryOp.SQUARE, a) : Kernels.zipScalar(BinaryOp.POW, a, p);
            return new Pow(a, p).record(z);
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            if (p == 0f) return grads(dZ.mul(0f));  // a⁰ = 1 is constant (p·aᵖ⁻¹ would be 0·∞ at a = 0)
            Tensor local = p == 2f ? a.mul(2f) : a.pow(p - 1f).mul(p);
            return grads(dZ.mul(local));
        }
    }

    /** z = √a. ∂z/∂a = 1/(2√a) = 1/(2z). Saves z. */
    static final class Sqrt extends Function {
        private Tensor z;

        private Sqrt(Tensor a) { super(a); }

        static Tensor apply(Tensor a) {
            Sqrt f = new Sqrt(a);
            f.z = f.saved(Kernels.map(UnaryOp.SQRT, a));
            return f.record(f.z);
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            return grads(dZ.div(z.mul(2f)));
        }
    }

    /** z = eᵃ. ∂z/∂a = eᵃ = z. Saves z. */
    static final class Exp extends Function {
        private Tensor z;

        private Exp(Tensor a) { super(a); }

        static Tensor apply(Tensor a) {
            Exp f = new Exp(a);
            f.z = f.saved(Kernels.map(UnaryOp.EXP, a));
            return f.record(f.z);
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            return grads(dZ.mul(z));
        }
    }

    /** z = ln a. ∂z/∂a = 1/a. Saves a. (ln 0 = −∞ and its gradient is ±∞, as in PyTorch.) */
    static final class Log extends Function {
        private final Tensor a;

        private Log(Tensor a) { super(a); this.a = saved(a); }

        static Tensor apply(Tensor a) {
            return new Log(a).record(Kernels.map(UnaryOp.LOG, a));
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            return grads(dZ.div(a));
        }
    }

    /**
     * a = σ(z) = 1/(1 + e⁻ᶻ), 3Blue1Brown's squashing function.
     * σ′(z) = σ(z)(1 − σ(z)) = a(1 − a): backward needs only the output, so that is what is saved.
     */
    static final class Sigmoid extends Function {
        private Tensor a;

        private Sigmoid(Tensor z) { super(z); }

        static Tensor apply(Tensor z) {
            Sigmoid f = new Sigmoid(z);
            f.a = f.saved(Kernels.map(UnaryOp.SIGMOID, z));
            return f.record(f.a);
        }

        // ∂C/∂z = ∂C/∂a · a(1 − a)
        @Override
        protected Tensor[] backward(Tensor dA) {
            Tensor oneMinusA = a.neg().add(1f);
            return grads(dA.mul(a).mul(oneMinusA));
        }
    }

    /** a = tanh(z). tanh′(z) = 1 − tanh²(z) = 1 − a². Saves a. */
    static final class Tanh extends Function {
        private Tensor a;

        private Tanh(Tensor z) { super(z); }

        static Tensor apply(Tensor z) {
            Tanh f = new Tanh(z);
            f.a = f.saved(Kernels.map(UnaryOp.TANH, z));
            return f.record(f.a);
        }

        @Override
        protected Tensor[] backward(Tensor dA) {
            return grads(dA.mul(a.square().neg().add(1f)));
        }
    }

    /**
     * a = ReLU(z) = max(0, z). ReLU′(z) = 1 for z &gt; 0, else 0 (at z = 0 we take 0, as PyTorch does).
     * Saves a: a &gt; 0 exactly where z &gt; 0.
     */
    static final class Relu extends Function {
        private Tensor a;

        private Relu(Tensor z) { super(z); }

        static Tensor apply(Tensor z) {
            Relu f = new Relu(z);
            f.a = f.saved(Kernels.map(UnaryOp.RELU, z));
            return f.record(f.a);
        }

        @Override
        protected Tensor[] backward(Tensor dA) {
            // dZ = dA · [z > 0] = dA · [a > 0], in one pass: dA where a > 0, else 0
            return grads(Kernels.zip(BinaryOp.GATE, dA, a));
        }
    }

    /**
     * a = ReLU6(z) = min(max(0, z), 6) (MobileNetV2's activation; PyTorch's hardtanh(z, 0, 6)).
     * ReLU6′(z) = 1 for 0 &lt; z &lt; 6, else 0 (at the kinks z = 0 and z = 6 we take 0, as PyTorch's
     * hardtanh_backward does). Saves a: 0 &lt; a &lt; 6 exactly where 0 &lt; z &lt; 6.
     */
    static final class Relu6 extends Function {
        private Tensor a;

        private Relu6(Tensor z) { super(z); }

        static Tensor apply(Tensor z) {
            Relu6 f = new Relu6(z);
            f.a = Kernels.map(UnaryOp.RELU6, z);
            return f.record(f.a);
        }

        @Override
        protected Tensor[] backward(Tensor dA) {
            // dZ = dA · [0 < z < 6] = dA · [a < 6] · [a > 0]: the product with the mask, then GATE on a > 0
            Tensor belowSix = Kernels.zip(BinaryOp.MUL, dA, Kernels.zipScalar(BinaryOp.LT, a, 6f));
            return grads(Kernels.zip(BinaryOp.GATE, belowSix, a));
        }
    }

    /**
     * z = |a|. ∂z/∂a = sign(a): +1 for a &gt; 0, −1 for a &lt; 0, and 0 at a = 0 (as PyTorch; |a| has
     * no derivative there, and 0 is the middle of its subgradients). Saves a.
     */
    static final class Abs extends Function {
        private final Tensor a;

        private Abs(Tensor a) {
            super(a);
            this.a = saved(a);
        }

        static Tensor apply(Tensor a) {
            return new Abs(a).record(Kernels.map(UnaryOp.ABS, a));
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            return grads(dZ.mul(Kernels.map(UnaryOp.SIGN, a)));
        }
    }
}
