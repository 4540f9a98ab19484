package jgrad.backend.simd;

import jgrad.backend.BinaryOp;
import jgrad.backend.Conv2dShape;
import jgrad.backend.Pool2dShape;
import jgrad.backend.Buffer;
import jgrad.backend.Layout;
import jgrad.backend.ReduceOp;
import jgrad.backend.UnaryOp;
import jgrad.backend.reference.ReferenceBackend;

/**
 * The Vector API backend. Every primitive takes a fast path when the layouts allow one, and
 * otherwise falls back to the reference loops it extends (the oracle is also the safety net):
 * <ul>
 *   <li>elementwise ops run row by row over the last dimension, each input either a contiguous
 *       run or a broadcast scalar along it (bias adds, per-row scales);</li>
 *   <li>reductions over [outer, n, inner] run as vector sums along n (inner = 1) or as vector
 *       row accumulations (inner &gt; 1);</li>
 *   <li>GEMM goes to {@link Gemm}.</li>
 * </ul>
 * Buffers are the same heap arrays as the reference backend's.
 */
public final class SimdBackend extends ReferenceBackend {
    @Override
    public String name() {
        return "simd" + Simd.BITS;
    }

    @Override
    public void fill(Buffer dst, Layout layout, float value) {
        if (layout.isContiguous()) {
            java.util.Arrays.fill(array(dst), layout.offset(), layout.offset() + layout.size(), value);
        } else {
            super.fill(dst, layout, value);
        }
    }

    @Override
    public void copy(Buffer src, Layout srcLayout, Buffer dst, Layout dstLayout) {
        float[] s = array(src), d = array(dst);
        if (srcLayout.isContiguous() && dstLayout.isContiguous()) {
            System.arraycopy(s, srcLayout.offset(), d, dstLayout.offset(), dstLayout.size());
            return;
        }
        if (isTranspose(srcLayout) && dstLayout.isContiguous()) {
            transpose(s, srcLayout, d, dstLayout.offset());
            return;
        }
        Rows r = Rows.of(dstLayout, srcLayout);
        if (r == null) {
            super.copy(src, srcLayout, dst, dstLayout);
            return;
        }
        int[][] at = r.starts();
        for (int row = 0; row < r.count(); row++) {
            int from = at[1][row], to = at[0][row];
            if (r.steps()[1] == 1) System.arraycopy(s, from, d, to, r.length());
            else java.util.Arrays.fill(d, to, to + r.length(), s[from]);
        }
    }

    /** Elementwise work below this many elements stays on the calling thread (memory-bound loops gain less than GEMM). */
    private static final int SPLIT_ELEMENTS = Integer.getInteger("jgrad.elementwise.splitAt", 1 << 17);

    private interface Range {
        void run(int from, int count);
    }

    /** Runs body over [0, n) in one piece per core when n is large, else in one call. */
    private static void split(int n, Range body) {
        split(n, SPLIT_ELEMENTS, body);
    }

    /** As above, splitting from {@code atLeast} elements. */
    private static void split(int n, int atLeast, Range body) {
        int parts = n < atLeast ? 1 : Parallel.partsFor(Long.MAX_VALUE, Parallel.THREADS);
        // whole vectors per part, so each part's tail is the array's tail or a full vector
        int per = (n / Math.max(1, parts) + Simd.LANES - 1) / Simd.LANES * Simd.LANES;
        Parallel.run(parts, part -> {
            int from = part * per, to = part == parts - 1 ? n : Math.min(n, from + per);
            if (from < to) body.run(from, to - from);
        });
    }

    /**
     * Optimizer updates of parameters at least this long are split between the cores, earlier than
     * elementwise ops: an update reads three arrays and writes two. Measured on the 784-128-64-10
     * MLP's training step (its 100,352 weights), alternating in one JVM: 1.00×, 1.05× and 1.08×
     * faster split than on one core (19, 25 and 24 of 32 blocks).
     */
    static final int UPDATE_SPLIT = Integer.getInteger("jgrad.optim.splitAt", 1 << 15);

