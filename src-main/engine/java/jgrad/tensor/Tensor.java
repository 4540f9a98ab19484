package jgrad.tensor;

import java.util.Arrays;
import jgrad.autograd.Engine;
import jgrad.autograd.Function;
import jgrad.autograd.MemoryPolicy;
import jgrad.autograd.NoGrad;
import jgrad.backend.Buffer;
import jgrad.backend.Layout;
import jgrad.ops.CatSplit;
import jgrad.ops.Elementwise;
import jgrad.ops.Indexing;
import jgrad.ops.MatMul;
import jgrad.ops.Reductions;
import jgrad.ops.Views;
import jgrad.ops.Where;

/**
 * An n-dimensional array of float32 on a {@link Device}, optionally part of an autograd graph.
 *
 * <p>A tensor is a {@link Buffer} plus a {@link Layout} (shape, strides, offset): views such as
 * {@link #transpose} and {@link #expand} share the buffer and change only the layout. Arithmetic
 * reaches the device only through its {@link jgrad.backend.Backend}.
 *
 * <p>Autograd: a tensor made by a differentiable op from inputs that require gradients remembers
 * that op ({@link #gradFn()}); {@link #backward()} walks those ops in reverse and accumulates
 * ∂C/∂x into each leaf's {@link #grad()}. Inside a {@link NoGrad} scope nothing is recorded.
 *
 * <p>The methods here are one-line sugar over the ops in {@code jgrad.ops}, where each op keeps its
 * forward and backward side by side.
 */
public class Tensor {
    private final Device device;
    private final Buffer buffer;
    private final Layout layout;
    private java.util.function.Consumer<float[]> readCheck;  // see onRead
    private boolean requiresGrad;
    private Tensor grad;
    private Function gradFn;
    private final int[] version;  // in-place changes to this memory, shared with its views: see version()

    /** Wraps memory already on {@code device}; most code uses the factories or ops instead. */
    public Tensor(Device device, Buffer buffer, Layout layout) {
        this(device, buffer, layout, new int[1]);
    }

    private Tensor(Device device, Buffer buffer, Layout layout, int[] version) {
        this.device = device;
        this.buffer = buffer;
        this.layout = layout;
        this.version = version;
        if (layout.extent() > buffer.capacity()) {
            throw new IllegalArgumentException(layout + " reaches past a buffer of " + buffer.capacity());
        }
    }

    // ---- creation -------------------------------------------------------------------------

    /** A tensor holding a copy of {@code data}, shaped {@code shape} (row-major). */
    public static Tensor of(float[] data, int... shape) {
        return of(Device.getDefault(), data, shape);
    }

