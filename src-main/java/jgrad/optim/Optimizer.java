package jgrad.optim;

import java.util.List;
import jgrad.autograd.NoGrad;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;
import jgrad.nn.Parameter;

/**
 * Base of optimizers, like {@code torch.optim.Optimizer}: holds the parameters, a learning rate that
 * schedules may change, and {@link #zeroGrad()}. Parameters with {@code requiresGrad == false}
 * (frozen) or without a gradient are skipped by {@link #step()}.
 */
public abstract class Optimizer {
    protected final List<Parameter> params;
    protected float lr;
    private Float initialLr;  // set by the first LRScheduler

    protected Optimizer(List<Parameter> params, float lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("learning rate must be ≥ 0, got " + lr);
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** One update from the current gradients. */
    public abstract void step();

    /**
     * Calls {@code update} for each trainable parameter that has a gradient, with that gradient as
     * a contiguous tensor (what the backends' fused update primitives take), inside {@link NoGrad}:
     * an update is not part of any graph.
     */
    protected void forEachGradient(java.util.function.BiConsumer<Parameter, Tensor> update) {
        try (NoGrad scope = NoGrad.enter()) {
            for (Parameter theta : params) {
                Tensor g = theta.grad();
                if (!theta.requiresGrad() || g == null) continue;
                update.accept(theta, Kernels.contiguous(g));
            }
        }
    }

    /** Forgets every parameter's gradient (set to null, like PyTorch's default). */
    public void zeroGrad() {
        for (Parameter p : params) p.setGrad(null);
    }

    public float lr() {
        return lr;
    }

    /**
     * The learning rate the first scheduler found (PyTorch's {@code initial_lr}): every scheduler
     * of this optimizer scales this one, so chained schedulers agree on their base.
     */
    public float initialLr() {
        if (initialLr == null) initialLr = lr;
        return initialLr;
    }

    public void setLr(float lr) {
        this.lr = lr;
    }
}
