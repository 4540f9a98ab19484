package jgrad.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jgrad.autograd.NoGrad;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Base class of layers and models, like {@code torch.nn.Module}: it owns named
 * {@link Parameter}s and named child modules, switches between training and evaluation, and saves
 * or loads its parameters as a state dict. Subclasses register what they own in their constructor
 * and implement {@link #forward}.
 */
public abstract class Module {
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final List<jgrad.tensor.Generator> generators = new ArrayList<>();
    private boolean training = true;

    /** The module's computation. */
    public abstract Tensor forward(Tensor input);

    /** Parameters, buffers and children share one namespace (their dotted paths meet in the state dict). */
    private void checkNewName(String name) {
        if (parameters.containsKey(name) || children.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    protected final <P extends Parameter> P registerParameter(String name, P p) {
        checkNewName(name);
        parameters.put(name, p);
        return p;
    }

    /**
     * A tensor that is part of the module's state but not learned (batch norm's running mean and
     * variance): saved in the state dict, never given to an optimizer.
     */
    protected final Tensor registerBuffer(String name, Tensor t) {
        checkNewName(name);
        buffers.put(name, t);
        return t;
    }

    /**
     * A random generator the module draws from while training (dropout's masks): registered so that
     * a training loop can reseed every generator of a model per epoch ({@link #generators}) and a
     * resumed run draws the same numbers as an uninterrupted one.
     */
    protected final jgrad.tensor.Generator registerGenerator(jgrad.tensor.Generator g) {
        generators.add(java.util.Objects.requireNonNull(g));
        return g;
    }

    /** The generators of this module and its descendants, in module order (this module's first). */
    public List<jgrad.tensor.Generator> generators() {
        List<jgrad.tensor.Generator> out = new ArrayList<>(generators);
        for (Module child : children.values()) out.addAll(child.generators());
        return out;
    }

    /** Buffers by dotted path, e.g. {@code "1.running_mean"}. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out) {
        buffers.forEach((name, b) -> out.put(prefix + name, b));
        children.forEach((name, m) -> m.collectBuffers(prefix + name + ".", out));
    }

    protected final <M extends Module> M registerModule(String name, M m) {
        checkNewName(name);
        children.put(name, m);
        return m;
    }

    /** All parameters of this module and its descendants, in registration order. */
    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by dotted path, e.g. {@code "0.weight"} for the first layer of a Sequential. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p));
        children.forEach((name, m) -> m.collect(prefix + name + ".", out));
    }

    public Map<String, Module> children() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /** Training mode (the default): layers such as dropout and batch norm behave as in training. */
    public Module train() {
        return setTraining(true);
    }

    /** Evaluation mode. */
    public Module eval() {
        return setTraining(false);
    }

    private Module setTraining(boolean on) {
        training = on;
        children.values().forEach(m -> m.setTraining(on));
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    /**
     * Forgets every parameter's gradient (sets it to null, as PyTorch's zero_grad(set_to_none=True));
     * one nobody took out with {@code grad()} goes back to the backend for reuse (the {@code MemoryPolicy} decides).
     */
    public void zeroGrad() {
        for (Parameter p : parameters()) p.setGrad(null);
    }

    /** Number of scalars in all parameters (only trainable ones when {@code trainableOnly}). */
    public long parameterCount(boolean trainableOnly) {
        long n = 0;
        for (Parameter p : parameters()) if (!trainableOnly || p.requiresGrad()) n += p.numel();
        return n;
    }

    // ---- state dict -----------------------------------------------------------------------

    /** Copies of every parameter's and buffer's values by dotted name. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        stateTensors().forEach((name, t) -> out.put(name, Kernels.copy(t)));
        return out;
    }

    /** Parameters, then buffers: what a state dict holds. */
    private Map<String, Tensor> stateTensors() {
        Map<String, Tensor> all = new LinkedHashMap<>(namedParameters());
        all.putAll(namedBuffers());
        return all;
    }

    /** Strict {@link #loadStateDict(Map, boolean)}: every name must match and every shape fit. */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    /**
     * Copies values into the parameters and buffers by dotted name (PyTorch's keys, e.g.
     * {@code layer2.0.downsample.1.running_var}), as {@code torch.nn.Module.load_state_dict}.
     * Strict: a name the module has and the state dict lacks (missing), or the other way round
     * (unexpected), is an error listing both. Not strict: the names that match are loaded and the others
     * are returned. Either way a matching name with another shape is an error naming the key and both
     * shapes, and nothing is copied unless everything checked out (no half-loaded model). A name a
     * layer declares optional ({@link #optionalInStateDict}, e.g. batch norm's
     * {@code num_batches_tracked}, absent from older files) may be missing even when strict.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> mine = stateTensors();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>();
        for (String k : mine.keySet()) if (!state.containsKey(k) && !optionalKeys().contains(k)) missing.add(k);
        for (String k : state.keySet()) if (!mine.containsKey(k)) unexpected.add(k);
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new IllegalArgumentException("state dict does not fit " + getClass().getSimpleName()
                    + ": missing " + missing + ", unexpected " + unexpected);
        }
        for (var e : mine.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null && !Arrays.equals(src.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("state dict entry '" + e.getKey() + "' has shape "
                        + Arrays.toString(src.shape()) + ", the module expects " + Arrays.toString(e.getValue().shape()));
            }
        }
        try (NoGrad scope = NoGrad.enter()) {
            for (var e : mine.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) e.getValue().copyFrom(src.to(e.getValue().device()));
            }
        }
        return new IncompatibleKeys(missing, unexpected);
    }

    /** Names of this module's own parameters or buffers that a state dict may lack (none by default). */
    protected java.util.Set<String> optionalInStateDict() {
        return java.util.Set.of();
    }

    private java.util.Set<String> optionalKeys() {
        java.util.Set<String> out = new java.util.HashSet<>();
        collectOptional("", out);
        return out;
    }

    private void collectOptional(String prefix, java.util.Set<String> out) {
        optionalInStateDict().forEach(name -> out.add(prefix + name));
        children.forEach((name, m) -> m.collectOptional(prefix + name + ".", out));
    }

    /** Writes the state dict to {@code file} atomically (a temporary file, then a rename). */
    public void save(Path file) throws IOException {
        jgrad.tensor.TensorFile.save(stateDict(), file);
    }

    /** Reads a file written by {@link #save} into this module's parameters. */
    public void load(Path file) throws IOException {
        loadStateDict(jgrad.tensor.TensorFile.load(file));
    }

    // ---- printing -------------------------------------------------------------------------

    /** The part inside the parentheses of this module's line, e.g. {@code in_features=784, ...}. */
    protected String extraRepr() {
        return "";
    }

    /** A printout like PyTorch's, with the parameter count at the end for the top-level module. */
    @Override
    public String toString() {
        return repr() + String.format(Locale.ROOT, "\nParameters: %,d (%,d trainable)", parameterCount(false), parameterCount(true));
    }

    private String repr() {
        String name = getClass().getSimpleName();
        if (children.isEmpty()) return name + "(" + extraRepr() + ")";
        StringBuilder sb = new StringBuilder(name).append("(");
        if (!extraRepr().isEmpty()) sb.append("\n  ").append(extraRepr());
        for (var e : children.entrySet()) {
            String child = e.getValue().repr().replace("\n", "\n  ");
            sb.append("\n  (").append(e.getKey()).append("): ").append(child);
        }
        return sb.append("\n)").toString();
    }
}