    public static Tensor of(Device device, float[] data, int... shape) {
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException("Tensor.of: shape " + Arrays.toString(shape) + " has a negative dimension");
        }
        if (Layout.sizeOf(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs "
                    + Layout.sizeOf(shape) + " values, got " + data.length);
        }
        return new Tensor(device, device.backend().upload(data), Layout.contiguous(shape));
    }

    /** A 0-dimensional tensor. */
    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    public static Tensor zeros(int... shape) {
        return zeros(Device.getDefault(), shape);
    }

    public static Tensor zeros(Device device, int... shape) {
        return new Tensor(device, Memory.allocate("Tensor.zeros", device, shape), Layout.contiguous(shape));
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        return full(Device.getDefault(), value, shape);
    }

    public static Tensor full(Device device, float value, int... shape) {
        Tensor t = zeros(device, shape);
        device.backend().fill(t.buffer, t.layout, value);
        return t;
    }

    /** 0, 1, …, n−1. */
    public static Tensor arange(int n) {
        return arange(Device.getDefault(), 0, n, 1);
    }

    /** start, start+step, … below end (above end for a negative step), like {@code torch.arange}. */
    public static Tensor arange(Device device, float start, float end, float step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must not be 0");
        int n = Math.max(0, (int) Math.ceil((end - start) / step));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = start + i * step;
        return of(device, v, n);
    }

    /** Uniform in [0, 1). */
    public static Tensor rand(Generator g, int... shape) {
        float[] v = new float[Memory.elements("Tensor.rand", shape)];
        for (int i = 0; i < v.length; i++) v[i] = g.nextFloat();
        return of(v, shape);
    }

    /** Standard normal. */
    public static Tensor randn(Generator g, int... shape) {
        float[] v = new float[Memory.elements("Tensor.randn", shape)];
        for (int i = 0; i < v.length; i++) v[i] = g.nextGaussian();
        return of(v, shape);
    }

    // ---- what it is -----------------------------------------------------------------------

    public Device device() {
        return device;
    }

    public Buffer buffer() {
        return buffer;
    }

    public Layout layout() {
        return layout;
    }

    public int[] shape() {
        return layout.shape().clone();
    }

    /** Size of dimension {@code d}; negative d counts from the end. */
    public int size(int d) {
        return layout.shape()[dimIndex(d)];
    }

    public int dim() {
        return layout.rank();
    }

    public int numel() {
        return layout.size();
    }

    public boolean isContiguous() {
        return layout.isContiguous();
    }

    /** Resolves a possibly negative dimension index, with an error naming the tensor's shape. */
    public int dimIndex(int d) {
        int r = dim();
        int resolved = d < 0 ? d + r : d;
        if (resolved < 0 || resolved >= r) {
            throw new IllegalArgumentException("dimension " + d + " is out of range for shape "
                    + Arrays.toString(layout.shape()));
        }
        return resolved;
    }

    /** The elements in row-major order, copied to the host. */
    public float[] toFloatArray() {
        float[] values = device.backend().read(buffer, layout);
        if (readCheck != null) readCheck.accept(values);
        return values;
    }

    /**
     * Runs {@code check} on this tensor's values whenever they are read to the host
     * ({@link #toFloatArray}, {@link #item}); the check may throw. For validations that an
     * asynchronous device defers to the moment a value comes back anyway (see
     * CrossEntropyLoss), as PyTorch's CUDA kernels report a bad class index at the next sync.
     * Returns this tensor.
     */
    public Tensor onRead(java.util.function.Consumer<float[]> check) {
        this.readCheck = check;
        return this;
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel() != 1) {
            throw new IllegalStateException("item() needs a tensor with one element, got shape "
                    + Arrays.toString(layout.shape()));
        }
        return toFloatArray()[0];
    }

    /** A copy on another device (this tensor itself if it is already there). */
    public Tensor to(Device target) {
        if (target == device) return this;
        return of(target, toFloatArray(), layout.shape());
    }

    @Override
    public String toString() {
        return TensorFormat.format(this);
    }

    // ---- autograd -------------------------------------------------------------------------

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as one whose gradient is wanted (true) or frozen (false). */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("requiresGrad(false) on a tensor computed by " + gradFn.name()
                    + ": only leaf tensors can be frozen; use detach() for a non-leaf");
        }
        this.requiresGrad = value;
        return this;
    }

    /**
     * ∂C/∂(this tensor) accumulated by backward, or null before any backward reached it. The
     * caller may keep it: it is never reused for other values (see {@link MemoryPolicy}).
     */
    public Tensor grad() {
        MemoryPolicy.handedOut(grad);
        return grad;
    }

    /** Sets the gradient; {@code setGrad(null)} drops it, as PyTorch's {@code zero_grad(set_to_none=True)}. */
    public void setGrad(Tensor g) {
        Tensor old = grad;
        grad = g;
        if (old != g) MemoryPolicy.dropped(old);
    }

    /** The op that made this tensor, or null for a leaf. */
    public Function gradFn() {
        return gradFn;
    }

    /** Used by {@link Function} when it records this tensor as its output. */
    public void setGradFn(Function fn) {
        this.gradFn = fn;
        this.requiresGrad = true;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Backpropagates from this scalar: every leaf it depends on gets ∂this/∂leaf added to its grad. */
    public void backward() {
        Engine.backward(this, null, false);
    }

    /** Backpropagates with an explicit upstream gradient (needed when this is not a scalar). */
    public void backward(Tensor gradient) {
        Engine.backward(this, gradient, false);
    }

    public void backward(Tensor gradient, boolean retainGraph) {
        Engine.backward(this, gradient, retainGraph);
    }

    /** The same values, cut from the graph: no gradFn, requiresGrad false, shared memory (and version counter). */
    public Tensor detach() {
        return aliasWith(layout);
    }

    /** A view: this memory read through another {@code layout}, sharing the version counter (not recorded). */
    public Tensor aliasWith(Layout layout) {
        return new Tensor(device, buffer, layout, version);
    }

    /**
     * In-place changes made to this memory through any view of it (PyTorch's {@code _version}); an op
     * that saved the tensor for backward refuses to run if it moved. Recycling by the
     * {@link MemoryPolicy} writes through ops, not the in-place methods, and does not count.
     */
    public int version() {
        return version[0];
    }

    /** Counts an in-place change made to this memory through the backend directly (a fused optimizer step). */
    public void markChangedInPlace() {
        version[0]++;
    }

    // ---- elementwise (broadcasting like PyTorch) ------------------------------------------

    public Tensor add(Tensor other) { return Elementwise.add(this, other); }
    public Tensor add(float s) { return Elementwise.addScalar(this, s); }
    public Tensor sub(Tensor other) { return Elementwise.sub(this, other); }
    public Tensor sub(float s) { return Elementwise.addScalar(this, -s); }
    public Tensor mul(Tensor other) { return Elementwise.mul(this, other); }
    public Tensor mul(float s) { return Elementwise.mulScalar(this, s); }
    public Tensor div(Tensor other) { return Elementwise.div(this, other); }
    public Tensor div(float s) { return Elementwise.mulScalar(this, 1f / s); }
    public Tensor neg() { return Elementwise.neg(this); }
    public Tensor pow(float exponent) { return Elementwise.pow(this, exponent); }
    public Tensor square() { return Elementwise.pow(this, 2f); }
    public Tensor sqrt() { return Elementwise.sqrt(this); }
    public Tensor exp() { return Elementwise.exp(this); }
    public Tensor log() { return Elementwise.log(this); }
    public Tensor sigmoid() { return Elementwise.sigmoid(this); }
    public Tensor tanh() { return Elementwise.tanh(this); }
    public Tensor relu() { return Elementwise.relu(this); }
    public Tensor abs() { return Elementwise.abs(this); }

    // ---- reductions -----------------------------------------------------------------------

    /** Sum of all elements (a scalar). */
    public Tensor sum() { return Reductions.sum(this, allDims(), false); }
    public Tensor sum(int dim, boolean keepDim) { return Reductions.sum(this, new int[] {dim}, keepDim); }
    public Tensor sum(int[] dims, boolean keepDim) { return Reductions.sum(this, dims, keepDim); }
    public Tensor mean() { return Reductions.mean(this, allDims(), false); }
    public Tensor mean(int dim, boolean keepDim) { return Reductions.mean(this, new int[] {dim}, keepDim); }
    public Tensor mean(int[] dims, boolean keepDim) { return Reductions.mean(this, dims, keepDim); }
    /** Largest value along {@code dim}; the gradient goes to the first maximum. */
    public Tensor max(int dim, boolean keepDim) { return Reductions.max(this, dim, keepDim); }
    /** Index of the first maximum along {@code dim} (as float; not differentiable). */
    public Tensor argmax(int dim, boolean keepDim) { return Kernels.argmax(this, dim, keepDim); }

    private int[] allDims() {
        int[] dims = new int[dim()];
        for (int i = 0; i < dims.length; i++) dims[i] = i;
        return dims;
    }

    // ---- linear algebra -------------------------------------------------------------------

    /** Matrix product with {@code torch.matmul}'s rules (1-D, 2-D, batched with broadcast batch dims). */
    public Tensor matmul(Tensor other) { return MatMul.apply(this, other); }

    // ---- views ----------------------------------------------------------------------------

    /** Same elements, new shape; one dimension may be −1. Copies only if this is not contiguous. */
    public Tensor reshape(int... shape) { return Views.reshape(this, shape); }
    /** Like reshape but refuses to copy (PyTorch's view). */
    public Tensor view(int... shape) {
        if (!isContiguous()) {
            throw new IllegalStateException("view" + Arrays.toString(shape) + " of a non-contiguous tensor "
                    + layout + ": use reshape() or contiguous() first");
        }
        return Views.reshape(this, shape);
    }
    public Tensor permute(int... dims) { return Views.permute(this, dims); }
    public Tensor transpose(int d0, int d1) { return Views.transpose(this, d0, d1); }
    /** Transpose of a 2-D tensor. */
    public Tensor t() {
        if (dim() != 2) throw new IllegalStateException("t() expects a 2-D tensor, got " + Arrays.toString(shape()));
        return transpose(0, 1);
    }
    /** Broadcasts size-1 dimensions (and new leading ones) to {@code shape} without copying; −1 keeps a size. */
    public Tensor expand(int... shape) { return Views.expand(this, shape); }
    /** Elements start, start+step, … below end along {@code dim}. */
    public Tensor slice(int dim, int start, int end, int step) { return Views.slice(this, dim, start, end, step); }
    public Tensor slice(int dim, int start, int end) { return slice(dim, start, end, 1); }
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }
    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }
    /** This tensor if contiguous, else a contiguous copy (gradient flows through). */
    public Tensor contiguous() { return isContiguous() ? this : Views.copy(this); }

    // ---- indexing and pieces (jgrad.ops.Indexing, CatSplit, Where) ---------------------------

    /** The entries at {@code index} (a 1-D tensor of whole numbers) along {@code dim}, as torch.index_select. */
    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }
    /** out[i][j] = this[index[i][j]][j] for dim 0 (and so on), as torch.gather. */
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }
    /** This tensor with {@code value} where {@code mask} is nonzero. */
    public Tensor maskedFill(Tensor mask, float value) { return Where.maskedFill(this, mask, value); }
    /** Pieces of {@code splitSize} along {@code dim} (the last may be smaller); views. */
    public java.util.List<Tensor> split(int splitSize, int dim) { return CatSplit.split(this, splitSize, dim); }
    /** {@code chunks} pieces of equal size along {@code dim} (the last may be smaller); views. */
    public java.util.List<Tensor> chunk(int chunks, int dim) { return CatSplit.chunk(this, chunks, dim); }

    // ---- in place (for optimizers and gradient accumulation; never recorded, each bumps version()) -

    /** this += alpha · other (other broadcast to this shape). */
    public Tensor addInPlace(Tensor other, float alpha) {
        beginInPlace("addInPlace");
        Kernels.zipInto(jgrad.backend.BinaryOp.ADD, this, alpha == 1f ? other : Kernels.zipScalar(jgrad.backend.BinaryOp.MUL, other, alpha), this);
        return this;
    }

    /** this *= s. */
    public Tensor mulInPlace(float s) {
        beginInPlace("mulInPlace");
        Kernels.zipScalarInto(jgrad.backend.BinaryOp.MUL, this, s, this);
        return this;
    }

    /** this = value everywhere. */
    public Tensor fillInPlace(float value) {
        beginInPlace("fillInPlace");
        device.backend().fill(buffer, layout, value);
        return this;
    }

    /** this = src (broadcast to this shape). */
    public Tensor copyFrom(Tensor src) {
        beginInPlace("copyFrom");
        Kernels.copyInto(src, this);
        return this;
    }

    /** Refuses an in-place change that would corrupt a graph being recorded; counts the change (version()). */
    private void beginInPlace(String what) {
        if (requiresGrad && NoGrad.isGradEnabled()) {
            throw new IllegalStateException(what + " on a tensor that requires grad would corrupt the graph: "
                    + "do it inside a NoGrad scope (as optimizers do)");
        }
        version[0]++;
    }
}
