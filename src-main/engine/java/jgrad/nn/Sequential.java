package jgrad.nn;

import java.util.ArrayList;
import java.util.List;
import jgrad.autograd.MemoryPolicy;
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
     * a⁽ˡ⁾ = layerₗ(a⁽ˡ⁻¹⁾) for l = 1 … L. The activations passed from layer to layer are this call's
     * own, and the {@link MemoryPolicy} gives their memory back as soon as nothing can read them (a
     * layer must therefore not keep its input or output after forward returns; none of jgrad's do).
     */
    @Override
    public Tensor forward(Tensor x) {
        try (MemoryPolicy.Activations activations = MemoryPolicy.activations()) {
            for (int l = 0; l < layers.size(); l++) {
                Module layer = layers.get(l);
                // batch norm after a layer of this call may write over that layer's output (BatchNorm.forwardInPlace)
                boolean overwrite = layer instanceof BatchNorm && activations.made(x);
                x = activations.run(l, layer, overwrite ? ((BatchNorm) layer)::forwardInPlace : layer::forward, x);  // x = layer(x)
            }
            return activations.output(x);
        }
    }
}
