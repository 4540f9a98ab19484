package jgrad.backend.opencl;

import static org.jocl.CL.*;

import jgrad.backend.Backend;
import jgrad.backend.BinaryOp;
import jgrad.backend.Buffer;
import jgrad.backend.Conv2dShape;
import jgrad.backend.Layout;
import jgrad.backend.Pool2dShape;
import jgrad.backend.ReduceOp;
import jgrad.backend.UnaryOp;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;

/**
 * The GPU backend: every primitive is an OpenCL kernel from kernels-opencl/, enqueued on one
 * in-order queue. Nothing waits for the device except {@link #read}: a training step moves its
 * batch in ({@link #upload}) and its loss out, and everything between stays on the device.
 *
 * <p>This class chooses the kernel variant for each call and checks its preconditions; the
 * kernels hold the arithmetic. The only package that touches JOCL is this one.
 */
public final class OpenClBackend implements Backend {
    /** Work-group size for the one-work-item-per-element kernels. */
    private static final long WG = 128;
    /** Work-group sizes the kernels are compiled with (their #ifndef defaults). */
    private static final int RED_WG = 256, SM_WG = 64, CONV_WG = 256;
    private final GemmTiling tiling = GemmTiling.parse(System.getProperty("jgrad.opencl.gemm", "128,128,8,8,8"));

    private final ClContext cl;
    private final ClMemory memory;
    private final ClRecurrent recurrent;
    private final String name;

    public OpenClBackend(OpenCl.DeviceInfo device) {
        try {
            java.util.Map<String, String> options = new java.util.HashMap<>(OpCodes.buildOptions());
            options.put("gemm", tiling.options());
            this.cl = new ClContext(device, options);
        } catch (CLException e) {
            throw new IllegalStateException("opencl: cannot create a context on " + device.describe() + ": " + e.getMessage(), e);
        }
        this.memory = new ClMemory(cl);
        this.recurrent = new ClRecurrent(cl);
        this.name = "opencl:" + device.index();
    }

    /** The device this backend runs on. */
    public OpenCl.DeviceInfo device() {
        return cl.device;
    }

    @Override
    public String name() {
        return name;
    }

    private static ClBuffer buf(Buffer b) {
        return (ClBuffer) b;
    }

