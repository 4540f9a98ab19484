package jgrad.backend.reference;

import jgrad.backend.Backend;
import jgrad.backend.BinaryOp;
import jgrad.backend.Conv2dShape;
import jgrad.backend.Pool2dShape;
import jgrad.backend.Buffer;
import jgrad.backend.Layout;
import jgrad.backend.ReduceOp;
import jgrad.backend.UnaryOp;

/**
 * Plain loops over {@code float[]}: the readable oracle. Elements are visited in row-major order;
 * {@link Layout#indexOf} turns a position into a buffer index, with a shortcut when a layout is
 * contiguous. Sums and dot products accumulate in double so that the oracle is more accurate than
 * the backends it judges.
 */
public class ReferenceBackend implements Backend {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Buffer allocate(int n) {
        return new HeapBuffer(new float[n], this);
    }

    /** Buffers given back by the autograd engine, for {@link #empty} to reuse. */
    private final BufferPool pool = new BufferPool();

    /** A buffer whose contents are unspecified: one given back earlier when there is one of this size. */
    @Override
    public Buffer empty(int n) {
        return new HeapBuffer(pool.take(n), this);
    }

    @Override
    public void recycle(Buffer b) {
        if (b.backend() != this) {
            throw new IllegalArgumentException("recycle: a buffer of backend " + b.backend().name() + " given to " + name());
        }
        pool.give(((HeapBuffer) b).giveBack());
    }

    /**
     * What {@link #empty} has done so far: {reused, new} arrays, and the floats held for reuse now
     * (for tests and benchmarks).
     */
    public long[] emptyCounts() {
        return pool.counts();
    }

    /** Turns reuse of given-back buffers on (the default) or off, to compare the two in one run. */
    public void setRecycling(boolean on) {
        pool.keep = on;
    }

    /**
     * Fills every buffer {@link #empty} hands out with NaN (also on with {@code -Djgrad.poisonEmpty=true}),
     * so that a read of memory nobody wrote shows up.
     */
    public void setPoison(boolean on) {
        pool.poison = on;
    }

    @Override
    public Buffer upload(float[] data) {
        return new HeapBuffer(data.clone(), this);
    }

    protected static float[] array(Buffer b) {
        return ((HeapBuffer) b).data();
    }

    /** Buffer index of position i: a shortcut for contiguous layouts, the general formula otherwise. */
    private static int at(Layout layout, boolean contiguous, int i) {
        return contiguous ? layout.offset() + i : layout.indexOf(i);
    }

    @Override
    public float[] read(Buffer src, Layout layout) {
        float[] s = array(src);
        int n = layout.size();
        float[] out = new float[n];
        boolean c = layout.isContiguous();
        for (int i = 0; i < n; i++) out[i] = s[at(layout, c, i)];
        return out;
    }

    @Override
    public void fill(Buffer dst, Layout layout, float value) {
        float[] d = array(dst);
        int n = layout.size();
        boolean c = layout.isContiguous();
        for (int i = 0; i < n; i++) d[at(layout, c, i)] = value;
    }

    @Override
    public void copy(Buffer src, Layout srcLayout, Buffer dst, Layout dstLayout) {
        float[] s = array(src), d = array(dst);
        int n = dstLayout.size();
        boolean cs = srcLayout.isContiguous(), cd = dstLayout.isContiguous();
        for (int i = 0; i < n; i++) d[at(dstLayout, cd, i)] = s[at(srcLayout, cs, i)];
    }

    @Override
    public void map(UnaryOp op, Buffer x, Layout xLayout, Buffer out, Layout outLayout) {
        float[] xs = array(x), o = array(out);
        int n = outLayout.size();
        boolean cx = xLayout.isContiguous(), co = outLayout.isContiguous();
        for (int i = 0; i < n; i++) o[at(outLayout, co, i)] = op.apply(xs[at(xLayout, cx, i)]);
    }

    @Override
    public void zip(BinaryOp op, Buffer a, Layout aLayout, Buffer b, Layout bLayout, Buffer out, Layout outLayout) {
        float[] as = array(a), bs = array(b), o = array(out);
        int n = outLayout.size();
        boolean ca = aLayout.isContiguous(), cb = bLayout.isContiguous(), co = outLayout.isContiguous();
        for (int i = 0; i < n; i++) {
            o[at(outLayout, co, i)] = op.apply(as[at(aLayout, ca, i)], bs[at(bLayout, cb, i)]);
        }
    }

