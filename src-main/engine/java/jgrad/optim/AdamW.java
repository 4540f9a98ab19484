package jgrad.optim;

import java.util.List;
import jgrad.nn.Parameter;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW}: the decay shrinks the weights
 * directly instead of being added to the gradient, so Adam's per-weight scaling does not weaken it.
 *
 * <pre>
 * θ ← θ·(1 − η·λ)          then the Adam update of {@link Adam} with no weight decay in g
 * </pre>
 *
 * <p>Checked by: {@code jgrad.optim.OptimizersTest} (ten steps against PyTorch).
 */
public class AdamW extends Adam {

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public AdamW(List<Parameter> params, double lr) {
        this(params, lr, 0.9f, 0.999f, 1e-8f, 0.01f, false);
    }

    public AdamW(List<Parameter> params, double lr, float beta1, float beta2, float eps, float weightDecay, boolean amsgrad) {
        super(params, lr, beta1, beta2, eps, weightDecay, amsgrad, true);
    }
}