    /** Runs body over row ranges [from, to), one per core when there is enough work. */
    private static void splitRows(Rows r, Range body) {
        int parts = (long) r.count() * r.length() < SPLIT_ELEMENTS ? 1 : Parallel.partsFor(Long.MAX_VALUE, r.count());
        int per = (r.count() + parts - 1) / Math.max(1, parts);
        Parallel.run(parts, part -> {
            int from = part * per, to = Math.min(r.count(), from + per);
            if (from < to) body.run(from, to);
        });
    }

    /** A 2-D layout walking a row-major matrix column by column. */
    private static boolean isTranspose(Layout l) {
        return l.rank() == 2 && l.strides()[0] == 1 && l.strides()[1] > 1;
    }

    /** dst[i][j] = src(i, j) for a transposed source, in 32×32 tiles so both sides stay in cache. */
    private static void transpose(float[] s, Layout src, float[] d, int dOff) {
        int rows = src.shape()[0], cols = src.shape()[1], ld = src.strides()[1], sOff = src.offset();
        final int tile = 32;
        for (int i0 = 0; i0 < rows; i0 += tile) {
            for (int j0 = 0; j0 < cols; j0 += tile) {
                int i1 = Math.min(rows, i0 + tile), j1 = Math.min(cols, j0 + tile);
                for (int j = j0; j < j1; j++) {
                    for (int i = i0; i < i1; i++) d[dOff + i * cols + j] = s[sOff + j * ld + i];
                }
            }
        }
    }

    @Override
    public void map(UnaryOp op, Buffer x, Layout xLayout, Buffer out, Layout outLayout) {
        float[] xs = array(x), o = array(out);
        if (xLayout.isContiguous() && outLayout.isContiguous()) {
            int xo = xLayout.offset(), oo = outLayout.offset();
            split(outLayout.size(), (from, len) -> Pointwise.map(op, xs, xo + from, o, oo + from, len));
            return;
        }
        Rows r = Rows.of(outLayout, xLayout, xLayout);
        if (r == null || r.steps()[1] != 1) {
            super.map(op, x, xLayout, out, outLayout);
            return;
        }
        int[][] at = r.starts();
        splitRows(r, (from, to) -> {
            for (int row = from; row < to; row++) Pointwise.map(op, xs, at[1][row], o, at[0][row], r.length());
        });
    }

    @Override
    public void zip(BinaryOp op, Buffer a, Layout aLayout, Buffer b, Layout bLayout, Buffer out, Layout outLayout) {
        float[] as = array(a), bs = array(b), o = array(out);
        if (aLayout.isContiguous() && bLayout.isContiguous() && outLayout.isContiguous()) {
            int ao = aLayout.offset(), bo = bLayout.offset(), oo = outLayout.offset();
            split(outLayout.size(), (from, len) -> Pointwise.zip(op, as, ao + from, 1, bs, bo + from, 1, o, oo + from, len));
            return;
        }
        Rows r = Rows.of(outLayout, aLayout, bLayout);
        if (r == null) {
            super.zip(op, a, aLayout, b, bLayout, out, outLayout);
            return;
        }
        int[][] at = r.starts();
        splitRows(r, (from, to) -> {
            for (int row = from; row < to; row++) {
                Pointwise.zip(op, as, at[1][row], r.steps()[1], bs, at[2][row], r.steps()[2], o, at[0][row], r.length());
            }
        });
    }