    @Override
    public void zipScalar(BinaryOp op, Buffer a, Layout aLayout, float s, Buffer out, Layout outLayout) {
        float[] as = array(a), o = array(out);
        int n = outLayout.size();
        boolean ca = aLayout.isContiguous(), co = outLayout.isContiguous();
        for (int i = 0; i < n; i++) o[at(outLayout, co, i)] = op.apply(as[at(aLayout, ca, i)], s);
    }

    @Override
    public void reduce(ReduceOp op, Buffer x, int xOffset, int outer, int n, int inner, Buffer out) {
        float[] xs = array(x), o = array(out);
        for (int p = 0; p < outer; p++) {
            for (int q = 0; q < inner; q++) {
                int base = xOffset + p * n * inner + q;
                o[p * inner + q] = switch (op) {
                    case SUM -> {
                        double sum = 0;
                        for (int j = 0; j < n; j++) sum += xs[base + j * inner];
                        yield (float) sum;
                    }
                    case MAX -> {
                        float max = Float.NEGATIVE_INFINITY;
                        for (int j = 0; j < n; j++) {
                            float v = xs[base + j * inner];
                            if (v > max || Float.isNaN(v)) max = v;
                            if (Float.isNaN(max)) break;
                        }
                        yield max;
                    }
                    case ARGMAX -> {
                        int best = 0;
                        for (int j = 1; j < n; j++) {
                            float v = xs[base + j * inner], m = xs[base + best * inner];
                            if (v > m || (Float.isNaN(v) && !Float.isNaN(m))) best = j;
                        }
                        yield best;
                    }
                };
            }
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, float alpha,
                     Buffer a, int aOffset, int lda, int aBatchStride,
                     Buffer b, int bOffset, int ldb, int bBatchStride,
                     float beta, Buffer c, int cOffset, int ldc, int cBatchStride) {
        float[] as = array(a), bs = array(b), cs = array(c);
        for (int t = 0; t < batch; t++) {
            int aBase = aOffset + t * aBatchStride, bBase = bOffset + t * bBatchStride, cBase = cOffset + t * cBatchStride;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    // C[i][j] = Σₚ op(A)[i][p] · op(B)[p][j]
                    double dot = 0;
                    for (int p = 0; p < k; p++) {
                        float aip = transA ? as[aBase + p * lda + i] : as[aBase + i * lda + p];
                        float bpj = transB ? bs[bBase + j * ldb + p] : bs[bBase + p * ldb + j];
                        dot += (double) aip * bpj;
                    }
                    int ij = cBase + i * ldc + j;
                    cs[ij] = beta == 0 ? (float) (alpha * dot) : (float) (alpha * dot + beta * cs[ij]);
                }
            }
        }
    }

    @Override
    public void softmax(boolean log, Buffer x, int xOffset, int rows, int cols, Buffer out) {
        float[] xs = array(x), o = array(out);
        for (int r = 0; r < rows; r++) {
            int row = xOffset + r * cols, at = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, xs[row + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.exp(xs[row + j] - max);
            for (int j = 0; j < cols; j++) {
                double shifted = xs[row + j] - max;
                o[at + j] = (float) (log ? shifted - Math.log(sum) : Math.exp(shifted) / sum);
            }
        }
    }

    @Override
    public void crossEntropy(Buffer logits, int offset, int rows, int cols, Buffer targets, int targetOffset,
                             Buffer loss, Buffer probs) {
        softmax(false, logits, offset, rows, cols, probs);
        float[] xs = array(logits), t = array(targets), l = array(loss);
        for (int r = 0; r < rows; r++) {
            int row = offset + r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, xs[row + j]);
            double sum = 0;
            for (int j = 0; j < cols; j++) sum += Math.exp(xs[row + j] - max);
            // −log p_t = log Σ eˣ − x_t = (m + log Σ eˣ⁻ᵐ) − x_t
            l[r] = (float) (max + Math.log(sum) - xs[row + (int) t[targetOffset + r]]);
        }
    }

    @Override
    public void sgdStep(Buffer param, int paramOffset, Buffer grad, int gradOffset, Buffer velocity, int n,
                        float lr, float momentum, float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        float[] p = array(param), g = array(grad), v = momentum != 0 ? array(velocity) : null;
        for (int i = 0; i < n; i++) {
            float theta = p[paramOffset + i];
            float d = g[gradOffset + i] + weightDecay * theta;
            if (momentum != 0) {
                float vi = firstStep ? d : momentum * v[i] + (1 - dampening) * d;
                v[i] = vi;
                d = nesterov ? d + momentum * vi : vi;
            }
            p[paramOffset + i] = theta - lr * d;
        }
    }

    @Override
    public void adamStep(Buffer param, int paramOffset, Buffer grad, int gradOffset, Buffer m, Buffer v, int n,
                         float lr, float beta1, float beta2, float eps, float weightDecay, float biasCorrection1, float biasCorrection2) {
        adam(array(param), paramOffset, array(grad), gradOffset, array(m), array(v), 0, n, lr, beta1, beta2, eps,
                weightDecay, biasCorrection1, biasCorrection2);
    }

    /** Adam on elements from … to − 1 (the simd backend finishes its vector loop's tail here). */
    public static void adam(float[] p, int pAt, float[] g, int gAt, float[] m, float[] v, int from, int to, float lr,
                            float beta1, float beta2, float eps, float weightDecay, float biasCorrection1, float biasCorrection2) {
        float stepSize = lr / biasCorrection1, c2Sqrt = (float) Math.sqrt(biasCorrection2);
        for (int i = from; i < to; i++) {
            float theta = p[pAt + i];
            float d = g[gAt + i] + weightDecay * theta;
            float mi = beta1 * m[i] + (1 - beta1) * d;
            float vi = beta2 * v[i] + (1 - beta2) * d * d;
            m[i] = mi;
            v[i] = vi;
            p[pAt + i] = theta - stepSize * mi / ((float) Math.sqrt(vi) / c2Sqrt + eps);
        }
    }

    // ---- convolution and pooling: the loops are in ConvLoops ---------------------------------

    @Override
    public void conv2d(Conv2dShape g, Buffer x, int xOffset, Buffer w, int wOffset, Buffer y) {
        ConvLoops.conv2d(g, array(x), xOffset, array(w), wOffset, array(y));
    }

    @Override
    public void conv2dInputGrad(Conv2dShape g, Buffer dy, Buffer w, int wOffset, Buffer dx) {
        ConvLoops.conv2dInputGrad(g, array(dy), array(w), wOffset, array(dx));
    }

    @Override
    public void conv2dWeightGrad(Conv2dShape g, Buffer x, int xOffset, Buffer dy, Buffer dw) {
        ConvLoops.conv2dWeightGrad(g, array(x), xOffset, array(dy), array(dw));
    }

    @Override
    public void maxPool2d(Pool2dShape g, Buffer x, int xOffset, Buffer y, Buffer argmax) {
        ConvLoops.maxPool2d(g, array(x), xOffset, array(y), array(argmax));
    }

    @Override
    public void maxPool2dBackward(Pool2dShape g, Buffer dy, Buffer argmax, Buffer dx) {
        ConvLoops.maxPool2dBackward(g, array(dy), array(argmax), array(dx));
    }

    @Override
    public void avgPool2d(Pool2dShape g, Buffer x, int xOffset, Buffer y) {
        ConvLoops.avgPool2d(g, array(x), xOffset, array(y));
    }

    @Override
    public void avgPool2dBackward(Pool2dShape g, Buffer dy, Buffer dx) {
        ConvLoops.avgPool2dBackward(g, array(dy), array(dx));
    }

    @Override
    public void adaptiveAvgPool2d(int n, int c, int h, int w, int outH, int outW, Buffer x, int xOffset, Buffer y) {
        ConvLoops.adaptiveAvgPool2d(n, c, h, w, outH, outW, array(x), xOffset, array(y));
    }

    @Override
    public void adaptiveAvgPool2dBackward(int n, int c, int h, int w, int outH, int outW, Buffer dy, Buffer dx) {
        ConvLoops.adaptiveAvgPool2dBackward(n, c, h, w, outH, outW, array(dy), array(dx));
    }

    // ---- indexing by float indices ------------------------------------------------------------

    /** Buffer index of index[o, k, i] in a rank-3 index layout [outer, K, inner]. */
    private static int indexAt(Layout l, int o, int k, int i) {
        return l.offset() + o * l.strides()[0] + k * l.strides()[1] + i * l.strides()[2];
    }

    @Override
    public void gatherAxis(Buffer x, int xOffset, int outer, int n, int inner, Buffer index, Layout indexLayout, Buffer out) {
        float[] xs = array(x), idx = array(index), o = array(out);
        int kCount = indexLayout.shape()[1];
        for (int a = 0; a < outer; a++) {
            for (int k = 0; k < kCount; k++) {
                for (int i = 0; i < inner; i++) {
                    int j = (int) idx[indexAt(indexLayout, a, k, i)];
                    o[(a * kCount + k) * inner + i] = xs[xOffset + (a * n + j) * inner + i];
                }
            }
        }
    }

    @Override
    public void scatterAddAxis(Buffer src, int srcOffset, int outer, int n, int inner, Buffer index, Layout indexLayout, Buffer dst) {
        float[] s = array(src), idx = array(index), d = array(dst);
        int kCount = indexLayout.shape()[1];
        java.util.Arrays.fill(d, 0, outer * n * inner, 0f);
        for (int a = 0; a < outer; a++) {
            for (int k = 0; k < kCount; k++) {
                for (int i = 0; i < inner; i++) {
                    int j = (int) idx[indexAt(indexLayout, a, k, i)];
                    d[(a * n + j) * inner + i] += s[srcOffset + (a * kCount + k) * inner + i];  // repeated j: summed
                }
            }
        }
    }

    // ---- recurrent cells: the loops are in RecurrentLoops, one row at a time ------------------

    @Override
    public void lstmCell(int n, int hidden, Buffer gates, int gOffset, Buffer cPrev, int cPrevOffset,
                         Buffer act, int actOffset, Buffer c, int cOffset, Buffer h, int hOffset) {
        for (int r = 0; r < n; r++) {
            RecurrentLoops.lstmCell(hidden, array(gates), gOffset + r * 4 * hidden, array(cPrev), cPrevOffset + r * hidden,
                    array(act), actOffset + r * 4 * hidden, array(c), cOffset + r * hidden, array(h), hOffset + r * hidden, 0, hidden);
        }
    }

    @Override
    public void lstmCellBackward(int n, int hidden, Buffer act, int actOffset, Buffer cPrev, int cPrevOffset, Buffer c, int cOffset,
                                 Buffer dh, int dhOffset, Buffer dcNext, int dcNextOffset, Buffer dGates, int dGatesOffset,
                                 Buffer dcPrev, int dcPrevOffset) {
        for (int r = 0; r < n; r++) {
            int row = r * hidden;
            RecurrentLoops.lstmCellBackward(hidden, array(act), actOffset + 4 * row, array(cPrev), cPrevOffset + row,
                    array(c), cOffset + row, array(dh), dhOffset + row, array(dcNext), dcNextOffset + row,
                    array(dGates), dGatesOffset + 4 * row, array(dcPrev), dcPrevOffset + row, 0, hidden);
        }
    }

    @Override
    public void gruCell(int n, int hidden, Buffer xg, int xgOffset, Buffer hg, int hgOffset, Buffer hPrev, int hPrevOffset,
                        Buffer act, int actOffset, Buffer h, int hOffset) {
        for (int r = 0; r < n; r++) {
            int row = r * hidden;
            RecurrentLoops.gruCell(hidden, array(xg), xgOffset + 3 * row, array(hg), hgOffset + 3 * row, array(hPrev), hPrevOffset + row,
                    array(act), actOffset + 4 * row, array(h), hOffset + row, 0, hidden);
        }
    }

    @Override
    public void gruCellBackward(int n, int hidden, Buffer act, int actOffset, Buffer hPrev, int hPrevOffset, Buffer dh, int dhOffset,
                                Buffer dXg, int dXgOffset, Buffer dHg, int dHgOffset, Buffer dhPrev, int dhPrevOffset) {
        for (int r = 0; r < n; r++) {
            int row = r * hidden;
            RecurrentLoops.gruCellBackward(hidden, array(act), actOffset + 4 * row, array(hPrev), hPrevOffset + row,
                    array(dh), dhOffset + row, array(dXg), dXgOffset + 3 * row, array(dHg), dHgOffset + 3 * row, array(dhPrev), dhPrevOffset + row,
                    0, hidden);
        }
    }
}