    private static long[] cover(long n) {
        return new long[] {n};
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    public Buffer allocate(int n) {
        ClBuffer b = memory.allocate(n, this);
        if (n > 0) cl.zero(b.mem(), n);
        return b;
    }

    /** No fill: the caller overwrites every element (see {@link Backend#empty}). */
    @Override
    public Buffer empty(int n) {
        return memory.allocate(n, this);
    }

    @Override
    public Buffer upload(float[] data) {
        return memory.upload(data, this);
    }

    /** Reads the span the layout touches (one blocking transfer), then picks the elements on the host. */
    @Override
    public float[] read(Buffer src, Layout layout) {
        int n = layout.size();
        float[] out = new float[n];
        if (n == 0) return out;
        int lo = layout.offset(), hi = layout.extent();
        for (int d = 0; d < layout.rank(); d++) {
            if (layout.strides()[d] < 0) lo += (layout.shape()[d] - 1) * layout.strides()[d];
        }
        float[] span = new float[hi - lo];
        clEnqueueReadBuffer(cl.queue, buf(src).mem(), CL_TRUE, (long) lo * Sizeof.cl_float,
                (long) span.length * Sizeof.cl_float, Pointer.to(span), 0, null, null);
        if (layout.isContiguous()) {
            System.arraycopy(span, layout.offset() - lo, out, 0, n);
        } else {
            for (int i = 0; i < n; i++) out[i] = span[layout.indexOf(i) - lo];
        }
        return out;
    }

    /** Calls return once their kernel is queued, not when it has run. */
    @Override
    public boolean synchronous() {
        return false;
    }

    /** Waits for every enqueued kernel (for benchmarks: time what the device did, not what was queued). */
    @Override
    public void finish() {
        cl.finish();
    }

    // ---- elementwise -----------------------------------------------------------------------

    @Override
    public void fill(Buffer dst, Layout layout, float value) {
        if (layout.size() == 0) return;
        Views.Merged v = Views.merge(layout);
        cl.launch("elementwise", "fill_view", cover(v.size()), new long[] {WG}, v.pack(), value, buf(dst));
    }

    @Override
    public void copy(Buffer src, Layout srcLayout, Buffer dst, Layout dstLayout) {
        mapWith(OpCodes.COPY, src, srcLayout, dst, dstLayout);
    }

    @Override
    public void map(UnaryOp op, Buffer x, Layout xLayout, Buffer out, Layout outLayout) {
        mapWith(OpCodes.of(op), x, xLayout, out, outLayout);
    }

    private void mapWith(int op, Buffer x, Layout xLayout, Buffer out, Layout outLayout) {
        if (outLayout.size() == 0) return;
        Views.Merged v = Views.merge(outLayout, xLayout);
        if (v.contiguous()) {
            cl.launch("elementwise", "map_contiguous", cover(v.size()), new long[] {WG}, op, v.size(),
                    buf(out), v.offsets()[0], buf(x), v.offsets()[1]);
        } else {
            cl.launch("elementwise", "map_view", cover(v.size()), new long[] {WG}, op, v.pack(), buf(out), buf(x));
        }
    }

    @Override
    public void zip(BinaryOp op, Buffer a, Layout aLayout, Buffer b, Layout bLayout, Buffer out, Layout outLayout) {
        if (outLayout.size() == 0) return;
        Views.Merged v = Views.merge(outLayout, aLayout, bLayout);
        if (v.contiguous()) {
            cl.launch("elementwise", "zip_contiguous", cover(v.size()), new long[] {WG}, OpCodes.of(op), v.size(),
                    buf(out), v.offsets()[0], buf(a), v.offsets()[1], buf(b), v.offsets()[2]);
        } else {
            cl.launch("elementwise", "zip_view", cover(v.size()), new long[] {WG}, OpCodes.of(op), v.pack(),
                    buf(out), buf(a), buf(b));
        }
    }

    @Override
    public void zipScalar(BinaryOp op, Buffer a, Layout aLayout, float s, Buffer out, Layout outLayout) {
        if (outLayout.size() == 0) return;
        Views.Merged v = Views.merge(outLayout, aLayout);
        if (v.contiguous()) {
            cl.launch("elementwise", "zip_scalar_contiguous", cover(v.size()), new long[] {WG}, OpCodes.of(op), v.size(),
                    s, buf(out), v.offsets()[0], buf(a), v.offsets()[1]);
        } else {
            cl.launch("elementwise", "zip_scalar_view", cover(v.size()), new long[] {WG}, OpCodes.of(op), v.pack(), s,
                    buf(out), buf(a));
        }
    }

    // ---- reductions ------------------------------------------------------------------------

    /** Long rows with nothing inside (inner = 1) get a work-group each; otherwise a work-item per output. */
    @Override
    public void reduce(ReduceOp op, Buffer x, int xOffset, int outer, int n, int inner, Buffer out) {
        if (outer * inner == 0) return;
        if (inner == 1 && n >= 64) {
            cl.launch("reduce", "reduce_rows", cover((long) outer * RED_WG), new long[] {RED_WG}, OpCodes.of(op), buf(x),
                    xOffset, n, buf(out));
        } else {
            cl.launch("reduce", "reduce_naive", cover((long) outer * inner), new long[] {WG}, OpCodes.of(op), buf(x),
                    xOffset, outer, n, inner, buf(out));
        }
    }

    // ---- matrix product --------------------------------------------------------------------

    /**
     * The tiled kernel once C has at least one whole tile and k is worth staging; below that the
     * naive kernel, which spreads small products over more work-items.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                     Buffer a, int aOffset, int lda, int aBatchStride,
                     Buffer b, int bOffset, int ldb, int bBatchStride,
                     float beta, Buffer c, int cOffset, int ldc, int cBatchStride) {
        if (batch == 0 || m == 0 || n == 0) return;
        int[] sizes = {transA ? 1 : 0, transB ? 1 : 0, m, n, k, aOffset, lda, aBatchStride, bOffset, ldb, bBatchStride,
                cOffset, ldc, cBatchStride};
        Object[] args = {sizes, alpha, beta, buf(a), buf(b), buf(c)};
        GemmTiling t = tiling;
        boolean tiled = m >= t.tsm() && n >= t.tsn() && k >= t.tsk()
                && cl.device.maxWorkGroupSize() >= (long) t.localX() * t.localY() && !Boolean.getBoolean("jgrad.opencl.naiveGemm");
        if (tiled) {
            long gx = (long) (n + t.tsn() - 1) / t.tsn() * t.localX(), gy = (long) (m + t.tsm() - 1) / t.tsm() * t.localY();
            // float4 loads: not yet timed on a GPU, so only on request (-Djgrad.opencl.gemmVec=true)
            boolean vec = Boolean.getBoolean("jgrad.opencl.gemmVec") && !transA && !transB && t.vectorizable()
                    && (lda | ldb | aOffset | bOffset | aBatchStride | bBatchStride) % 4 == 0;
            cl.launch("gemm", vec ? "gemm_tiled_vec4" : "gemm_tiled", new long[] {gx, gy, batch},
                    new long[] {t.localX(), t.localY(), 1}, args);
        } else {
            cl.launch("gemm", "gemm_naive", new long[] {n, m, batch}, new long[] {16, 8, 1}, args);
        }
    }

    // ---- fused row-wise ops ----------------------------------------------------------------

    @Override
    public void softmax(boolean log, Buffer x, int xOffset, int rows, int cols, Buffer out) {
        if (rows == 0 || cols == 0) return;
        cl.launch("softmax", "softmax_rows", cover((long) rows * SM_WG), new long[] {SM_WG}, log, buf(x), xOffset, cols,
                buf(out));
    }

    @Override
    public void crossEntropy(Buffer logits, int offset, int rows, int cols, Buffer targets, int targetOffset,
                             Buffer loss, Buffer probs) {
        if (rows == 0) return;
        cl.launch("softmax", "cross_entropy_rows", cover((long) rows * SM_WG), new long[] {SM_WG}, buf(logits), offset,
                cols, buf(targets), targetOffset, buf(loss), buf(probs));
    }

    @Override
    public void sgdStep(Buffer param, int paramOffset, Buffer grad, int gradOffset, Buffer velocity, int n,
                        float lr, float momentum, float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        if (n == 0) return;
        Buffer v = velocity != null ? velocity : param;  // not read when momentum is 0
        cl.launch("optim", "sgd_step", cover(n), new long[] {WG}, n, buf(param), paramOffset, buf(grad), gradOffset,
                buf(v), lr, momentum, dampening, weightDecay, nesterov, firstStep);
    }

    @Override
    public void adamStep(Buffer param, int paramOffset, Buffer grad, int gradOffset, Buffer m, Buffer v, int n,
                         float lr, float beta1, float beta2, float eps, float weightDecay, float biasCorrection1, float biasCorrection2) {
        if (n == 0) return;
        cl.launch("optim", "adam_step", cover(n), new long[] {WG}, n, buf(param), paramOffset, buf(grad), gradOffset,
                buf(m), buf(v), lr, beta1, beta2, eps, weightDecay, biasCorrection1, biasCorrection2);
    }

    // ---- convolution and pooling -----------------------------------------------------------

    private static int[] conv(Conv2dShape g) {
        return new int[] {g.n(), g.c(), g.h(), g.w(), g.k(), g.r(), g.s(), g.strideH(), g.strideW(), g.padH(), g.padW(),
                g.dilH(), g.dilW(), g.p(), g.q()};
    }

    private static int[] pool(Pool2dShape g) {
        return new int[] {g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.strideH(), g.strideW(), g.padH(), g.padW(), g.p(), g.q(),
                g.countIncludePad() ? 1 : 0};
    }

    private static int[] adaptive(int n, int c, int h, int w, int outH, int outW) {
        return new int[] {n, c, h, w, 0, 0, 1, 1, 0, 0, outH, outW, 1};
    }

    @Override
    public void conv2d(Conv2dShape g, Buffer x, int xOffset, Buffer w, int wOffset, Buffer y) {
        long outputs = (long) g.n() * g.k() * g.p() * g.q();
        cl.launch("conv", "conv2d_forward", cover(outputs), new long[] {WG}, conv(g), buf(x), xOffset, buf(w), wOffset, buf(y));
    }

    @Override
    public void conv2dInputGrad(Conv2dShape g, Buffer dy, Buffer w, int wOffset, Buffer dx) {
        long inputs = (long) g.n() * g.c() * g.h() * g.w();
        String kernel = g.strideH() == 1 && g.strideW() == 1 ? "conv2d_input_grad_stride1" : "conv2d_input_grad";
        cl.launch("conv", kernel, cover(inputs), new long[] {WG}, conv(g), buf(dy), buf(w), wOffset, buf(dx));
    }

    @Override
    public void conv2dWeightGrad(Conv2dShape g, Buffer x, int xOffset, Buffer dy, Buffer dw) {
        long weights = (long) g.k() * g.c() * g.r() * g.s();
        // measured on an H100 (docs/performance.md): by rows 2.5× faster for LeNet's 28- and 10-wide
        // outputs, by products 3× faster for a 32-wide 64→64 layer (coalesced reads of dy)
        String kernel = g.q() < 32 ? "conv2d_weight_grad_rows" : "conv2d_weight_grad";
        cl.launch("conv", kernel, cover(weights * CONV_WG), new long[] {CONV_WG}, conv(g), buf(x), xOffset,
                buf(dy), buf(dw));
    }

    @Override
    public void maxPool2d(Pool2dShape g, Buffer x, int xOffset, Buffer y, Buffer argmax) {
        long outputs = (long) g.n() * g.c() * g.p() * g.q();
        cl.launch("pool", "max_pool_forward", cover(outputs), new long[] {WG}, pool(g), buf(x), xOffset, buf(y), buf(argmax));
    }

    @Override
    public void maxPool2dBackward(Pool2dShape g, Buffer dy, Buffer argmax, Buffer dx) {
        long inputs = (long) g.n() * g.c() * g.h() * g.w();
        cl.launch("pool", "max_pool_backward", cover(inputs), new long[] {WG}, pool(g), buf(dy), buf(argmax), buf(dx));
    }

    @Override
    public void avgPool2d(Pool2dShape g, Buffer x, int xOffset, Buffer y) {
        long outputs = (long) g.n() * g.c() * g.p() * g.q();
        cl.launch("pool", "avg_pool_forward", cover(outputs), new long[] {WG}, pool(g), buf(x), xOffset, buf(y));
    }

    @Override
    public void avgPool2dBackward(Pool2dShape g, Buffer dy, Buffer dx) {
        long inputs = (long) g.n() * g.c() * g.h() * g.w();
        cl.launch("pool", "avg_pool_backward", cover(inputs), new long[] {WG}, pool(g), buf(dy), buf(dx));
    }

    @Override
    public void adaptiveAvgPool2d(int n, int c, int h, int w, int outH, int outW, Buffer x, int xOffset, Buffer y) {
        long outputs = (long) n * c * outH * outW;
        cl.launch("pool", "adaptive_avg_pool_forward", cover(outputs), new long[] {WG}, adaptive(n, c, h, w, outH, outW),
                buf(x), xOffset, buf(y));
    }

    @Override
    public void adaptiveAvgPool2dBackward(int n, int c, int h, int w, int outH, int outW, Buffer dy, Buffer dx) {
        long inputs = (long) n * c * h * w;
        cl.launch("pool", "adaptive_avg_pool_backward", cover(inputs), new long[] {WG}, adaptive(n, c, h, w, outH, outW),
                buf(dy), buf(dx));
    }

    // ---- indexing by float indices (kernels-opencl/index.cl) --------------------------------

    private static int[] axis(int outer, int n, int inner, Layout index) {
        int[] st = index.strides();
        return new int[] {outer, n, inner, index.shape()[1], index.offset(), st[0], st[1], st[2]};
    }

    @Override
    public void gatherAxis(Buffer x, int xOffset, int outer, int n, int inner, Buffer index, Layout indexLayout, Buffer out) {
        long outputs = (long) outer * indexLayout.shape()[1] * inner;
        cl.launch("index", "gather_axis", cover(outputs), new long[] {WG}, axis(outer, n, inner, indexLayout),
                buf(x), xOffset, buf(index), buf(out));
    }

    /** One work-item per (o, i) column, each summing its column's repeated indices in order (no atomics). */
    @Override
    public void scatterAddAxis(Buffer src, int srcOffset, int outer, int n, int inner, Buffer index, Layout indexLayout, Buffer dst) {
        if (n == 0) return;
        cl.launch("index", "scatter_add_axis", cover((long) outer * inner), new long[] {WG}, axis(outer, n, inner, indexLayout),
                buf(src), srcOffset, buf(index), buf(dst));
    }

    // ---- recurrent cells (kernels-opencl/rnn.cl; the launches are in ClRecurrent) -------------

    @Override
    public void lstmCell(int n, int hidden, Buffer gates, int gOffset, Buffer cPrev, int cPrevOffset,
                         Buffer act, int actOffset, Buffer c, int cOffset, Buffer h, int hOffset) {
        recurrent.lstmCell(n, hidden, buf(gates), gOffset, buf(cPrev), cPrevOffset, buf(act), actOffset, buf(c), cOffset, buf(h), hOffset);
    }

    @Override
    public void lstmCellBackward(int n, int hidden, Buffer act, int actOffset, Buffer cPrev, int cPrevOffset, Buffer c, int cOffset,
                                 Buffer dh, int dhOffset, Buffer dcNext, int dcNextOffset, Buffer dGates, int dGatesOffset,
                                 Buffer dcPrev, int dcPrevOffset) {
        recurrent.lstmCellBackward(n, hidden, buf(act), actOffset, buf(cPrev), cPrevOffset, buf(c), cOffset, buf(dh), dhOffset,
                buf(dcNext), dcNextOffset, buf(dGates), dGatesOffset, buf(dcPrev), dcPrevOffset);
    }

    @Override
    public void gruCell(int n, int hidden, Buffer xg, int xgOffset, Buffer hg, int hgOffset, Buffer hPrev, int hPrevOffset,
                        Buffer act, int actOffset, Buffer h, int hOffset) {
        recurrent.gruCell(n, hidden, buf(xg), xgOffset, buf(hg), hgOffset, buf(hPrev), hPrevOffset, buf(act), actOffset, buf(h), hOffset);
    }

    @Override
    public void gruCellBackward(int n, int hidden, Buffer act, int actOffset, Buffer hPrev, int hPrevOffset, Buffer dh, int dhOffset,
                                Buffer dXg, int dXgOffset, Buffer dHg, int dHgOffset, Buffer dhPrev, int dhPrevOffset) {
        recurrent.gruCellBackward(n, hidden, buf(act), actOffset, buf(hPrev), hPrevOffset, buf(dh), dhOffset, buf(dXg), dXgOffset,
                buf(dHg), dHgOffset, buf(dhPrev), dhPrevOffset);
    }
}
