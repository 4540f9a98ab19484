package jgrad.backend;

/**
 * The primitives every backend implements; everything differentiable is built from these above the
 * seam. A backend holds no calculus and knows nothing of autograd: it moves and combines floats.
 *
 * <p>Contract for all methods:
 * <ul>
 *   <li>Buffers passed in were made by this backend.</li>
 *   <li>Inputs are read through their {@link Layout}s (any strides, including 0 for broadcast).
 *       Outputs are written through theirs; an output may be the same memory as an input when both
 *       layouts are identical (in-place updates), never a partial overlap.</li>
 *   <li>Shapes agree where the javadoc says so; the caller (jgrad.tensor) has already checked and
 *       broadcast them, so a backend may assume valid arguments.</li>
 *   <li>Work is ordered: a later call sees the results of an earlier one. A backend may run
 *       asynchronously (OpenCL) as long as {@link #read} waits for what it reads.</li>
 * </ul>
 * To add a backend: implement this interface, register a {@link jgrad.tensor.Device} for it, and run
 * the backend contract tests against the reference. See docs/architecture.md.
 */
public interface Backend {

    /** A short name for messages and device listings ("reference", "simd", "opencl:0"). */
    String name();

    /**
     * Waits until every call made so far has finished. The CPU backends finish each call before
     * returning, so for them this does nothing; an asynchronous backend (OpenCL) waits for its
     * queue. Only benchmarks need it: {@link #read} already waits for what it reads.
     */
    default void finish() {}

    /**
     * True when every call has finished by the time it returns, so reading a value costs nothing
     * extra (the CPU backends). An asynchronous backend (OpenCL) queues its work and a read waits
     * for the queue: code above the seam then avoids reads it does not need, e.g. CrossEntropyLoss
     * checks its targets when the loss is read instead of reading a check result every step.
     */
    default boolean synchronous() {
        return true;
    }

    /** A new buffer of {@code n} zeros. */
    Buffer allocate(int n);

    /**
     * A new buffer of {@code n} elements for an output that the caller overwrites in full: its
     * contents are unspecified. The CPU backends return zeros anyway (a new Java array is zeroed);
     * the OpenCL backend skips the fill that {@link #allocate} costs, one kernel launch per tensor.
     */
    default Buffer empty(int n) {
        return allocate(n);
    }

    /**
     * Takes back a buffer that nothing references any more, so that a later {@link #empty} of the
     * same size may hand it out again instead of allocating: the autograd engine gives back each
     * gradient buffer it made once the gradient has been used, and the next step's outputs reuse
     * them (no garbage per step). The caller promises that no tensor will read or write {@code b}
     * again. The default keeps nothing and lets the garbage collector free it.
     */
    default void recycle(Buffer b) {}

    /** A new buffer holding a copy of {@code data}. */
    Buffer upload(float[] data);

    /** Copies the elements of {@code src} seen through {@code layout}, in row-major order, to the host. */
    float[] read(Buffer src, Layout layout);

    /** Sets every element of {@code dst} seen through {@code layout} to {@code value}. */
    void fill(Buffer dst, Layout layout, float value);

    /** dst[i] = src[i] for every position i of the common shape. */
    void copy(Buffer src, Layout srcLayout, Buffer dst, Layout dstLayout);

    /** out[i] = op(x[i]). */
    void map(UnaryOp op, Buffer x, Layout xLayout, Buffer out, Layout outLayout);

    /** out[i] = op(a[i], b[i]); a, b and out have the same shape (broadcasting is done with strides). */
    void zip(BinaryOp op, Buffer a, Layout aLayout, Buffer b, Layout bLayout, Buffer out, Layout outLayout);

    /** out[i] = op(a[i], s) for a scalar s. */
    void zipScalar(BinaryOp op, Buffer a, Layout aLayout, float s, Buffer out, Layout outLayout);

    /**
     * Reduces the middle axis of a contiguous [outer, n, inner] block starting at {@code xOffset}:
     * out[o, i] = op over j of x[o, j, i]. {@code out} is contiguous [outer, inner] from offset 0.
     */
    void reduce(ReduceOp op, Buffer x, int xOffset, int outer, int n, int inner, Buffer out);

