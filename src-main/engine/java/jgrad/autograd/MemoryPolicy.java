package jgrad.autograd;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import jgrad.backend.Buffer;
import java.util.function.UnaryOperator;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * The one place that decides when a buffer goes back to its backend ({@code Backend.recycle}) for
 * the next outputs of the same size to reuse, so that a steady training step allocates nothing.
 * The calculus never decides it: the engine, {@code Sequential} and the ops only say what happened,
 * through the events below, and read as if memory were free.
 *
 * <ul>
 *   <li>{@link #made}: an op made a new output buffer ({@code Kernels} says so). A backward pass and a
 *       {@code Sequential} call listen, to know which buffers are theirs to give back.</li>
 *   <li>A backward pass ({@link #backwardPass}): gradients are given back once used and referred to
 *       by nothing that the pass keeps; a leaf's gradient made by the pass is the policy's until
 *       someone takes it out with {@link Tensor#grad()} ({@link #handedOut}), and goes back when it
 *       is replaced or dropped ({@link #dropped}, e.g. by {@code zeroGrad}).</li>
 *   <li>The activations a {@code Sequential} passes from layer to layer ({@link #activations}): under
 *       {@link NoGrad}, given back once the next layer has returned; with a graph, when backward
 *       releases the op that made them (by then every op that read them has run its backward).</li>
 *   <li>A node released by backward gives back what it kept for its backward alone
 *       ({@link Function#savedForBackward}).</li>
 * </ul>
 *
 * <p>The same events are where the {@link Profiler} hooks in (a layer's forward, an op's backward),
 * so they are run from here too. Reuse can be switched off per backend (a {@code SimdBackend} or
 * {@code ReferenceBackend} with {@code setRecycling(false)}); {@code RecyclingTest} requires the
 * same bits either way.
 */
public final class MemoryPolicy {
    private MemoryPolicy() {}

    /**
     * Smaller outputs are not tracked: a new small array costs less than reusing one (the CPU pool
     * keeps nothing under 1,024 floats either), and tracking every scalar and bias-sized tensor was
     * a measurable share of a small MLP's step.
     */
    private static final int TRACKED_FROM = 1024;

    /** Where {@link #made} notes buffers, while a backward pass or a Sequential call on this thread listens. */
    private static final ThreadLocal<Set<Buffer>> LISTENER = new ThreadLocal<>();

    /**
     * Leaf gradients that a backward pass made and nobody has taken out: the policy's to give back.
     * Weak, so a model dropped without {@code zeroGrad} leaves nothing behind (buffers compare by identity).
     */
    private static final Set<Buffer> OWNED_GRADIENTS = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /** Depth of {@link #readsForUpdate} scopes on this thread: reads of .grad() there hand nothing out. */
    private static final ThreadLocal<int[]> UPDATING = ThreadLocal.withInitial(() -> new int[1]);

    // ---- events -------------------------------------------------------------------------------

    /** Event: an op made a new output buffer of {@code n} floats. */
    public static void made(Buffer b, int n) {
        if (n < TRACKED_FROM) return;
        Set<Buffer> log = LISTENER.get();
        if (log != null) log.add(b);
    }

    /** Event: a gradient is being handed to a caller ({@link Tensor#grad()}), who may keep it: never reuse it. */
    public static void handedOut(Tensor gradient) {
        if (gradient != null && UPDATING.get()[0] == 0) OWNED_GRADIENTS.remove(gradient.buffer());
    }

    /** Event: a tensor's gradient was replaced or dropped ({@link Tensor#setGrad}); the old one goes back if it was the policy's. */
    public static void dropped(Tensor oldGradient) {
        if (oldGradient != null && OWNED_GRADIENTS.remove(oldGradient.buffer())) recycle(oldGradient.buffer());
    }

    /**
     * Event: until the returned scope closes, this thread reads gradients to update parameters and
     * keeps none of them (an optimizer's step): {@link Tensor#grad()} hands nothing out there, so
     * {@code zeroGrad} can still give the gradients back.
     */
    public static ReadsForUpdate readsForUpdate() {
        int[] depth = UPDATING.get();
        depth[0]++;
        boolean[] closed = {false};
        return () -> {  // closing twice must not end an enclosing scope
            if (!closed[0]) depth[0]--;
            closed[0] = true;
        };
    }

    /** The scope of {@link #readsForUpdate}. */
    public interface ReadsForUpdate extends AutoCloseable {
        @Override
        void close();
    }

    private static void recycle(Buffer b) {
        b.backend().recycle(b);
    }

    private static Set<Buffer> listen(Set<Buffer> log) {
        Set<Buffer> before = LISTENER.get();
        LISTENER.set(log);
        return before;
    }

    private static void stopListening(Set<Buffer> before) {
        if (before == null) LISTENER.remove();
        else LISTENER.set(before);
    }

    private static Set<Buffer> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    // ---- a backward pass ----------------------------------------------------------------------

    /** Starts the bookkeeping of one backward pass that begins with {@code seed} (the caller's ∂C/∂root, never given back). */
    public static Pass backwardPass(Tensor seed) {
        return new Pass(seed);
    }

    /** One backward pass: which gradient buffers it made, used and handed to leaves. */
    public static final class Pass implements AutoCloseable {
        /** Buffers that are some leaf's gradient or the caller's: a gradient sharing one is copied before it becomes a .grad. */
        private final Set<Buffer> handedOut = identitySet();
        private final Set<Buffer> made = identitySet();
        private final List<Tensor> used = new ArrayList<>();
        /** Leaf gradients replaced during the pass (a + b): they go back when it ends, not before. */
        private final List<Buffer> replaced = new ArrayList<>();
        private final Set<Buffer> outer;
        private final ReadsForUpdate reads = readsForUpdate();

        private Pass(Tensor seed) {
            handedOut.add(seed.buffer());
            outer = listen(made);
        }

        /** Runs f's backward (∂C/∂inputs from ∂C/∂output), timed when a profiler runs; the gradients count as used. */
        Tensor[] backward(Function f, Tensor gradOutput) {
            if (f.isReleased()) {
                throw new IllegalStateException("backward through " + f.name() + " a second time: its graph "
                        + "was freed by the first backward; call backward(gradient, true) to retain it");
            }
            Profiler profiler = Profiler.active();
            long t0 = profiler != null && f.scope != null ? System.nanoTime() : 0;
            Tensor[] gradInputs = f.backward(gradOutput);
            if (t0 != 0) {
                gradOutput.device().backend().finish();
                profiler.addBackward(f.scope, System.nanoTime() - t0);
            }
            used.add(gradOutput);
            for (Tensor g : gradInputs) if (g != null) used.add(g);
            return gradInputs;
        }

        /** a + b, for a gradient reaching a tensor through a second use; a is used up. */
        Tensor sum(Tensor a, Tensor b) {
            used.add(a);
            return a.add(b);
        }

        /**
         * leaf.grad += g. Never in place: g may share its buffer with a gradient still flowing to
         * other inputs (Add hands the same ∂C/∂y to both). The first gradient is taken as it is when
         * it is contiguous and its buffer is not already some leaf's or the caller's (no copy); a
         * gradient this pass made becomes the policy's, to give back when it is dropped.
         */
        void addToGrad(Tensor leaf, Tensor g) {
            Tensor old = leaf.grad();
            Tensor now;
            boolean owned;
            if (old == null) {
                boolean own = g.isContiguous() && handedOut.add(g.buffer());
                owned = !own || made.contains(g.buffer());
                now = own ? g : Kernels.copy(g);
            } else {
                now = old.add(g);
                owned = true;
            }
            owned &= now.layout().offset() == 0 && now.isContiguous() && now.numel() == now.buffer().capacity();
            // The old gradient, if it was ours, goes back only when the pass ends: taken as it came,
            // its buffer may be a gradient still waiting for another node (Add's pass-through ∂C/∂y).
            if (old != null && OWNED_GRADIENTS.remove(old.buffer())) replaced.add(old.buffer());
            leaf.setGrad(now);
            if (owned) OWNED_GRADIENTS.add(now.buffer());
            handedOut.add(now.buffer());  // the leaf's now: the pass never gives it back
        }

        /** f's node is freed: what it kept for its backward alone goes back. */
        void release(Function f) {
            for (Buffer b : f.release()) recycle(b);
        }

        /**
         * After a function's step: the gradients used so far that this pass made, and that nothing
         * still refers to (not a gradient waiting in {@code pending}, not a leaf's .grad, not the
         * caller's), go back. Views share their tensor's Buffer, so comparing buffers by identity
         * catches a gradient passed on as a view (reshape's backward) or as itself (add's).
         */
        void stepDone(Collection<Tensor> pending) {
            for (Tensor t : used) {
                Buffer b = t.buffer();
                if (!made.contains(b) || handedOut.contains(b)) continue;
                boolean waiting = false;
                for (Tensor p : pending) waiting |= p.buffer() == b;
                if (waiting) continue;
                made.remove(b);
                recycle(b);
            }
            used.clear();
        }

        @Override
        public void close() {
            stopListening(outer);
            reads.close();
            // nothing reads a replaced gradient now: every node has run, and no other leaf took its
            // buffer (it was in handedOut)
            for (Buffer b : replaced) recycle(b);
            replaced.clear();
        }
    }

    // ---- a Sequential call --------------------------------------------------------------------

    /** Starts the bookkeeping of one {@code Sequential.forward}: the activations its layers pass on. */
    public static Activations activations() {
        return new Activations(true);
    }

    /**
     * As {@link #activations}, but only under {@link NoGrad}: with a graph the activations are left
     * to the garbage collector, as before. For the steps inside a residual block, whose blocks are
     * already a Sequential's layers. Measured on ResNet-18 (224×224, batch 8, one thread): under
     * no_grad a pass allocated 106 MB instead of 249 MB; handing the blocks' activations to the
     * graph too made the training step allocate more (420 MB instead of 345 MB a step, twice the
     * collections), the CPU pool (an eighth of the heap) being full of them when gradients came back.
     */
    public static Activations activationsUnderNoGrad() {
        return new Activations(false);
    }

    /**
     * The activations of one Sequential call are its own, so their memory goes back as soon as
     * nothing can read them. Only outputs the layers made during this call are given back: never
     * the caller's input, the returned output or a view of it, or a tensor a layer returns without
     * having made it. A layer must therefore not keep its input or output after forward returns
     * (none of jgrad's do).
     */
    public static final class Activations implements AutoCloseable {
        private final boolean noGrad = !NoGrad.isGradEnabled();
        private final Set<Buffer> made = identitySet();
        private final Set<Buffer> outer = listen(made);
        private final List<Tensor> graphOwned = new ArrayList<>();
        /** Whether, with a graph, an activation goes back when backward releases the op that made it. */
        private final boolean toGraph;

        private Activations(boolean toGraph) {
            this.toGraph = toGraph;
        }

        /**
         * out = forward(in), for the {@code index}-th layer of the call (named by its class in the
         * profiler's table, or by {@code layer} itself if it is a String), timed when a profiler runs; then {@code in} may go back.
         */
        public Tensor run(int index, Object layer, UnaryOperator<Tensor> forward, Tensor in) {
            Profiler profiler = Profiler.active();
            Tensor out = profiler == null ? forward.apply(in)
                    : profiler.forward(index + ": " + (layer instanceof String name ? name : layer.getClass().getSimpleName()), in.device(), () -> forward.apply(in));
            return read(in, out);
        }

        /**
         * {@code out} was computed from {@code in}, and nothing after it reads {@code in}: if this
         * call made {@code in}, it goes back now (under {@link NoGrad}, or when neither tensor is in a
         * graph: a frozen backbone, whose ops record no node that could keep {@code in}) or when
         * backward releases the op that made it. For a module whose steps are not a plain chain (a residual block: the sum
         * reads the branch's output and the shortcut's). Returns {@code out}.
         */
        public Tensor read(Tensor in, Tensor out) {
            if (made.contains(in.buffer())) {
                // Outside any graph (no_grad, or a frozen part of the model: neither tensor has an op
                // that made it, so no node kept in for its backward), in is dead once out exists.
                boolean outsideGraph = noGrad || (in.gradFn() == null && !in.requiresGrad() && out.gradFn() == null && !out.requiresGrad());
                if (outsideGraph && in.buffer() != out.buffer()) {
                    made.remove(in.buffer());
                    recycle(in.buffer());
                } else if (!noGrad && toGraph && in.gradFn() != null) {
                    made.remove(in.buffer());
                    graphOwned.add(in);
                }
            }
            return out;
        }

        /** Whether this call made t's memory (a layer's output, its own temporary), and has not given it back. */
        public boolean made(Tensor t) {
            return made.contains(t.buffer());
        }

        /** The call returns {@code output}: activations in the graph go back when their op is released. */
        public Tensor output(Tensor output) {
            for (Tensor t : graphOwned) {
                if (t.buffer() != output.buffer()) t.gradFn().releaseWithNode(t.buffer());
            }
            return output;
        }

        @Override
        public void close() {
            stopListening(outer);
            // inside an outer Sequential (or backward): what this call made and kept, the output
            // included, counts as made by the outer call's layer
            if (outer != null) outer.addAll(made);
        }
    }
}
