package jgrad.nn;

import jgrad.autograd.Function;
import jgrad.autograd.NoGrad;
import jgrad.backend.BinaryOp;
import jgrad.tensor.Generator;
import jgrad.tensor.Kernels;
import jgrad.tensor.Broadcasting;
import jgrad.tensor.Tensor;

/**
 * A fully connected layer: every output neuron sees every input. In 3Blue1Brown's notation one
 * example goes z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾; with a mini-batch of examples as rows it is
 * <pre>  Z = A·Wᵀ + b </pre>
 *
 * <p>Shapes: A (aPrev): [N, in] · W: [out, in] (PyTorch's layout: row j holds the weights into
 * neuron j) · b: [out] · Z: [N, out].
 *
 * <p>Local derivatives: ∂zⱼ/∂wⱼₖ = aₖ, ∂zⱼ/∂bⱼ = 1, ∂zⱼ/∂aₖ = wⱼₖ. Backward ({@link Fn}, next to
 * its forward), as docs/backprop.md derives it:
 * <pre>
 *   dW = dZᵀ·A      (∂C/∂wⱼₖ = Σₙ ∂C/∂zₙⱼ · aₙₖ)
 *   db = Σₙ dZ      (summed over the batch)
 *   dA = dZ·W       (∂C/∂aₖ = Σⱼ wⱼₖ ∂C/∂zⱼ, passed to the previous layer)
 * </pre>
 * It saves A (for dW) and W (for dA); b is not needed.
 *
 * <p>Initialisation as PyTorch's: W and b uniform in (−1/√in, 1/√in).
 *
 * <p>Checked by: {@code jgrad.nn.LinearTest} (a case by hand, central differences, the composed
 * MatMul + add graph, PyTorch values; docs/backprop.md's worked example); derivation in docs/backprop.md.
 */
public class Linear extends Module {
    private final int inFeatures, outFeatures;
    public final Parameter weight;
    public final Parameter bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Generator.global());
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Generator g) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear(" + inFeatures + ", " + outFeatures + "): sizes must be positive");
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        float bound = (float) (1 / Math.sqrt(inFeatures));
        this.weight = registerParameter("weight", new Parameter(uniform(g, bound, outFeatures, inFeatures)));
        this.bias = bias ? registerParameter("bias", new Parameter(uniform(g, bound, outFeatures))) : null;
    }

    private static Tensor uniform(Generator g, float bound, int... shape) {
        return Tensor.rand(g, shape).mul(2 * bound).sub(bound);
    }

    /** Z = A·Wᵀ + b, for A of shape [..., in]. */
    @Override
    public Tensor forward(Tensor aPrev) {
        if (aPrev.dim() == 0 || aPrev.size(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear(in_features=" + inFeatures + "): input of shape "
                    + java.util.Arrays.toString(aPrev.shape()) + " does not end in " + inFeatures);
        }
        return Fn.apply(aPrev, weight, bias);
    }

    /** The layer's op in the graph: forward and backward side by side. */
    static final class Fn extends Function {
        private final Tensor a, w;
        private final boolean hasBias;

        private Fn(Tensor a, Tensor w, Tensor b) {
            super(b == null ? new Tensor[] {a, w} : new Tensor[] {a, w, b});
            this.a = saved(a);
            this.w = saved(w);
            this.hasBias = b != null;
        }

        static Tensor apply(Tensor a, Tensor w, Tensor b) {
            Tensor z;
            try (NoGrad off = NoGrad.enter()) {  // the arithmetic records nothing: this op records itself below
                z = a.matmul(w.t());                                  // z = W·a for every row: Z = A·Wᵀ (W.t() is a view)
                if (b != null) Kernels.zipInto(BinaryOp.ADD, z, b, z);  //   + b, the same bias for every row, in place
            }
            return new Fn(a, w, b).record(z);
        }

        @Override
        protected Tensor[] backward(Tensor dZ) {
            Tensor dA = null, dW = null, db = null;
            if (needsGrad(0)) dA = dZ.matmul(w);                  // ∂C/∂aₖ = Σⱼ wⱼₖ ∂C/∂zⱼ          dA = dZ·W
            if (needsGrad(1)) dW = rows(dZ).t().matmul(rows(a));  // ∂C/∂wⱼₖ = Σₙ ∂C/∂zₙⱼ aₙₖ       dW = dZᵀ·A
            if (!hasBias) return grads(dA, dW);
            if (needsGrad(2)) db = Broadcasting.sumTo(dZ, new int[] {w.size(0)});  // ∂C/∂bⱼ = Σₙ ∂C/∂zₙⱼ          db = Σₙ dZ
            return grads(dA, dW, db);
        }

        /** A [..., f] tensor as the [rows, f] matrix of its rows (itself when 2-D). */
        private static Tensor rows(Tensor t) {
            return t.dim() == 2 ? t : t.reshape(-1, t.size(-1));
        }

        @Override
        public String name() {
            return "Linear";
        }
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
