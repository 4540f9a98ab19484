package jgrad.nn;

import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * A fully connected layer: every output neuron sees every input. In 3Blue1Brown's notation one
 * example goes z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾; with a mini-batch of examples as rows it is
 * <pre>  Z = A·Wᵀ + b </pre>
 *
 * <p>Shapes: A (aPrev): [N, in] · W: [out, in] (PyTorch's layout: row j holds the weights into
 * neuron j) · b: [out] · Z: [N, out].
 *
 * <p>Local derivatives: ∂zⱼ/∂wⱼₖ = aₖ, ∂zⱼ/∂bⱼ = 1, ∂zⱼ/∂aₖ = wⱼₖ. Backward, from the ops it is
 * built of ({@link jgrad.ops.MatMul}, broadcast add):
 * <pre>
 *   dW = dZᵀ·A      (∂C/∂wⱼₖ = Σₙ ∂C/∂zₙⱼ · aₙₖ)
 *   db = Σₙ dZ      (summed over the batch)
 *   dA = dZ·W       (∂C/∂aₖ = Σⱼ wⱼₖ ∂C/∂zⱼ, passed to the previous layer)
 * </pre>
 *
 * <p>Initialisation as PyTorch's: W and b uniform in (−1/√in, 1/√in).
 *
 * <p>Checked by: {@code jgrad.nn.LinearTest}; derivation in docs/backprop.md.
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
        Tensor z = aPrev.matmul(weight.t());
        if (bias == null) return z;
        Tensor out = z.add(bias);
        // The product before the bias is read by the add alone, whose backward does not need it:
        // its buffer can go back for reuse, at once without a graph, else when backward is done
        // with the matmul (by then the add's backward has run).
        if (!jgrad.autograd.NoGrad.isGradEnabled()) z.device().backend().recycle(z.buffer());
        else if (z.gradFn() != null) z.gradFn().giveBackOutputOnRelease(z.buffer());
        return out;
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