    @Override
    public void zipScalar(BinaryOp op, Buffer a, Layout aLayout, float s, Buffer out, Layout outLayout) {
        float[] as = array(a), o = array(out), sb = {s};
        if (aLayout.isContiguous() && outLayout.isContiguous()) {
            int ao = aLayout.offset(), oo = outLayout.offset();
            split(outLayout.size(), (from, len) -> Pointwise.zip(op, as, ao + from, 1, sb, 0, 0, o, oo + from, len));
            return;
        }
        Rows r = Rows.of(outLayout, aLayout, aLayout);
        if (r == null || r.steps()[1] != 1) {
            super.zipScalar(op, a, aLayout, s, out, outLayout);
            return;
        }
        int[][] at = r.starts();
        splitRows(r, (from, to) -> {
            for (int row = from; row < to; row++) Pointwise.zip(op, as, at[1][row], 1, sb, 0, 0, o, at[0][row], r.length());
        });
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, int xOffset, int outer, int n, int inner, Buffer out) {
        float[] xs = array(x), o = array(out);
        if (op == ReduceOp.ARGMAX && inner == 1 && n > 0) {
            // (the reference's loop ran at interpreter speed inside a ResNet step, 1.5 ms for 32 × 1000 logits)
            for (int p = 0; p < outer; p++) o[p] = Pointwise.argmax(xs, xOffset + p * n, n);
            return;
        }
        if (op == ReduceOp.ARGMAX || n == 0) {
            super.reduce(op, x, xOffset, outer, n, inner, out);
            return;
        }
        if (inner == 1) {
            for (int p = 0; p < outer; p++) {
                int at = xOffset + p * n;
                o[p] = op == ReduceOp.SUM ? Pointwise.sum(xs, at, n) : Pointwise.max(xs, at, n);
            }
            return;
        }
        BinaryOp combine = op == ReduceOp.SUM ? BinaryOp.ADD : BinaryOp.MAX;
        for (int p = 0; p < outer; p++) {
            int base = xOffset + p * n * inner;
            System.arraycopy(xs, base, o, p * inner, inner);
            for (int j = 1; j < n; j++) Pointwise.accumulate(combine, xs, base + j * inner, o, p * inner, inner);
        }
    }

    @Override
    public jgrad.backend.PreparedB prepareB(boolean transB, int k, int n, Buffer b, int bOffset, int ldb) {
        return Gemm.prepareB(transB, k, n, array(b), bOffset, ldb);
    }

    @Override
    public void gemm(boolean transA, int m, float alpha, Buffer a, int aOffset, int lda, jgrad.backend.PreparedB b, float beta,
                     Buffer c, int cOffset, int ldc) {
        if (b instanceof Gemm.Packed p) Gemm.gemm(transA, m, alpha, array(a), aOffset, lda, p, beta, array(c), cOffset, ldc);
        else super.gemm(transA, m, alpha, a, aOffset, lda, b, beta, c, cOffset, ldc);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                     Buffer a, int aOffset, int lda, int aBatchStride,
                     Buffer b, int bOffset, int ldb, int bBatchStride,
                     float beta, Buffer c, int cOffset, int ldc, int cBatchStride) {
        float[] as = array(a), bs = array(b), cs = array(c);
        for (int t = 0; t < batch; t++) {
            Gemm.gemm(transA, transB, m, n, k, alpha,
                    as, aOffset + t * aBatchStride, lda, bs, bOffset + t * bBatchStride, ldb,
                    beta, cs, cOffset + t * cBatchStride, ldc);
        }
    }

    @Override
    public void softmax(boolean log, Buffer x, int xOffset, int rows, int cols, Buffer out) {
        float[] xs = array(x), o = array(out);
        for (int r = 0; r < rows; r++) Rowwise.softmax(log, xs, xOffset + r * cols, o, r * cols, cols);
    }

    @Override
    public void crossEntropy(Buffer logits, int offset, int rows, int cols, Buffer targets, int targetOffset,
                             Buffer loss, Buffer probs) {
        float[] xs = array(logits), t = array(targets), l = array(loss), p = array(probs);
        for (int r = 0; r < rows; r++) {
            int row = offset + r * cols;
            float logS = Rowwise.softmax(false, xs, row, p, r * cols, cols);
            // ℓ = (m − x_t) + log s: m − x_t is exact for nearby values, so large logits keep their precision
            l[r] = (Pointwise.max(xs, row, cols) - xs[row + (int) t[targetOffset + r]]) + logS;
        }
    }

    @Override
    public void sgdStep(Buffer param, int paramOffset, Buffer grad, int gradOffset, Buffer velocity, int n,
                        float lr, float momentum, float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        float[] p = array(param), g = array(grad), v = momentum != 0 ? array(velocity) : null;
        split(n, UPDATE_SPLIT, (from, len) -> Rowwise.sgd(p, paramOffset + from, g, gradOffset + from, v, from, len,
                lr, momentum, dampening, weightDecay, nesterov, firstStep));
    }