    /**
     * Batched, strided GEMM: for each b &lt; batch,
     * C_b = alpha · op(A_b) · op(B_b) + beta · C_b, with op(X) = Xᵀ when the flag is set.
     * op(A_b) is m×k, op(B_b) is k×n, C_b is m×n. Each matrix is row-major in its buffer with the
     * given leading dimension (distance between rows as stored) and batch stride. When beta is 0,
     * C is not read (it may hold NaN).
     */
    void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
              Buffer a, int aOffset, int lda, int aBatchStride,
              Buffer b, int bOffset, int ldb, int bBatchStride,
              float beta, Buffer c, int cOffset, int ldc, int cBatchStride);

    /**
     * op(B) (k×n, from {@code bOffset} with leading dimension {@code ldb}, transposed if the flag is
     * set) made ready for many products with it by {@link #gemm(boolean, int, float, Buffer, int, int,
     * PreparedB, float, Buffer, int, int)}. The default keeps B where it lies.
     */
    default PreparedB prepareB(boolean transB, int k, int n, Buffer b, int bOffset, int ldb) {
        return new PreparedB.Plain(transB, k, n, b, bOffset, ldb);
    }

    /**
     * C = alpha · op(A) · B + beta · C for a B that {@link #prepareB} made on this backend: as
     * {@link #gemm(boolean, boolean, int, int, int, int, float, Buffer, int, int, int, Buffer, int, int, int, float, Buffer, int, int, int)}
     * with batch 1, op(A) m×k, C m×n.
     */
    default void gemm(boolean transA, int m, float alpha, Buffer a, int aOffset, int lda, PreparedB b, float beta,
                      Buffer c, int cOffset, int ldc) {
        if (!(b instanceof PreparedB.Plain p)) throw new IllegalArgumentException("gemm: B was prepared by another backend");
        gemm(transA, p.transB(), 1, m, p.n(), p.k(), alpha, a, aOffset, lda, 0, p.b(), p.offset(), p.ld(), 0, beta, c, cOffset, ldc, 0);
    }

    // ---- fused primitives: common patterns as one pass (no derivatives here either) ----------

    /**
     * Row-wise softmax of a contiguous [rows, cols] block from {@code xOffset}, into contiguous
     * {@code out}: out = eˣ / Σ eˣ, or with {@code log}, out = x − log Σ eˣ. Computed with the row
     * maximum subtracted first, so no exponential overflows.
     */
    void softmax(boolean log, Buffer x, int xOffset, int rows, int cols, Buffer out);

    /**
     * Softmax cross-entropy per row of contiguous logits [rows, cols]: with t = targets[r] (a class
     * index stored as a float, already checked to be a whole number in 0…cols−1),
     * loss[r] = log Σⱼ e^x[r,j] − x[r,t], and probs[r, :] = softmax(x[r, :]).
     */
    void crossEntropy(Buffer logits, int offset, int rows, int cols, Buffer targets, int targetOffset,
                      Buffer loss, Buffer probs);

    /**
     * One SGD update of n contiguous elements in one pass: the rule defined in tensor ops by
     * {@code jgrad.optim.SGD.update} (as {@code torch.optim.SGD}), on θ = param from paramOffset,
     * g = grad from gradOffset and the velocity from 0 ({@code velocity} is unused when μ = 0).
     * The contract test checks every backend's pass against that definition.
     */
    void sgdStep(Buffer param, int paramOffset, Buffer grad, int gradOffset, Buffer velocity, int n,
                 float lr, float momentum, float dampening, float weightDecay, boolean nesterov, boolean firstStep);

    /**
     * One Adam update of n contiguous elements in one pass: the rule defined in tensor ops by
     * {@code jgrad.optim.Adam.update} (as {@code torch.optim.Adam}, no amsgrad), on θ = param from
     * paramOffset, g = grad from gradOffset, and m, v contiguous from 0, with the bias corrections
     * of step t computed by the caller: c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ. The contract test checks every
     * backend's pass against that definition.
     */
    void adamStep(Buffer param, int paramOffset, Buffer grad, int gradOffset, Buffer m, Buffer v, int n,
                  float lr, float beta1, float beta2, float eps, float weightDecay, float biasCorrection1, float biasCorrection2);

    // ---- convolution and pooling (contiguous NCHW; geometry in Conv2dShape / Pool2dShape) ----

    /** y[n,k,p,q] = Σ_c Σ_r Σ_s x[n, c, p·sh − ph + r·dh, q·sw − pw + s·dw] · w[k,c,r,s]; y is overwritten. */
    void conv2d(Conv2dShape g, Buffer x, int xOffset, Buffer w, int wOffset, Buffer y);

    /**
     * The same with one bias per filter: y[n,k,p,q] = b[bOffset + k] + Σ … (the sum above). The
     * default runs {@link #conv2d} and then adds the bias in place; a backend may fold the bias into
     * the convolution's own output pass instead (the simd backend starts its accumulators from it).
     */
    default void conv2d(Conv2dShape g, Buffer x, int xOffset, Buffer w, int wOffset, Buffer bias, int biasOffset, Buffer y) {
        conv2d(g, x, xOffset, w, wOffset, y);
        Layout out = Layout.contiguous(g.n(), g.k(), g.p(), g.q());
        Layout perFilter = new Layout(out.shape(), new int[] {0, 1, 0, 0}, biasOffset);
        zip(BinaryOp.ADD, y, out, bias, perFilter, y, out);
    }

    /**
     * Filters w [K, C, R, S] (at wOffset) made ready for many {@link #conv2d(Conv2dShape, Buffer, int,
     * PreparedFilters, Buffer, int, Buffer)} calls with the same weights (inference). The default keeps
     * nothing: the filters where they lie. w must not change while the result is in use.
     */
    default PreparedFilters prepareFilters(Buffer w, int wOffset) {
        return new PreparedFilters.Plain(w, wOffset);
    }

    /**
     * As {@link #conv2d(Conv2dShape, Buffer, int, Buffer, int, Buffer, int, Buffer)} (bias null for
     * none) with filters that {@link #prepareFilters} made on this backend; the same values.
     */
    default void conv2d(Conv2dShape g, Buffer x, int xOffset, PreparedFilters w, Buffer bias, int biasOffset, Buffer y) {
        if (!(w instanceof PreparedFilters.Plain p)) throw new IllegalArgumentException("conv2d: filters prepared by another backend");
        if (bias == null) conv2d(g, x, xOffset, p.w(), p.offset(), y);
        else conv2d(g, x, xOffset, p.w(), p.offset(), bias, biasOffset, y);
    }

    /** dx[n,c,h,w] = Σ over every (k, p, q, r, s) whose window puts w[k,c,r,s] on (h, w) of dy[n,k,p,q]·w[k,c,r,s]; dx overwritten. */
    void conv2dInputGrad(Conv2dShape g, Buffer dy, Buffer w, int wOffset, Buffer dx);

    /** dw[k,c,r,s] = Σ_n Σ_p Σ_q dy[n,k,p,q] · x[n, c, p·sh − ph + r·dh, q·sw − pw + s·dw]; dw overwritten. */
    void conv2dWeightGrad(Conv2dShape g, Buffer x, int xOffset, Buffer dy, Buffer dw);

    /**
     * Grouped convolution (PyTorch's {@code groups}; G = C is depthwise): {@code g} is one group's
     * geometry (c = C/G channels, k = K/G filters); x [N, G·c, H, W], w [G·k, c, R, S], y [N, G·k, P, Q],
     * group i's filters w[i·k …] see only its channels x[:, i·c …]. y is overwritten. The default is
     * the definition from the primitives above ({@link GroupedConv}: per group a copy, conv2d, a copy).
     */
    default void groupedConv2d(Conv2dShape g, int groups, Buffer x, int xOffset, Buffer w, int wOffset, Buffer y) {
        GroupedConv.forward(this, g, groups, x, xOffset, w, wOffset, y);
    }

    /** conv2dInputGrad per group, shapes as {@link #groupedConv2d}; dx [N, G·c, H, W] overwritten. */
    default void groupedConv2dInputGrad(Conv2dShape g, int groups, Buffer dy, Buffer w, int wOffset, Buffer dx) {
        GroupedConv.inputGrad(this, g, groups, dy, w, wOffset, dx);
    }

    /** conv2dWeightGrad per group, shapes as {@link #groupedConv2d}; dw [G·k, c, R, S] overwritten. */
    default void groupedConv2dWeightGrad(Conv2dShape g, int groups, Buffer x, int xOffset, Buffer dy, Buffer dw) {
        GroupedConv.weightGrad(this, g, groups, x, xOffset, dy, dw);
    }

    /**
     * y[n,c,p,q] = the maximum of the window (padding counts as −∞), and argmax[n,c,p,q] = the index
     * h·W + w of the first maximum inside the (n, c) plane, as a float (for the backward).
     */
    void maxPool2d(Pool2dShape g, Buffer x, int xOffset, Buffer y, Buffer argmax);

    /**
     * The window maxima alone, for inference (no backward will need the argmax). The default
     * computes an argmax into a scratch buffer and drops it; the simd backend skips it.
     */
    default void maxPool2d(Pool2dShape g, Buffer x, int xOffset, Buffer y) {
        maxPool2d(g, x, xOffset, y, empty(g.n() * g.c() * g.p() * g.q()));
    }

    /** dx = 0, then dx[n, c, argmax[n,c,p,q]] += dy[n,c,p,q] for every output position. */
    void maxPool2dBackward(Pool2dShape g, Buffer dy, Buffer argmax, Buffer dx);

    /** y[n,c,p,q] = the mean of the window, padding included in the count (PyTorch's default count_include_pad). */
    void avgPool2d(Pool2dShape g, Buffer x, int xOffset, Buffer y);

    /** dx = 0, then every window adds dy[n,c,p,q] / (kh·kw) to each of its input positions inside the image. */
    void avgPool2dBackward(Pool2dShape g, Buffer dy, Buffer dx);

    /**
     * Adaptive average pooling of contiguous x [n, c, h, w] to y [n, c, outH, outW]: output row i
     * averages input rows ⌊i·h/outH⌋ … ⌈(i+1)·h/outH⌉ − 1 (columns likewise), as PyTorch.
     */
    void adaptiveAvgPool2d(int n, int c, int h, int w, int outH, int outW, Buffer x, int xOffset, Buffer y);

    /** dx = 0, then each window adds dy / (window size) to each of its input positions. */
    void adaptiveAvgPool2dBackward(int n, int c, int h, int w, int outH, int outW, Buffer dy, Buffer dx);

    // ---- per channel of a contiguous [N, C, HW] block (batch norm's passes; [C] buffers per channel) ----

    /**
     * out[c] = Σ over n, i of (a[n,c,i] − aMean[c]) · (b[n,c,i] − bMean[c]); b null stands for 1 and a
     * null mean for 0 (so Σ a, Σ (a − μ)², Σ a·(b − μ)). out [C] overwritten. The default is the
     * definition from the primitives above ({@link PerChannel#sums}); a backend may fuse it into one pass.
     */
    default void channelSums(int n, int c, int hw, Buffer a, Buffer aMean, Buffer b, Buffer bMean, Buffer out) {
        PerChannel.sums(this, n, c, hw, a, aMean, b, bMean, out);
    }

    /**
     * out[n,c,i] = (x[n,c,i] − mean[c]) · scale[c] + shift[c], plus zScale[c] · z[n,c,i] when z is not
     * null; out overwritten. out may be x when z is null (each element is read before it is written:
     * batch norm's inference in place); it may not be z. Default: {@link PerChannel#affine}.
     */
    default void channelAffine(int n, int c, int hw, Buffer x, Buffer mean, Buffer scale, Buffer shift, Buffer z, Buffer zScale,
                               Buffer out) {
        PerChannel.affine(this, n, c, hw, x, mean, scale, shift, z, zScale, out);
    }

    // ---- indexing by float indices (index_select, gather, embedding) ---------------------------

    /**
     * Picks along the middle axis of a contiguous [outer, n, inner] block of x from {@code xOffset}:
     * out[o, k, i] = x[o, index[o, k, i], i]. The index is read through {@code indexLayout}, of
     * shape [outer, K, inner] with any strides (stride 0 repeats one list of indices over o and i,
     * as index_select does); its values are whole numbers 0 … n − 1 stored as floats, already
     * checked by the caller. {@code out} is contiguous [outer, K, inner] from offset 0.
     */
    void gatherAxis(Buffer x, int xOffset, int outer, int n, int inner, Buffer index, Layout indexLayout, Buffer out);

    /**
     * Moves values the other way: dst = 0, then dst[o, index[o, k, i], i] += src[o, k, i] for
     * k = 0, 1, … in that order, so that a repeated index sums its values, in the same order on
     * every backend. {@code src} is contiguous [outer, K, inner] from {@code srcOffset}, the index
     * as in {@link #gatherAxis}, {@code dst} contiguous [outer, n, inner] from 0, overwritten.
     */
    void scatterAddAxis(Buffer src, int srcOffset, int outer, int n, int inner, Buffer index, Layout indexLayout, Buffer dst);

    // ---- recurrent cells: the gate arithmetic of one time step (the GEMMs are separate calls) ----

    /**
     * LSTM cell, forward, for n rows of {@code hidden} units, gates in PyTorch's order i, f, g, o.
     * Inputs: gates G [n, 4·hidden] contiguous from {@code gOffset} (the pre-activations
     * x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), cPrev [n, hidden] from {@code cPrevOffset}. Outputs, contiguous
     * from their offsets and overwritten (a layer's loop writes each step into its place in the
     * whole sequence's buffers): act [n, 4·hidden] = σ(G_i), σ(G_f), tanh(G_g), σ(G_o) (kept for the
     * backward), c [n, hidden] = f⊙cPrev + i⊙g, h [n, hidden] = o⊙tanh(c). act may be gates itself
     * (the same buffer and offset): each unit's four gates are read before its activations are
     * written, so a layer's loop turns its pre-activations into activations in place.
     */
    void lstmCell(int n, int hidden, Buffer gates, int gOffset, Buffer cPrev, int cPrevOffset,
                  Buffer act, int actOffset, Buffer c, int cOffset, Buffer h, int hOffset);

    /**
     * LSTM cell, backward arithmetic: the gradients at the gates' pre-activations and at cPrev, given
     * dh (at h) and dcNext (at c, from the next step; zeros at the last one). With i, f, g, o from act
     * [n, 4·hidden] (as {@link #lstmCell} wrote it) and t = tanh(c):
     * dc = dcNext + dh⊙o⊙(1 − t²); dG_i = dc⊙g⊙i(1 − i); dG_f = dc⊙cPrev⊙f(1 − f);
     * dG_g = dc⊙i⊙(1 − g²); dG_o = dh⊙t⊙o(1 − o); dcPrev = dc⊙f. Inputs contiguous from their
     * offsets (act, cPrev, c [n, hidden], dh, dcNext); outputs dGates [n, 4·hidden] and dcPrev
     * [n, hidden] contiguous from their offsets, overwritten.
     */
    void lstmCellBackward(int n, int hidden, Buffer act, int actOffset, Buffer cPrev, int cPrevOffset, Buffer c, int cOffset,
                          Buffer dh, int dhOffset, Buffer dcNext, int dcNextOffset, Buffer dGates, int dGatesOffset,
                          Buffer dcPrev, int dcPrevOffset);

    /**
     * GRU cell, forward (PyTorch's: the reset gate applied after the hidden product), gates in the
     * order r, z, n. Inputs, contiguous from their offsets: xg [n, 3·hidden] = x·W_ihᵀ + b_ih,
     * hg [n, 3·hidden] = hPrev·W_hhᵀ + b_hh, hPrev [n, hidden]. With x_r, x_z, x_n and h_r, h_z, h_n
     * the thirds of xg and hg: r = σ(x_r + h_r), z = σ(x_z + h_z), m = tanh(x_n + r⊙h_n) (PyTorch's
     * n), h = (1 − z)⊙m + z⊙hPrev. Outputs, contiguous from their offsets and overwritten: act [n, 4·hidden] =
     * r, z, m, h_n (kept for the backward) and h [n, hidden].
     */
    void gruCell(int n, int hidden, Buffer xg, int xgOffset, Buffer hg, int hgOffset, Buffer hPrev, int hPrevOffset,
                 Buffer act, int actOffset, Buffer h, int hOffset);

    /**
     * GRU cell, backward arithmetic, given dh at h and r, z, m, h_n from act [n, 4·hidden] (as
     * {@link #gruCell} wrote it): dm = dh⊙(1 − z)⊙(1 − m²) (at m's pre-activation),
     * dz = dh⊙(hPrev − m)⊙z(1 − z), dr = dm⊙h_n⊙r(1 − r). Outputs, contiguous from their offsets and overwritten:
     * dXg [n, 3·hidden] = dr, dz, dm (at xg); dHg [n, 3·hidden] = dr, dz, dm⊙r (at hg); dhPrev
     * [n, hidden] = dh⊙z, the direct part of hPrev's gradient (the layer adds dHg·W_hh).
     */
    void gruCellBackward(int n, int hidden, Buffer act, int actOffset, Buffer hPrev, int hPrevOffset, Buffer dh, int dhOffset,
                         Buffer dXg, int dXgOffset, Buffer dHg, int dHgOffset, Buffer dhPrev, int dhPrevOffset);
}
