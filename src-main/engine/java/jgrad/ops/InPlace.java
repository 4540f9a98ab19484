package jgrad.ops;

import jgrad.autograd.Function;
import jgrad.autograd.NoGrad;
import jgrad.backend.BinaryOp;
import jgrad.backend.UnaryOp;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * The in-place ops that torchvision's ResNet uses ({@code nn.ReLU(inplace=True)} and
 * {@code out += identity} in every block): the result is written over the first input's memory
 * instead of a new tensor, so a block's forward makes two full-size tensors fewer. The derivatives
 * are those of {@link Elementwise}'s ReLU and sum.
 *
 * <p>As with PyTorch's in-place ops: the input's {@link Tensor#version()} moves, so an op that saved
 * it for its backward refuses to run rather than read the new values (e.g. ReLU in place on a
 * sigmoid's output); a leaf that requires grad is refused while recording; the result is a new
 * tensor object on the same memory, carrying the new node, while the old object keeps its op (which
 * must not need its own output: batch norm, a sum and a convolution do not).
 *
 * <p>Checked by: {@code jgrad.ops.InPlaceTest} (gradient checks, equality with the out-of-place ops,
 * the version check, the refusals).
 */
public final class InPlace {
    private InPlace() {}

    /** Refuses what PyTorch refuses: a leaf that requires grad, changed while recording. */
    private static void check(String what, Tensor t) {
        if (t.isLeaf() && t.requiresGrad() && NoGrad.isGradEnabled()) {
            throw new IllegalStateException(what + ": a leaf tensor that requires grad cannot be changed in place "
                    + "(use the out-of-place op, or a NoGrad scope)");
        }
    }

    /**
     * a = ReLU(z), written over z; returns a (z's memory). ReLU′(z) = 1 for z &gt; 0, else 0; saves a,
     * which is &gt; 0 exactly where z was.
     */
    public static Tensor relu(Tensor z) {
        check("relu in place", z);
        Kernels.mapInto(UnaryOp.RELU, z, z);
        z.markChangedInPlace();
        // a is saved at the version after the change: a later change to a is refused
        Relu f = new Relu(z, z.aliasWith(z.layout()));
        return f.record(f.a);
    }

    /** Backward of {@link #relu}: as {@code Elementwise.Relu}'s. */
    private static final class Relu extends Function {
        private final Tensor a;

        private Relu(Tensor z, Tensor a) {
            super(z);
            this.a = saved(a);
        }

        @Override
        protected Tensor[] backward(Tensor dA) {
            // in the forward pass this was: a = max(0, z), written over z. dZ = dA · [a > 0]
            return grads(Kernels.zip(BinaryOp.GATE, dA, a));
        }

        @Override
        public String name() {
            return "ReluInPlace";
        }
    }

    /**
     * s = a + b, written over a (b broadcast to a's shape, which must be the sum's); returns s (a's
     * memory). ∂s/∂a = 1, ∂s/∂b = 1: the gradient passes through to both (summed back to b's shape).
     */
    public static Tensor add(Tensor a, Tensor b) {
        check("add in place", a);
        int[] shape = jgrad.tensor.Broadcasting.broadcastShapes("add in place", a.shape(), b.shape());
        if (!java.util.Arrays.equals(shape, a.shape())) {
            throw new IllegalArgumentException("add in place: the sum of " + java.util.Arrays.toString(a.shape()) + " and "
                    + java.util.Arrays.toString(b.shape()) + " has shape " + java.util.Arrays.toString(shape) + ", not the first's");
        }
        Kernels.zipInto(BinaryOp.ADD, a, b, a);
        a.markChangedInPlace();
        return new Add(a, b).record(a.aliasWith(a.layout()));
    }

    /** Backward of {@link #add}. */
    private static final class Add extends Function {
        private Add(Tensor a, Tensor b) { super(a, b); }

        @Override
        protected Tensor[] backward(Tensor dS) {
            return grads(dS, dS);
        }

        @Override
        public String name() {
            return "AddInPlace";
        }
    }
}
