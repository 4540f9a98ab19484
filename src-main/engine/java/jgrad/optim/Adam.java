package jgrad.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jgrad.backend.BinaryOp;
import jgrad.nn.Parameter;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Adam, as {@code torch.optim.Adam}: each parameter moves by a running mean of its gradients
 * divided by the square root of a running mean of their squares, so every weight gets its own step
 * size, large where gradients are small and steady, small where they are large or noisy.
 *
 * <pre>
 * for each parameter θ with gradient g, at its step t = 1, 2, …:
 *     g ← g + λ·θ                               (weight decay λ, added to the gradient as PyTorch's Adam does)
 *     m ← β₁·m + (1 − β₁)·g                      (first moment: the mean gradient)
 *     v ← β₂·v + (1 − β₂)·g²                     (second moment: the mean squared gradient)
 *     m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)      (m and v start at 0: undo that bias)
 *     with amsgrad: v_max ← max(v_max, v), and v̂ = v_max / (1 − β₂ᵗ)   (the step size never grows back)
 *     θ ← θ − η · m̂ / (√v̂ + ε)
 * </pre>
 * {@link #update} is this rule in tensor ops: its definition. {@link #step} runs it as is with
 * amsgrad, and without as one fused backend pass per parameter ({@link jgrad.backend.Backend#adamStep}),
 * which the backend contract checks against {@link #update} on every backend. {@link AdamW} is the
 * same with the weight decay taken out of the gradient.
 *
 * <p>Checked by: {@code jgrad.optim.AdamTest}, {@code OptimizersTest} (against PyTorch) and
 * {@code jgrad.backend.FusedContractTest#adamStepEqualsItsDefinition} (fused = defined, at step 1
 * and later).
 */
public class Adam extends Optimizer {
    private final float beta1, beta2, eps, weightDecay;
    private final boolean amsgrad, decoupled;
    private final Map<Parameter, State> state = new IdentityHashMap<>();

    private static final class State {
        final Tensor m, v;
        Tensor vMax;  // amsgrad only
        int step;

        State(Parameter p) {
            m = Tensor.zeros(p.device(), p.shape());
            v = Tensor.zeros(p.device(), p.shape());
        }
    }

    /** PyTorch's defaults: lr 0.001, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(List<Parameter> params, double lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f, 0f);
    }

    public Adam(List<Parameter> params, double lr, float beta1, float beta2, float eps, float weightDecay) {
        this(params, lr, beta1, beta2, eps, weightDecay, false, false);
    }

    public Adam(List<Parameter> params, double lr, float beta1, float beta2, float eps, float weightDecay, boolean amsgrad) {
        this(params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    /** @param decoupled AdamW's weight decay: θ ← θ·(1 − η·λ) before the update, λ not added to g */
    Adam(List<Parameter> params, double lr, float beta1, float beta2, float eps, float weightDecay, boolean amsgrad, boolean decoupled) {
        super(params, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
        }
        if (!(eps >= 0)) throw new IllegalArgumentException("Adam: eps must be ≥ 0, got " + eps);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("Adam: weight decay must be ≥ 0, got " + weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
        this.decoupled = decoupled;
    }

    @Override
    public void step() {
        forEachGradient((group, theta, grad) -> {
            float lr = (float) group.lr(), weightDecay = group.weightDecay(this.weightDecay);
            State s = state.computeIfAbsent(theta, State::new);
            s.step++;
            if (decoupled && weightDecay != 0) theta.mulInPlace(1 - lr * weightDecay);
            float l2 = decoupled ? 0f : weightDecay;
            if (amsgrad) {
                if (s.vMax == null) s.vMax = Tensor.zeros(theta.device(), theta.shape());
                update(theta, grad, s.m, s.v, s.vMax, s.step, lr, beta1, beta2, eps, l2);
                return;
            }
            // update(theta, grad, m, v, null, t, …) as one pass over θ, g, m and v
            theta.device().backend().adamStep(theta.buffer(), theta.layout().offset(), grad.buffer(), grad.layout().offset(),
                    s.m.buffer(), s.v.buffer(), theta.numel(), lr, beta1, beta2, eps, l2,
                    biasCorrection(beta1, s.step), biasCorrection(beta2, s.step));
        });
    }

    /**
     * One step t = 1, 2, … of the rule above for one parameter, in tensor ops: the definition that
     * the fused {@link jgrad.backend.Backend#adamStep} must equal. θ, m, v and (with amsgrad) vMax
     * are updated in place; vMax is null without amsgrad, else the largest v so far (zeros before the
     * first step); g is read only. Functional form, like PyTorch's {@code torch.optim.adam.adam};
     * call it inside {@link jgrad.autograd.NoGrad} for a parameter.
     */
    public static void update(Tensor theta, Tensor g, Tensor m, Tensor v, Tensor vMax, int t,
                              float lr, float beta1, float beta2, float eps, float weightDecay) {
        float c1 = biasCorrection(beta1, t), c2 = biasCorrection(beta2, t);
        if (weightDecay != 0) g = g.add(theta.mul(weightDecay));
        m.copyFrom(m.mul(beta1).add(g.mul(1 - beta1)));
        v.copyFrom(v.mul(beta2).add(g.square().mul(1 - beta2)));
        Tensor vUsed = vMax == null ? v : vMax.copyFrom(Kernels.zip(BinaryOp.MAX, vMax, v));
        // m̂ / (√v̂ + ε) = (m / c₁) / (√v / √c₂ + ε): the corrections applied to the step, not to m and v
        Tensor denom = vUsed.sqrt().div((float) Math.sqrt(c2)).add(eps);
        theta.addInPlace(m.div(denom), -lr / c1);
    }

    /** 1 − βᵗ: how far a running mean that started at 0 still falls short after t steps (m̂ = m / (1 − β₁ᵗ)). */
    static float biasCorrection(float beta, int t) {
        return (float) (1 - Math.pow(beta, t));
    }

    @Override
    protected void saveState(Parameter p, Map<String, Tensor> out) {
        State s = state.get(p);
        if (s == null) return;
        out.put("step", Tensor.of(new float[] {s.step}, 1));
        out.put("exp_avg", s.m);
        out.put("exp_avg_sq", s.v);
        if (s.vMax != null) out.put("max_exp_avg_sq", s.vMax);
    }

    @Override
    protected void loadState(Parameter p, Map<String, Tensor> in) {
        if (in.isEmpty()) {
            state.remove(p);
            return;
        }
        State s = new State(p);
        s.step = (int) in.get("step").item();
        s.m.copyFrom(in.get("exp_avg"));
        s.v.copyFrom(in.get("exp_avg_sq"));
        if (in.containsKey("max_exp_avg_sq")) s.vMax = Kernels.copy(in.get("max_exp_avg_sq"));
        state.put(p, s);
    }
}