    @Override
    public void adamStep(Buffer param, int paramOffset, Buffer grad, int gradOffset, Buffer m, Buffer v, int n,
                         float lr, float beta1, float beta2, float eps, float weightDecay, float biasCorrection1, float biasCorrection2) {
        float[] p = array(param), g = array(grad), ms = array(m), vs = array(v);
        split(n, UPDATE_SPLIT, (from, len) -> Rowwise.adam(p, paramOffset, g, gradOffset, ms, vs, from, from + len, lr, beta1, beta2,
                eps, weightDecay, biasCorrection1, biasCorrection2));
    }

    @Override
    public void conv2d(Conv2dShape g, Buffer x, int xOffset, Buffer w, int wOffset, Buffer y) {
        // Per shape, the path measured fastest (docs/performance.md#convolutions).
        switch (ConvPath.forward(g)) {
            case IMPLICIT -> ImplicitConv.forward(g, array(x), xOffset, array(w), wOffset, array(y));
            case DIRECT -> DirectConv.forward(g, array(x), xOffset, array(w), wOffset, array(y));
            case GEMM -> ConvGemm.forward(g, array(x), xOffset, array(w), wOffset, array(y));
            case WINOGRAD -> Winograd.forward(g, array(x), xOffset, array(w), wOffset, array(y));
            case SMALL_MAP -> SmallMapConv.forward(g, array(x), xOffset, array(w), wOffset, array(y));
        }
    }

    @Override
    public void conv2d(Conv2dShape g, Buffer x, int xOffset, Buffer w, int wOffset, Buffer bias, int biasOffset, Buffer y) {
        if (ConvPath.forward(g) == ConvPath.IMPLICIT) {
            ImplicitConv.forward(g, array(x), xOffset, array(w), wOffset, array(bias), biasOffset, array(y));  // sums start from the bias
        } else {
            super.conv2d(g, x, xOffset, w, wOffset, bias, biasOffset, y);  // the default: conv2d, then the bias added in place
        }
    }

    @Override
    public jgrad.backend.PreparedFilters prepareFilters(Buffer w, int wOffset) {
        array(w);  // a buffer of this backend (refused otherwise, as everywhere)
        return new PreparedConvFilters(w, wOffset);
    }

    /** The paths that rearrange the filters at every call (Winograd, small maps) take them as prepared; the others read them where they lie. */
    @Override
    public void conv2d(Conv2dShape g, Buffer x, int xOffset, jgrad.backend.PreparedFilters w, Buffer bias, int biasOffset, Buffer y) {
        if (!(w instanceof PreparedConvFilters f)) throw new IllegalArgumentException("conv2d: filters prepared by another backend");
        ConvPath path = ConvPath.forward(g);
        if (path == ConvPath.WINOGRAD || path == ConvPath.SMALL_MAP) {
            if (path == ConvPath.WINOGRAD) Winograd.forward(g, array(x), xOffset, array(f.w), f.offset, array(y), f);
            else SmallMapConv.forward(g, array(x), xOffset, array(f.w), f.offset, array(y), f);
            if (bias != null) addBias(g, bias, biasOffset, y);
        } else if (bias == null) {
            conv2d(g, x, xOffset, f.w, f.offset, y);
        } else {
            conv2d(g, x, xOffset, f.w, f.offset, bias, biasOffset, y);
        }
    }

    /** y[n, k, ·] += bias[k], as the seam's default conv2d with a bias does after the convolution. */
    private void addBias(Conv2dShape g, Buffer bias, int biasOffset, Buffer y) {
        Layout out = Layout.contiguous(g.n(), g.k(), g.p(), g.q());
        zip(BinaryOp.ADD, y, out, bias, new Layout(out.shape(), new int[] {0, 1, 0, 0}, biasOffset), y, out);
    }

