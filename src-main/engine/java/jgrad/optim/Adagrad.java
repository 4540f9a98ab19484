package jgrad.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import jgrad.nn.Parameter;
import jgrad.tensor.Tensor;

/**
 * Adagrad, as {@code torch.optim.Adagrad}: each weight's step is divided by the root of the sum of
 * all its squared gradients so far, so often-updated weights slow down and rare ones keep moving.
 *
 * <pre>
 * for each parameter θ with gradient g, at its step t = 1, 2, …:
 *     g ← g + λ·θ                          (weight decay λ)
 *     η_t = η / (1 + (t − 1)·decay)        (lr decay)
 *     s ← s + g²                           (s starts at the initial accumulator value)
 *     θ ← θ − η_t · g / (√s + ε)
 * </pre>
 * {@link #update} is this rule in tensor ops, its definition, and {@link #step} runs it as is
 * (several passes over memory; there is no fused backend primitive for Adagrad).
 *
 * <p>Checked by: {@code jgrad.optim.OptimizersTest} (ten steps against PyTorch).
 */
public class Adagrad extends Optimizer {
    private final float lrDecay, weightDecay, initialAccumulator, eps;
    private final Map<Parameter, Tensor> sum = new IdentityHashMap<>();
    private final Map<Parameter, Integer> steps = new IdentityHashMap<>();

    /** PyTorch's defaults: no lr decay, no weight decay, accumulator from 0, eps 1e-10. */
    public Adagrad(List<Parameter> params, double lr) {
        this(params, lr, 0f, 0f, 0f, 1e-10f);
    }

    public Adagrad(List<Parameter> params, double lr, float lrDecay, float weightDecay, float initialAccumulator, float eps) {
        super(params, lr);
        if (!(lrDecay >= 0) || !(weightDecay >= 0) || !(initialAccumulator >= 0) || !(eps >= 0)) {
            throw new IllegalArgumentException("Adagrad: lr decay, weight decay, initial accumulator and eps must be ≥ 0, got "
                    + lrDecay + ", " + weightDecay + ", " + initialAccumulator + ", " + eps);
        }
        this.lrDecay = lrDecay;
        this.weightDecay = weightDecay;
        this.initialAccumulator = initialAccumulator;
        this.eps = eps;
    }

    @Override
    public void step() {
        forEachGradient((group, theta, grad) -> {
            Tensor s = sum.computeIfAbsent(theta, p -> Tensor.full(p.device(), initialAccumulator, p.shape()));
            int t = steps.merge(theta, 1, Integer::sum);
            update(theta, grad, s, t, (float) group.lr(), lrDecay, group.weightDecay(weightDecay), eps);
        });
    }

    /**
     * Step t = 1, 2, … of the rule above for one parameter, in tensor ops: its definition. θ and the
     * sum of squares s are updated in place; g is read only. Call it inside
     * {@link jgrad.autograd.NoGrad} for a parameter.
     */
    public static void update(Tensor theta, Tensor g, Tensor s, int t, float lr, float lrDecay, float weightDecay, float eps) {
        if (weightDecay != 0) g = g.add(theta.mul(weightDecay));
        float clr = lr / (1 + (t - 1) * lrDecay);
        s.addInPlace(g.square(), 1f);
        theta.addInPlace(g.div(s.sqrt().add(eps)), -clr);
    }

    @Override
    protected void saveState(Parameter p, Map<String, Tensor> out) {
        if (!sum.containsKey(p)) return;
        out.put("step", Tensor.of(new float[] {steps.get(p)}, 1));
        out.put("sum", sum.get(p));
    }

    @Override
    protected void loadState(Parameter p, Map<String, Tensor> in) {
        if (in.isEmpty()) {
            sum.remove(p);
            steps.remove(p);
            return;
        }
        steps.put(p, (int) in.get("step").item());
        sum.put(p, jgrad.tensor.Kernels.copy(in.get("sum")));
    }
}
