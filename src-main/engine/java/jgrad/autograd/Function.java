package jgrad.autograd;

import jgrad.backend.Buffer;
import jgrad.tensor.Tensor;

/**
 * One differentiable op in the graph. A subclass computes its output in a static {@code apply},
 * keeps what its backward needs in fields, and returns {@code record(output)}; its
 * {@link #backward} turns ∂C/∂output into ∂C/∂input for each input, written with the same tensor
 * ops (the engine runs backward with recording off).
 *
 * <pre>{@code
 * // z = a · b        ⇒ ∂z/∂a = b, ∂z/∂b = a
 * protected Tensor[] backward(Tensor dZ) { return grads(dZ.mul(b), dZ.mul(a)); }
 * }</pre>
 *
 * The engine sums a returned gradient down to its input's shape when the input was broadcast, so
 * an op writes the gradient for the broadcast shape and never repeats that rule.
 */
public abstract class Function {
    /**
     * The inputs; once the op is in the graph ({@link #record}), an input that another op made and
     * this one did not {@link #saved save} is let go (null here) and only its {@link Edge} kept, so
     * that its memory can go as soon as nothing else holds it: a ReLU keeps its output, not the
     * batch norm output it read (PyTorch's graph keeps saved tensors alone, too). Leaves are kept:
     * backward adds to their {@code grad}.
     */
    private final Tensor[] inputs;
    private Edge[] edges;

    /** What backward needs of an input it let go: the op that made it, its shape, and which buffer it was (for {@link #releaseWithNode}). */
    private record Edge(Function gradFn, int[] shape, java.lang.ref.WeakReference<Buffer> buffer) {}
    /** The module whose forward recorded this op, when a {@link Profiler} runs (else null). */
    final String scope = Profiler.currentScope();
    private boolean released;

    protected Function(Tensor... inputs) {
        this.inputs = inputs;
    }

    /** ∂C/∂input for each input (null where not needed), given ∂C/∂output. */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** The op's name in messages and in a tensor's printout ({@code grad_fn=<MulBackward>}). */
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * Wires {@code output} into the graph when recording is on and some input requires a gradient;
     * otherwise leaves it a plain tensor. Returns {@code output}.
     */
    public final Tensor record(Tensor output) {
        if (!NoGrad.isGradEnabled()) return output;
        for (Tensor in : inputs) {
            if (in.requiresGrad()) {
                output.setGradFn(this);
                letGoOfUnsavedInputs();
                return output;
            }
        }
        return output;
    }

    private void letGoOfUnsavedInputs() {
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = inputs[i];
            if (in.gradFn() == null || isSaved(in)) continue;
            if (edges == null) edges = new Edge[inputs.length];
            edges[i] = new Edge(in.gradFn(), in.shape(), new java.lang.ref.WeakReference<>(in.buffer()));
            inputs[i] = null;
        }
    }

    private boolean isSaved(Tensor t) {
        for (int i = 0; i < savedCount; i++) if (savedTensors[i] == t) return true;
        return false;
    }

    int inputCount() {
        return inputs.length;
    }

    /** Input i when kept (always for a leaf), else null. */
    Tensor input(int i) {
        return inputs[i];
    }

    /** The op that made input i (null for a leaf). */
    Function inputGradFn(int i) {
        if (released) return null;  // its edges are gone (a second backward through it is refused when it is reached)
        return inputs[i] != null ? inputs[i].gradFn() : edges[i].gradFn();
    }

    int[] inputShape(int i) {
        return inputs[i] != null ? inputs[i].shape() : edges[i].shape();
    }

    /** Whether input i wants a gradient: backward may skip the work for the others. */
    protected final boolean needsGrad(int i) {
        return inputs[i] == null || inputs[i].requiresGrad();  // an input let go was made by an op in the graph: it requires grad
    }

    /** Sugar for returning per-input gradients. */
    protected static Tensor[] grads(Tensor... g) {
        return g;
    }

    boolean isReleased() {
        return released;
    }

    /**
     * Marks {@code t} (an input, or the output) as read by this op's backward and returns it: its
     * {@link Tensor#version()} is noted now, and backward refuses to run if an in-place change
     * moved it since, as PyTorch's saved-tensor check does (the gradient would silently use the
     * new values). Use it where the op keeps the tensor in a field: {@code this.b = saved(b);}
     */
    protected final Tensor saved(Tensor t) {
        if (t == null) return null;
        if (savedTensors.length == savedCount) {
            savedTensors = java.util.Arrays.copyOf(savedTensors, savedCount + 2);
            savedVersions = java.util.Arrays.copyOf(savedVersions, savedCount + 2);
        }
        savedTensors[savedCount] = t;
        savedVersions[savedCount++] = t.version();
        return t;
    }

    private Tensor[] savedTensors = NONE;
    private int[] savedVersions = new int[0];
    private int savedCount;
    private static final Tensor[] NONE = new Tensor[0];

    /** Called by the engine before this op's backward: every saved tensor is as it was in forward. */
    void checkSavedVersions() {
        for (int i = 0; i < savedCount; i++) {
            Tensor t = savedTensors[i];
            if (t.version() != savedVersions[i]) {
                throw new IllegalStateException(name() + " backward: one of the tensors it saved for gradient "
                        + "computation (shape " + java.util.Arrays.toString(t.shape()) + ", " + role(t)
                        + ") has been modified by an in-place operation: it is at version " + t.version()
                        + ", expected version " + savedVersions[i] + ". Change a new tensor instead "
                        + "(x.mul(s) rather than x.mulInPlace(s)), or make the change before the forward pass");
            }
        }
    }

    private String role(Tensor t) {
        for (int i = 0; i < inputs.length; i++) if (inputs[i] == t) return "input " + i;
        return t.gradFn() == this ? "its output" : "a tensor it made";
    }

    /**
     * Event, for an op's forward: {@code saved} is a tensor this op made and keeps for its own
     * backward alone (max pooling's argmax), handed to no one else. When backward releases this
     * node, the {@link MemoryPolicy} gives its memory back.
     */
    protected final void savedForBackward(Tensor saved) {
        diesWithNode.add(saved.buffer());
    }

    /**
     * The output buffer of this node dies with it (a {@code Sequential} made it and handed it only
     * to its next layer): when backward releases this node, every op that read the output has run
     * its backward. Ignored for a view op (reshape, transpose, …), whose output shares its input's
     * buffer: that belongs to the op that made it, whose backward (which may read it) has not run.
     */
    final void releaseWithNode(Buffer output) {
        for (int i = 0; i < inputs.length; i++) {
            Buffer b = inputs[i] != null ? inputs[i].buffer() : edges[i].buffer().get();  // alive if output is a view of it
            if (b == output) return;
        }
        diesWithNode.add(output);
    }

    private final java.util.List<Buffer> diesWithNode = new java.util.ArrayList<>(1);

    /** Frees the node (a second backward through it is refused); returns the buffers that die with it. */
    java.util.List<Buffer> release() {
        released = true;
        savedTensors = NONE;
        savedCount = 0;
        // the edges go too: nothing reaches the ops below through this node any more, so each node,
        // with the tensors its fields keep for backward, can be collected as soon as its own backward
        // has run (PyTorch frees a node's saved variables then, too)
        java.util.Arrays.fill(inputs, null);
        edges = null;
        java.util.List<Buffer> out = java.util.List.copyOf(diesWithNode);
        diesWithNode.clear();
        return out;
    }
}
