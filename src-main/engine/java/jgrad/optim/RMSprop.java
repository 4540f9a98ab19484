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
 * Written with tensor ops (several passes; no fused backend primitive).
 *
 * <p>Checked by: {@code jgrad.optim.OptimizersTest} (ten steps against PyTorch).
 */
public class RMSprop extends Optimizer {
    private final float alpha, eps, weightDecay, momentum;
    private final boolean centered;
    private final Map<Parameter, Tensor[]> state = new IdentityHashMap<>();  // {v, ḡ, b}

    /** PyTorch's defaults: α 0.99, eps 1e-8, no weight decay, no momentum, not centered. */
    public RMSprop(List<Parameter> params, float lr) {
        this(params, lr, 0.99f, 1e-8f, 0f, 0f, false);
    }

    public RMSprop(List<Parameter> params, float lr, float alpha, float eps, float weightDecay, float momentum, boolean centered) {
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
            float lr = group.lr(), weightDecay = group.weightDecay(this.weightDecay);
            Tensor[] s = state.computeIfAbsent(theta, p -> new Tensor[] {Tensor.zeros(p.device(), p.shape()),
                    centered ? Tensor.zeros(p.device(), p.shape()) : null, momentum > 0 ? Tensor.zeros(p.device(), p.shape()) : null});
            Tensor g = weightDecay == 0 ? grad : grad.add(theta.mul(weightDecay));
            Tensor v = s[0].copyFrom(s[0].mul(alpha).add(g.square().mul(1 - alpha)));
            Tensor d;
            if (centered) {
                Tensor gAvg = s[1].copyFrom(s[1].mul(alpha).add(g.mul(1 - alpha)));
                d = v.sub(gAvg.square()).sqrt().add(eps);
            } else {
                d = v.sqrt().add(eps);
            }
            if (momentum > 0) {
                Tensor b = s[2].copyFrom(s[2].mul(momentum).add(g.div(d)));
                theta.addInPlace(b, -lr);
            } else {
                theta.addInPlace(g.div(d), -lr);
            }
        });
    }

    @Override
    protected void saveState(Parameter p, Map<String, Tensor> out) {
        Tensor[] s = state.get(p);
        if (s == null) return;
        out.put("square_avg", s[0]);
        if (s[1] != null) out.put("grad_avg", s[1]);
        if (s[2] != null) out.put("momentum_buffer", s[2]);
    }

    @Override
    protected void loadState(Parameter p, Map<String, Tensor> in) {
        if (in.isEmpty()) {
            state.remove(p);
            return;
        }
        java.util.function.Function<String, Tensor> copy = k -> in.containsKey(k) ? jgrad.tensor.Kernels.copy(in.get(k)) : null;
        state.put(p, new Tensor[] {copy.apply("square_avg"), copy.apply("grad_avg"), copy.apply("momentum_buffer")});
    }
}
