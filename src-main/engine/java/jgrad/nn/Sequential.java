package jgrad.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import jgrad.autograd.NoGrad;
import jgrad.backend.Buffer;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/** Modules applied one after another: a⁽ˡ⁾ = layerₗ(a⁽ˡ⁻¹⁾). Children are named 0, 1, 2, … */
public class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module m : layers) add(m);
    }

    public Sequential add(Module m) {
        registerModule(Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    public Module get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    /**
     * The activations passed from layer to layer are this call's own, so their memory is given
     * back to the backend ({@code Backend.recycle}) as soon as nothing can read them, and the next
     * batch's outputs reuse it instead of allocating:
     * <ul>
     *   <li>under {@link NoGrad} (inference), once the next layer has returned;</li>
     *   <li>with a graph, when backward releases the op that made it (by then every op that read it
     *       has run its backward).</li>
     * </ul>
     * Only outputs that the layers made during this call are given back: never the caller's input,
     * the returned output or a view of it, or a tensor a layer returns without having made it. A
     * layer must therefore not keep its input or output after forward returns (none of jgrad's do).
     */
    @Override
    public Tensor forward(Tensor x) {
        jgrad.autograd.Profiler profiler = jgrad.autograd.Profiler.active();
        boolean noGrad = !NoGrad.isGradEnabled();
        Set<Buffer> made = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Buffer> outer = Kernels.noteAllocations(made);
        List<Tensor> graphOwned = new ArrayList<>();
        try {
            for (int i = 0; i < layers.size(); i++) {
                Module m = layers.get(i);
                Tensor in = x;
                x = profiler == null ? m.forward(in)
                        : profiler.forward(i + ": " + m.getClass().getSimpleName(), in.device(), () -> m.forward(in));
                if (!made.contains(in.buffer())) continue;
                if (noGrad && in.buffer() != x.buffer()) {
                    made.remove(in.buffer());
                    in.device().backend().recycle(in.buffer());
                } else if (!noGrad && in.gradFn() != null) {
                    made.remove(in.buffer());
                    graphOwned.add(in);
                }
            }
            for (Tensor t : graphOwned) {
                if (t.buffer() != x.buffer()) t.gradFn().giveBackOutputOnRelease(t.buffer());
            }
            return x;
        } finally {
            Kernels.stopNoting(outer);
            // inside an outer Sequential (or backward): what this call made and kept, the output
            // included, counts as made by the outer call's layer
            if (outer != null) outer.addAll(made);
        }
    }
}