    @Override
    public void conv2dInputGrad(Conv2dShape g, Buffer dy, Buffer w, int wOffset, Buffer dx) {
        switch (ConvPath.inputGrad(g)) {
            case IMPLICIT -> ImplicitConv.inputGrad(g, array(dy), array(w), wOffset, array(dx));
            case DIRECT, GEMM -> ConvGemm.inputGrad(g, array(dy), array(w), wOffset, array(dx));
            case WINOGRAD -> Winograd.inputGrad(g, array(dy), array(w), wOffset, array(dx));
            case SMALL_MAP -> SmallMapConv.inputGrad(g, array(dy), array(w), wOffset, array(dx));
        }
    }

    @Override
    public void conv2dWeightGrad(Conv2dShape g, Buffer x, int xOffset, Buffer dy, Buffer dw) {
        switch (ConvPath.weightGrad(g)) {
            case IMPLICIT -> ImplicitConvWeightGrad.weightGrad(g, array(x), xOffset, array(dy), array(dw));
            case DIRECT -> DirectConv.weightGrad(g, array(x), xOffset, array(dy), array(dw));
            case GEMM -> ConvGemm.weightGrad(g, array(x), xOffset, array(dy), array(dw));
            case WINOGRAD -> Winograd.weightGrad(g, array(x), xOffset, array(dy), array(dw));
        }
    }

    /** Batch norm's per-channel passes in one pass each ({@link ChannelKernels}). */
    @Override
    public void channelSums(int n, int c, int hw, Buffer a, Buffer aMean, Buffer b, Buffer bMean, Buffer out) {
        ChannelKernels.sums(n, c, hw, array(a), aMean == null ? null : array(aMean), b == null ? null : array(b),
                bMean == null ? null : array(bMean), array(out));
    }

    @Override
    public void channelAffine(int n, int c, int hw, Buffer x, Buffer mean, Buffer scale, Buffer shift, Buffer z, Buffer zScale, Buffer out) {
        ChannelKernels.affine(n, c, hw, array(x), array(mean), array(scale), array(shift), z == null ? null : array(z),
                z == null ? null : array(zScale), array(out));
    }

    /** Depthwise layers (one channel, one filter per group) directly ({@link DepthwiseConv}); other groupings as the seam defines them. */
    @Override
    public void groupedConv2d(Conv2dShape g, int groups, Buffer x, int xOffset, Buffer w, int wOffset, Buffer y) {
        if (DepthwiseConv.suits(g)) DepthwiseConv.forward(g, groups, array(x), xOffset, array(w), wOffset, array(y));
        else super.groupedConv2d(g, groups, x, xOffset, w, wOffset, y);
    }

    @Override
    public void groupedConv2dInputGrad(Conv2dShape g, int groups, Buffer dy, Buffer w, int wOffset, Buffer dx) {
        if (DepthwiseConv.suits(g)) DepthwiseConv.inputGrad(g, groups, array(dy), array(w), wOffset, array(dx));
        else super.groupedConv2dInputGrad(g, groups, dy, w, wOffset, dx);
    }

    @Override
    public void groupedConv2dWeightGrad(Conv2dShape g, int groups, Buffer x, int xOffset, Buffer dy, Buffer dw) {
        if (DepthwiseConv.suits(g)) DepthwiseConv.weightGrad(g, groups, array(x), xOffset, array(dy), array(dw));
        else super.groupedConv2dWeightGrad(g, groups, x, xOffset, dy, dw);
    }

    @Override
    public void maxPool2d(Pool2dShape g, Buffer x, int xOffset, Buffer y, Buffer argmax) {
        if (Pooling.maxPool2d(g, array(x), xOffset, array(y), array(argmax))) super.maxPool2d(g, x, xOffset, y, argmax);
    }

    @Override
    public void maxPool2dBackward(Pool2dShape g, Buffer dy, Buffer argmax, Buffer dx) {
        Pooling.maxPool2dBackward(g, array(dy), array(argmax), array(dx));
    }

    @Override
    public void maxPool2d(Pool2dShape g, Buffer x, int xOffset, Buffer y) {
        // a window with a NaN: the reference rule, with a scratch argmax
        if (Pooling.maxPool2d(g, array(x), xOffset, array(y), null)) super.maxPool2d(g, x, xOffset, y);
    }

    // ---- recurrent cells: the vector loops are in Recurrent ---------------------------------------

