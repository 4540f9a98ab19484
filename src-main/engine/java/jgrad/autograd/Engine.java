package jgrad.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jgrad.tensor.Kernels;
import jgrad.tensor.Broadcasting;
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
 *
 * <p>Memory is not this class's business: it tells the {@link MemoryPolicy} what happened (an op's
 * backward ran, a node was released, a step is done), and the policy gives back what nothing can
 * read any more.
 */
public final class Engine {
    private Engine() {}

    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        Tensor seed = seed(root, gradient);  // ∂C/∂C = 1, or the caller's ∂C/∂root
        try (NoGrad off = NoGrad.enter(); MemoryPolicy.Pass memory = MemoryPolicy.backwardPass(seed)) {
            if (root.gradFn() == null) {
                memory.addToGrad(root, seed);
                return;
            }
            Map<Function, Tensor> pending = new IdentityHashMap<>();  // ∂C/∂(a function's output), summed over its uses
            pending.put(root.gradFn(), seed);
            List<Function> order = topologicalOrder(root.gradFn());
            for (int k = 0; k < order.size(); k++) {
                Function f = order.get(k);
                if (!retainGraph) order.set(k, null);  // a node done with is held by nothing here (its memory can go)
                Tensor dOut = pending.remove(f);
                if (dOut == null) continue;  // no gradient flows back through f
                f.checkSavedVersions();  // what f saved in forward was not changed in place since
                Tensor[] dIn = memory.backward(f, dOut);  // the chain rule for one op: ∂C/∂input = ∂C/∂output · ∂output/∂input
                for (int i = 0; i < f.inputCount(); i++) {
                    Function producer = f.inputGradFn(i);  // null: a leaf (kept by f)
                    if (dIn[i] == null || producer == null && !f.input(i).requiresGrad()) continue;
                    Tensor g = reduceToShape(f, i, dIn[i], f.inputShape(i));  // undo broadcasting
                    if (producer == null) memory.addToGrad(f.input(i), g);  // a leaf: x.grad += g
                    else pending.merge(producer, g, memory::sum);  // x used more than once: ∂C/∂x = Σ over its uses
                }
                if (!retainGraph) memory.release(f);
                memory.stepDone(pending.values());  // gradients nothing can read any more go back for reuse
            }
        }
    }

    /** The gradient backward starts from: 1 for a scalar root, else the one given, checked against root. */
    private static Tensor seed(Tensor root, Tensor gradient) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: the tensor does not require grad and has no grad_fn "
                    + "(was it computed inside NoGrad, or from inputs that all have requiresGrad false?)");
        }
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalStateException("backward: output of shape " + Arrays.toString(root.shape())
                        + " is not a scalar; pass the gradient ∂C/∂output explicitly with backward(gradient)");
            }
            return Tensor.full(root.device(), 1f, root.shape());
        }
        Kernels.sameDevice("backward", root, gradient);
        if (!Arrays.equals(root.shape(), gradient.shape())) {
            throw new IllegalArgumentException("backward: gradient of shape " + Arrays.toString(gradient.shape())
                    + " does not match output of shape " + Arrays.toString(root.shape()));
        }
        return gradient;
    }

    /** Undoes broadcasting: a gradient shaped like the broadcast result is summed to the input's shape. */
    private static Tensor reduceToShape(Function f, int i, Tensor g, int[] inputShape) {
        try {
            return Broadcasting.sumTo(g, inputShape);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(f.name() + " backward returned a gradient of shape "
                    + Arrays.toString(g.shape()) + " for input " + i + " of shape " + Arrays.toString(inputShape), e);
        }
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
            if (i < f.inputCount()) {
                nextChild.push(i + 1);
                Function child = f.inputGradFn(i);
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
