package jgrad.nn;

import java.util.ArrayList;
import java.util.List;
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

    @Override
    public Tensor forward(Tensor x) {
        jgrad.autograd.Profiler profiler = jgrad.autograd.Profiler.active();
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (profiler == null) {
                x = m.forward(x);
            } else {
                Tensor in = x;
                x = profiler.forward(i + ": " + m.getClass().getSimpleName(), in.device(), () -> m.forward(in));
            }
        }
        return x;
    }
}
