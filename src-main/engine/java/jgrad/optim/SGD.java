package jgrad.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jgrad.nn.Parameter;
import jgrad.tensor.Tensor;

/**
 * Stochastic gradient descent: step downhill along the negative gradient of the mini-batch cost,
 * 3Blue1Brown's "−∇C", optionally with momentum and weight decay, as {@code torch.optim.SGD}.
 *
 * <pre>
 * for each parameter θ with gradient g:
 *     g ← g + λ·θ                        (weight decay λ)
 *     if μ ≠ 0:
 *         v ← g                on the first step
 *         v ← μ·v + (1 − τ)·g  afterwards  (momentum μ, dampening τ)
 *         g ← g + μ·v          with Nesterov momentum, else g ← v
 *     θ ← θ − η·g                        (learning rate η)
 * </pre>
 * {@link #update} is this rule in tensor ops: its definition. {@link #step} runs it as one fused
 * backend pass per parameter ({@link jgrad.backend.Backend#sgdStep}), which the backend contract
 * checks against {@link #update} on every backend.
 *
 * <p>Checked by: {@code jgrad.optim.SGDTest}, {@code OptimizersTest} (against PyTorch) and
 * {@code jgrad.backend.FusedContractTest#sgdStepEqualsItsDefinition} (fused = defined).
 */
public class SGD extends Optimizer {
    private final float momentum, dampening, weightDecay;
    private final boolean nesterov;
    private final Map<Parameter, Tensor> velocity = new IdentityHashMap<>();

    public SGD(List<Parameter> params, double lr) {
        this(params, lr, 0f, 0f);
    }

    public SGD(List<Parameter> params, double lr, float momentum, float weightDecay) {
        this(params, lr, momentum, 0f, weightDecay, false);
    }

    public SGD(List<Parameter> params, double lr, float momentum, float dampening, float weightDecay, boolean nesterov) {
        super(params, lr);
        if (momentum < 0) throw new IllegalArgumentException("momentum must be ≥ 0, got " + momentum);
        if (weightDecay < 0) throw new IllegalArgumentException("weight decay must be ≥ 0, got " + weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum needs a momentum > 0 and no dampening (as in PyTorch), got momentum "
                    + momentum + ", dampening " + dampening);
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    public void step() {
        forEachGradient((group, theta, grad) -> {
            Tensor v = velocity.get(theta);
            boolean first = v == null;
            if (first && momentum != 0) {
                v = Tensor.zeros(theta.device(), theta.shape());
                velocity.put(theta, v);
            }
            // update(theta, grad, v, …) as one pass over θ, g and v
            theta.device().backend().sgdStep(theta.buffer(), theta.layout().offset(), grad.buffer(),
                    grad.layout().offset(), v == null ? null : v.buffer(), theta.numel(),
                    (float) group.lr(), momentum, dampening, group.weightDecay(weightDecay), nesterov, first);
        });
    }

    /**
     * One step of the rule above for one parameter, in tensor ops: the definition that the fused
     * {@link jgrad.backend.Backend#sgdStep} must equal. θ and the velocity v are updated in place
     * (v is unused, and may be null, when μ = 0); g is read only. Functional form, like PyTorch's
     * {@code torch.optim.sgd.sgd}; call it inside {@link jgrad.autograd.NoGrad} for a parameter.
     */
    public static void update(Tensor theta, Tensor g, Tensor v, float lr, float momentum, float dampening,
                              float weightDecay, boolean nesterov, boolean firstStep) {
        if (weightDecay != 0) g = g.add(theta.mul(weightDecay));
        if (momentum != 0) {
            v.copyFrom(firstStep ? g : v.mul(momentum).add(g.mul(1 - dampening)));
            g = nesterov ? g.add(v.mul(momentum)) : v;
        }
        theta.addInPlace(g, -lr);
    }

    @Override
    protected void saveState(Parameter p, Map<String, Tensor> out) {
        Tensor v = velocity.get(p);
        if (v != null) out.put("momentum_buffer", v);
    }

    @Override
    protected void loadState(Parameter p, Map<String, Tensor> in) {
        Tensor v = in.get("momentum_buffer");
        if (v != null) velocity.put(p, jgrad.tensor.Kernels.copy(v));
        else velocity.remove(p);
    }
}
