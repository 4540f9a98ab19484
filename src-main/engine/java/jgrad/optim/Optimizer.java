package jgrad.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import jgrad.autograd.MemoryPolicy;
import jgrad.autograd.NoGrad;
import jgrad.nn.Parameter;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Base of optimizers, like {@code torch.optim.Optimizer}: holds the parameters in groups (each with
 * its own learning rate, which schedules may change), and {@link #zeroGrad()}. Parameters with
 * {@code requiresGrad == false} (frozen) or without a gradient are skipped by {@link #step()}.
 */
public abstract class Optimizer {
    protected final List<ParamGroup> groups = new ArrayList<>();

    protected Optimizer(List<Parameter> params, double lr) {
        groups.add(new ParamGroup(params, lr, null));
        checkDisjoint();
    }

    /**
     * Adds parameters with their own learning rate (and the optimizer's weight decay), as PyTorch's
     * {@code add_param_group}; e.g. a pretrained backbone at a tenth of the head's rate.
     */
    public ParamGroup addParamGroup(List<Parameter> params, double lr) {
        return add(new ParamGroup(params, lr, null));
    }

    /** Adds parameters with their own learning rate and weight decay. */
    public ParamGroup addParamGroup(List<Parameter> params, double lr, float weightDecay) {
        return add(new ParamGroup(params, lr, weightDecay));
    }

    private ParamGroup add(ParamGroup g) {
        groups.add(g);
        try {
            checkDisjoint();
        } catch (IllegalArgumentException e) {
            groups.remove(groups.size() - 1);
            throw e;
        }
        return g;
    }

    private void checkDisjoint() {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < groups.size(); i++) {
            for (Parameter p : groups.get(i).params()) {
                if (!seen.add(p)) {
                    throw new IllegalArgumentException("a parameter of shape " + java.util.Arrays.toString(p.shape())
                            + " appears twice in the optimizer's parameter groups (group " + i + ")");
                }
            }
        }
    }

    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** One update from the current gradients. */
    public abstract void step();

    /**
     * What a subclass does to one parameter: its group, the parameter, its gradient (contiguous).
     * The gradient is lent for the call only: {@code zeroGrad} may give its memory back for reuse,
     * so an optimizer that needs it later (the previous step's gradient) keeps a copy.
     */
    @FunctionalInterface
    protected interface Update {
        void apply(ParamGroup group, Parameter theta, Tensor grad);
    }

    /**
     * Calls {@code update} for each trainable parameter that has a gradient, with that gradient as
     * a contiguous tensor (what the backends' fused update primitives take), inside {@link NoGrad}:
     * an update is not part of any graph. The reads are in a {@link MemoryPolicy#readsForUpdate}
     * scope: an update keeps nothing, so the gradients stay reusable.
     */
    protected void forEachGradient(Update update) {
        try (NoGrad scope = NoGrad.enter(); MemoryPolicy.ReadsForUpdate reads = MemoryPolicy.readsForUpdate()) {
            for (ParamGroup group : groups) {
                for (Parameter theta : group.params()) {
                    Tensor g = theta.grad();
                    if (!theta.requiresGrad() || g == null) continue;
                    update.apply(group, theta, Kernels.contiguous(g));
                    theta.markChangedInPlace();  // a graph that saved θ can no longer be backwarded
                }
            }
        }
    }

    /**
     * Forgets every parameter's gradient (set to null, like PyTorch's default). A gradient nobody
     * took out with {@code grad()} goes back to the backend for the next backward to reuse
     * (the {@link MemoryPolicy} decides).
     */
    public void zeroGrad() {
        for (ParamGroup group : groups) for (Parameter p : group.params()) p.setGrad(null);
    }

    // ---- state: what a checkpoint needs to continue exactly ---------------------------------

    /**
     * The optimizer's state by name, for checkpoints: each group's rates ({@code group.G.lr},
     * {@code group.G.initial_lr}, one-element tensors) and each parameter's buffers
     * ({@code param.G.I.<name>}: momentum, moments, step counts), G the group and I the position
     * in it. Copies: later steps do not change them.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            out.put("group." + gi + ".lr", asFloats(g.lr()));
            out.put("group." + gi + ".initial_lr", asFloats(g.initialLr()));
            List<Parameter> ps = g.params();
            for (int pi = 0; pi < ps.size(); pi++) {
                Map<String, Tensor> mine = new LinkedHashMap<>();
                saveState(ps.get(pi), mine);
                String prefix = "param." + gi + "." + pi + ".";
                mine.forEach((k, t) -> out.put(prefix + k, Kernels.copy(t)));
            }
        }
        return out;
    }

    /** Restores what {@link #stateDict} saved, into an optimizer made with the same parameter groups. */
    public void loadStateDict(Map<String, Tensor> state) {
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            Tensor lr = state.get("group." + gi + ".lr");
            if (lr == null) {
                throw new IllegalArgumentException("optimizer state has no group " + gi + " (it was saved from an optimizer with "
                        + countGroups(state) + " parameter groups, this one has " + groups.size() + ")");
            }
            g.setLr(fromFloats(lr));
            g.restoreInitialLr(fromFloats(state.get("group." + gi + ".initial_lr")));
            List<Parameter> ps = g.params();
            for (int pi = 0; pi < ps.size(); pi++) {
                String prefix = "param." + gi + "." + pi + ".";
                Map<String, Tensor> mine = new LinkedHashMap<>();
                Parameter p = ps.get(pi);
                state.forEach((k, t) -> { if (k.startsWith(prefix)) mine.put(k.substring(prefix.length()), t.to(p.device())); });
                loadState(p, mine);
            }
        }
        if (countGroups(state) != groups.size()) {
            throw new IllegalArgumentException("optimizer state has " + countGroups(state) + " parameter groups, this optimizer " + groups.size());
        }
    }

    /**
     * A double rate in a float32 tensor, exactly: {hi, mid, lo} with hi = (float) v,
     * mid = (float) (v − hi), lo = (float) (v − hi − mid) (each difference is exact in double, and 3 × 24
     * mantissa bits cover a double's 53), so hi + mid + lo = v; the first element alone is still the
     * float rate older files held.
     */
    private static Tensor asFloats(double v) {
        float hi = (float) v;
        double rest = v - hi;
        float mid = (float) rest;
        return Tensor.of(new float[] {hi, mid, (float) (rest - mid)}, 3);
    }

    /** Reads {@link #asFloats} back; a one-element tensor (files from before) is the float rate. */
    private static double fromFloats(Tensor t) {
        float[] v = t.toFloatArray();
        double sum = 0;
        for (float f : v) sum += f;
        return sum;
    }

    private static long countGroups(Map<String, Tensor> state) {
        return state.keySet().stream().filter(k -> k.startsWith("group.") && k.endsWith(".lr") && !k.endsWith("initial_lr")).count();
    }

    /** A subclass puts parameter {@code p}'s buffers into {@code out} (none yet: nothing). */
    protected abstract void saveState(Parameter p, Map<String, Tensor> out);

    /** A subclass takes back what {@link #saveState} wrote (an empty map: the parameter had no state yet). */
    protected abstract void loadState(Parameter p, Map<String, Tensor> in);

    /** The learning rate of the first group. */
    public double lr() {
        return groups.get(0).lr();
    }

    /** Sets every group's learning rate. */
    public void setLr(double lr) {
        for (ParamGroup g : groups) g.setLr(lr);
    }
}
