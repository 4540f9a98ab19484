package jgrad.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jgrad.nn.Parameter;
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
 *     θ ← θ − η · m̂ / (√v̂ + ε)
 * </pre>
 * The update is one fused backend pass per parameter ({@link jgrad.backend.Backend#adamStep}).
 *
 * <p>Checked by: {@code jgrad.optim.AdamTest} (PyTorch reference values) and the backend contract.
 */
public class Adam extends Optimizer {
    private final float beta1, beta2, eps, weightDecay;
    private final Map<Parameter, State> state = new IdentityHashMap<>();

    private static final class State {
        final Tensor m, v;
        int step;

        State(Parameter p) {
            m = Tensor.zeros(p.device(), p.shape());
            v = Tensor.zeros(p.device(), p.shape());
        }
    }

    /** PyTorch's defaults: lr 0.001, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(List<Parameter> params, float lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f, 0f);
    }

    public Adam(List<Parameter> params, float lr, float beta1, float beta2, float eps, float weightDecay) {
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
    }

    @Override
    public void step() {
        forEachGradient((theta, grad) -> {
            State s = state.computeIfAbsent(theta, State::new);
            s.step++;
            float c1 = (float) (1 - Math.pow(beta1, s.step)), c2 = (float) (1 - Math.pow(beta2, s.step));
            theta.device().backend().adamStep(theta.buffer(), theta.layout().offset(), grad.buffer(),
                    grad.layout().offset(), s.m.buffer(), s.v.buffer(), theta.numel(), lr, beta1, beta2, eps,
                    weightDecay, c1, c2);
        });
    }
}