    /**
     * The recurrent cells split their rows between the cores from this many units (rows × hidden):
     * each unit costs four or five exponentials, so a step of an LSTM at batch 64, hidden 128
     * (8,192 units) is worth two cores. Rows are independent: the bits do not depend on the split.
     */
    private static final int CELL_SPLIT_UNITS = Integer.getInteger("jgrad.rnn.splitAt", 4096);

    /** Runs body over row ranges [from, from + count) of n rows, split between the cores when n·hidden is large. */
    private static void cellRows(int n, int hidden, Range body) {
        int parts = (long) n * hidden < CELL_SPLIT_UNITS ? 1 : Parallel.partsFor(Long.MAX_VALUE, Math.min(n, Parallel.THREADS));
        int per = (n + parts - 1) / Math.max(1, parts);
        Parallel.run(parts, part -> {
            int from = part * per, to = Math.min(n, from + per);
            if (from < to) body.run(from, to - from);
        });
    }

    @Override
    public void lstmCell(int n, int hidden, Buffer gates, int gOffset, Buffer cPrev, int cPrevOffset,
                         Buffer act, int actOffset, Buffer c, int cOffset, Buffer h, int hOffset) {
        float[] g = array(gates), cp = array(cPrev), a = array(act), cc = array(c), hh = array(h);
        int g4 = 4 * hidden;
        cellRows(n, hidden, (r, rows) -> Recurrent.lstmCell(rows, hidden, g, gOffset + r * g4, cp, cPrevOffset + r * hidden,
                a, actOffset + r * g4, cc, cOffset + r * hidden, hh, hOffset + r * hidden));
    }

    @Override
    public void lstmCellBackward(int n, int hidden, Buffer act, int actOffset, Buffer cPrev, int cPrevOffset, Buffer c, int cOffset,
                                 Buffer dh, int dhOffset, Buffer dcNext, int dcNextOffset, Buffer dGates, int dGatesOffset,
                                 Buffer dcPrev, int dcPrevOffset) {
        float[] a = array(act), cp = array(cPrev), cc = array(c), d = array(dh), dn = array(dcNext), dg = array(dGates), dp = array(dcPrev);
        int g4 = 4 * hidden;
        cellRows(n, hidden, (r, rows) -> Recurrent.lstmCellBackward(rows, hidden, a, actOffset + r * g4, cp, cPrevOffset + r * hidden,
                cc, cOffset + r * hidden, d, dhOffset + r * hidden, dn, dcNextOffset + r * hidden, dg, dGatesOffset + r * g4,
                dp, dcPrevOffset + r * hidden));
    }

    @Override
    public void gruCell(int n, int hidden, Buffer xg, int xgOffset, Buffer hg, int hgOffset, Buffer hPrev, int hPrevOffset,
                        Buffer act, int actOffset, Buffer h, int hOffset) {
        float[] x = array(xg), y = array(hg), hp = array(hPrev), a = array(act), hh = array(h);
        int g3 = 3 * hidden, g4 = 4 * hidden;
        cellRows(n, hidden, (r, rows) -> Recurrent.gruCell(rows, hidden, x, xgOffset + r * g3, y, hgOffset + r * g3,
                hp, hPrevOffset + r * hidden, a, actOffset + r * g4, hh, hOffset + r * hidden));
    }

    @Override
    public void gruCellBackward(int n, int hidden, Buffer act, int actOffset, Buffer hPrev, int hPrevOffset, Buffer dh, int dhOffset,
                                Buffer dXg, int dXgOffset, Buffer dHg, int dHgOffset, Buffer dhPrev, int dhPrevOffset) {
        float[] a = array(act), hp = array(hPrev), d = array(dh), dx = array(dXg), dy = array(dHg), dp = array(dhPrev);
        int g3 = 3 * hidden, g4 = 4 * hidden;
        cellRows(n, hidden, (r, rows) -> Recurrent.gruCellBackward(rows, hidden, a, actOffset + r * g4, hp, hPrevOffset + r * hidden,
                d, dhOffset + r * hidden, dx, dXgOffset + r * g3, dy, dHgOffset + r * g3, dp, dhPrevOffset + r * hidden));
    }
}
