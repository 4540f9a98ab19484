package jgrad.backend;

/**
 * The geometry of 2-D pooling over contiguous NCHW input x [N, C, H, W] with output y [N, C, P, Q], as
 * PyTorch's MaxPool2d / AvgPool2d without dilation:
 * P = ⌊(H + 2·padH − kh) / strideH⌋ + 1, or with {@code ceilMode} ⌈…⌉ + 1 less one if that last window
 * would start at or past H + padH (it must start inside the input or its top padding); Q likewise.
 * Output (p, q) covers rows p·strideH − padH … + kh − 1 (columns likewise); rows outside the input are
 * skipped. {@code countIncludePad} (average only): the divisor counts the window's padding
 * positions, up to H + padH (a ceil-mode window reaching past the padding is cut there); without it
 * only the positions inside the input count ({@link #avgDivisor}).
 */
public record Pool2dShape(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW,
                          boolean ceilMode, boolean countIncludePad) {

    /** Floor mode, padding counted in averages: PyTorch's defaults. */
    public Pool2dShape(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        this(n, c, h, w, kh, kw, strideH, strideW, padH, padW, false, true);
    }

    public Pool2dShape {
        if (n < 0 || c < 1 || h < 1 || w < 1 || kh < 1 || kw < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            // not "+ this": in a compact constructor the fields are still 0 until it returns
            throw new IllegalArgumentException("invalid pooling geometry: n=" + n + ", c=" + c + ", h=" + h + ", w=" + w
                    + ", kernel " + kh + "×" + kw + ", stride " + strideH + "×" + strideW + ", padding " + padH + "×" + padW);
        }
        if (2 * padH > kh || 2 * padW > kw) {
            throw new IllegalArgumentException("pooling: padding " + padH + "×" + padW + " must be at most half the kernel "
                    + kh + "×" + kw + " (as in PyTorch)");
        }
        // PyTorch's rule: at least one output; in ceil mode a (padded) input smaller than the kernel
        // still gives one window hanging over its end, in floor mode none
        if (outSize(h, kh, strideH, padH, ceilMode) < 1 || outSize(w, kw, strideW, padW, ceilMode) < 1) {
            throw new IllegalArgumentException("pooling: input " + h + "×" + w + " is smaller than the kernel " + kh + "×" + kw
                    + " after padding " + padH + "×" + padW + (ceilMode ? "" : " (floor mode)"));
        }
    }

    /**
     * Output size along one axis, PyTorch's pooling_output_shape: the division rounds toward −∞ (floor
     * mode) or +∞ (ceil mode); every window starts before in + pad, so it holds at least one input position.
     */
    static int outSize(int in, int k, int stride, int pad, boolean ceil) {
        int span = in + 2 * pad - k;
        int out = (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceil && (out - 1) * stride >= in + pad) out--;
        return out;
    }

    public int p() {
        return outSize(h, kh, strideH, padH, ceilMode);
    }

    public int q() {
        return outSize(w, kw, strideW, padW, ceilMode);
    }

    /**
     * What average window (p, q) divides its sum by, as PyTorch's avg_pool2d: with countIncludePad the
     * window's size cut at the far padding edge, (min(h₀ + kh, H + padH) − h₀)·(…), h₀ = p·strideH − padH;
     * without it, the number of input positions in the window. kh·kw for every window in floor mode
     * with padding counted.
     */
    public int avgDivisor(int p, int q) {
        int h0 = p * strideH - padH, h1 = Math.min(h0 + kh, h + padH);
        int w0 = q * strideW - padW, w1 = Math.min(w0 + kw, w + padW);
        if (countIncludePad) return (h1 - h0) * (w1 - w0);
        return (Math.min(h1, h) - Math.max(h0, 0)) * (Math.min(w1, w) - Math.max(w0, 0));
    }
}
