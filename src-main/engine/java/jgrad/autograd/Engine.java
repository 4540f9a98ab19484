package jgrad.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Set;
import jgrad.backend.Buffer;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Reverse-mode differentiation over the recorded graph: the chain rule applied op by op, from the
 * output back to the leaves.
 *
 * <ol>
 *   <li>Order the functions reachable from the output so each comes after every function that
 *       uses its result (an iterative depth-first search: deep graphs do not overflow the stack).</li>
 *   <li>Start with ∂C/∂C = 1 (or the gradient given) and visit the functions in that order. Each
 *       receives the sum of the gradients flowing into its output and returns one per input.</li>
 *   <li>A gradient reaching a leaf that requires grad is added to its {@code grad}.</li>
 * </ol>
 */
public final class Engine {
    private Engine() {}

    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor does not require grad and has no grad_fn "
                    + "(was it computed inside NoGrad, or from inputs that all have requiresGrad false?)");
        }
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalStateException("backward: output of shape " + Arrays.toString(root.shape())
                        + " is not a scalar; pass the gradient ∂C/∂output explicitly with backward(gradient)");
            }
            gradient = Tensor.full(root.device(), 1f, root.shape());
        } else {
            Kernels.sameDevice("backward", root, gradient);
            if (!Arrays.equals(root.shape(), gradient.shape())) {
                throw new IllegalArgumentException("backward: gradient of shape " + Arrays.toString(gradient.shape())
                        + " does not match output of shape " + Arrays.toString(root.shape()));
            }
        }
        // Buffers already handed to a leaf as its gradient in this pass (and the caller's own
        // gradient): a gradient whose buffer is among them is copied before it becomes a .grad.
        Set<Buffer> handedOut = Collections.newSetFromMap(new IdentityHashMap<>());
        handedOut.add(gradient.buffer());
        // Every gradient buffer made during this pass is noted; once a gradient has been used and
        // nothing the pass keeps refers to its buffer, the buffer goes back to the backend
        // (Backend.recycle) for the next step's outputs to reuse.
        Set<Buffer> made = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Buffer> outer = Kernels.noteAllocations(made);
        try (NoGrad scope = NoGrad.enter()) {
            if (root.gradFn() == null) {
                accumulateLeaf(root, gradient, handedOut, made);
                return;
            }
            List<Function> order = topologicalOrder(root.gradFn());
            Map<Function, Tensor> pending = new IdentityHashMap<>();
            pending.put(root.gradFn(), gradient);
            List<Tensor> used = new ArrayList<>();
            for (Function f : order) {
                Tensor gOut = pending.remove(f);
                if (gOut == null) continue;
                if (f.isReleased()) {
                    throw new IllegalStateException("backward through " + f.name() + " a second time: its graph "
                            + "was freed by the first backward; call backward(gradient, true) to retain it");
                }
                Profiler profiler = Profiler.active();
                long t0 = profiler != null && f.scope != null ? System.nanoTime() : 0;
                Tensor[] gIn = f.backward(gOut);
                if (t0 != 0) {
                    gOut.device().backend().finish();
                    profiler.addBackward(f.scope, System.nanoTime() - t0);
                }
                used.add(gOut);
                Tensor[] inputs = f.inputs();
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    if (gIn[i] == null) continue;
                    used.add(gIn[i]);
                    if (!in.requiresGrad()) continue;
                    Tensor g = reduceToShape(f, i, gIn[i], in);
                    if (in.gradFn() != null) {
                        Tensor before = pending.get(in.gradFn());
                        if (before != null) used.add(before);
                        pending.put(in.gradFn(), before == null ? g : before.add(g));
                    } else {
                        accumulateLeaf(in, g, handedOut, made);
                    }
                }
                if (!retainGraph) f.release();
                giveBack(used, made, pending, handedOut);
            }
        } finally {
            Kernels.stopNoting(outer);
        }
    }

    /**
     * Gives back to the backend the buffers of the gradients in {@code used} that this pass made
     * and that nothing still refers to: not a gradient waiting in {@code pending}, not a leaf's
     * {@code .grad} or the caller's gradient ({@code handedOut}). Views share their tensor's Buffer
     * object, so comparing buffers by identity catches a gradient passed on as a view (reshape's
     * backward) or as itself (add's).
     */
    private static void giveBack(List<Tensor> used, Set<Buffer> made, Map<Function, Tensor> pending, Set<Buffer> handedOut) {
        for (Tensor t : used) {
            Buffer b = t.buffer();
            if (!made.contains(b) || handedOut.contains(b)) continue;
            boolean waiting = false;
            for (Tensor p : pending.values()) waiting |= p.buffer() == b;
            if (waiting) continue;
            made.remove(b);
            b.backend().recycle(b);
        }
        used.clear();
    }

    /** Undoes broadcasting: a gradient shaped like the broadcast result is summed to the input's shape. */
    private static Tensor reduceToShape(Function f, int i, Tensor g, Tensor input) {
        try {
            return Kernels.sumTo(g, input.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(f.name() + " backward returned a gradient of shape "
                    + Arrays.toString(g.shape()) + " for input " + i + " of shape " + Arrays.toString(input.shape()), e);
        }
    }

    /**
     * leaf.grad += g. Never in place: g may share its buffer with a gradient still flowing to other
     * inputs (Add hands the same ∂C/∂y to both of its inputs). So the first gradient is taken as it
     * is when it is contiguous and its buffer is not already some leaf's gradient or the caller's
     * (no copy, one kernel launch less per parameter per step); later ones are added out of place.
     */
    private static void accumulateLeaf(Tensor leaf, Tensor g, Set<Buffer> handedOut, Set<Buffer> made) {
        Tensor old = leaf.gradForUpdate();
        if (old == null) {
            boolean own = g.isContiguous() && handedOut.add(g.buffer());
            if (own && made.contains(g.buffer())) {
                leaf.adoptGrad(g);  // made by this pass, no other tensor keeps it: reusable once dropped
            } else if (own) {
                leaf.setGrad(g);
            } else {
                leaf.adoptGrad(Kernels.copy(g));
            }
        } else {
            leaf.adoptGrad(old.add(g));
        }
        handedOut.add(leaf.gradForUpdate().buffer());  // the leaf's now: the engine never gives it back
    }

    /** Functions ordered from the output towards the leaves: each after all of its consumers. */
    static List<Function> topologicalOrder(Function root) {
        List<Function> postOrder = new ArrayList<>();
        Map<Function, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Function> stack = new ArrayDeque<>();
        ArrayDeque<Integer> nextChild = new ArrayDeque<>();
        stack.push(root);
        nextChild.push(0);
        seen.put(root, true);
        while (!stack.isEmpty()) {
            Function f = stack.peek();
            int i = nextChild.pop();
            Tensor[] in = f.inputs();
            if (i < in.length) {
                nextChild.push(i + 1);
                Function child = in[i].gradFn();
                if (child != null && seen.put(child, true) == null) {
                    stack.push(child);
                    nextChild.push(0);
                }
            } else {
                stack.pop();
                postOrder.add(f);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
