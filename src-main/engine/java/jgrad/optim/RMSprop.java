package jgrad.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jgrad.nn.Parameter;
import jgrad.tensor.Tensor;

/**
 * RMSprop, as {@code torch.optim.RMSprop}: divide each weight's step by the root of a running mean
 * of its squared gradients (a forgetting Adagrad).
 *
 * <pre>
 * for each parameter θ with gradient g:
 *     g ← g + λ·θ                               (weight decay λ)
 *     v ← α·v + (1 − α)·g²                      (smoothing α)
 *     centered: ḡ ← α·ḡ + (1 − α)·g, d = √(v − ḡ²) + ε     (the variance, not the raw second moment)
 *     else:     d = √v + ε
 *     momentum μ &gt; 0: b ← μ·b + g / d, θ ← θ − η·b
 *     else:           θ ← θ − η·g / d
 * </pre>
 * {@link #update} is this rule in tensor ops, its definition, and {@link #step} runs it as is
 * (several passes over memory; there is no fused backend primitive for RMSprop).
 *
 * <p>Checked by: {@code jgrad.optim.OptimizersTest} (ten steps against PyTorch).
 */
public class RMSprop extends Optimizer {
    private final float alpha, eps, weightDecay, momentum;
    private final boolean centered;
    private final Map<Parameter, State> state = new IdentityHashMap<>();

    /** v (square_avg), ḡ (grad_avg, centered only) and b (momentum_buffer, momentum only). */
    private record State(Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer) {}

    /** PyTorch's defaults: α 0.99, eps 1e-8, no weight decay, no momentum, not centered. */
    public RMSprop(List<Parameter> params, double lr) {
        this(params, lr, 0.99f, 1e-8f, 0f, 0f, false);
    }

    public RMSprop(List<Parameter> params, double lr, float alpha, float eps, float weightDecay, float momentum, boolean centered) {
        super(params, lr);
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("RMSprop: alpha must be in [0, 1], got " + alpha);
        if (!(eps >= 0) || !(weightDecay >= 0) || !(momentum >= 0)) {
            throw new IllegalArgumentException("RMSprop: eps, weight decay and momentum must be ≥ 0, got " + eps + ", "
                    + weightDecay + ", " + momentum);
        }
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.centered = centered;
    }

    @Override
    public void step() {
        forEachGradient((group, theta, grad) -> {
            State s = state.computeIfAbsent(theta, p -> new State(Tensor.zeros(p.device(), p.shape()),
                    centered ? Tensor.zeros(p.device(), p.shape()) : null, momentum > 0 ? Tensor.zeros(p.device(), p.shape()) : null));
            update(theta, grad, s.squareAvg, s.gradAvg, s.momentumBuffer, (float) group.lr(), alpha, eps, group.weightDecay(weightDecay), momentum);
        });
    }

    /**
     * One step of the rule above for one parameter, in tensor ops: its definition. θ, v and, when
     * given, ḡ (centered; null otherwise) and b (μ &gt; 0; null otherwise) are updated in place; g is
     * read only. Call it inside {@link jgrad.autograd.NoGrad} for a parameter.
     */
    public static void update(Tensor theta, Tensor g, Tensor v, Tensor gAvg, Tensor b, float lr, float alpha, float eps,
                              float weightDecay, float momentum) {
        if (weightDecay != 0) g = g.add(theta.mul(weightDecay));
        v.copyFrom(v.mul(alpha).add(g.square().mul(1 - alpha)));
        Tensor d;
        if (gAvg != null) {
            gAvg.copyFrom(gAvg.mul(alpha).add(g.mul(1 - alpha)));
            d = v.sub(gAvg.square()).sqrt().add(eps);
        } else {
            d = v.sqrt().add(eps);
        }
        if (momentum > 0) {
            b.copyFrom(b.mul(momentum).add(g.div(d)));
            theta.addInPlace(b, -lr);
        } else {
            theta.addInPlace(g.div(d), -lr);
        }
    }

    @Override
    protected void saveState(Parameter p, Map<String, Tensor> out) {
        State s = state.get(p);
        if (s == null) return;
        out.put("square_avg", s.squareAvg);
        if (s.gradAvg != null) out.put("grad_avg", s.gradAvg);
        if (s.momentumBuffer != null) out.put("momentum_buffer", s.momentumBuffer);
    }

    @Override
    protected void loadState(Parameter p, Map<String, Tensor> in) {
        if (in.isEmpty()) {
            state.remove(p);
            return;
        }
        java.util.function.Function<String, Tensor> copy = k -> in.containsKey(k) ? jgrad.tensor.Kernels.copy(in.get(k)) : null;
        state.put(p, new State(copy.apply("square_avg"), copy.apply("grad_avg"), copy.apply("momentum_buffer")));
    }
}
