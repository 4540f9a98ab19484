package jgrad.backend;

/**
 * The geometry of 2-D pooling over contiguous NCHW input x [N, C, H, W] with output y [N, C, P, Q],
 * P = ⌊(H + 2·padH − kh) / strideH⌋ + 1 (Q likewise), as PyTorch's MaxPool2d / AvgPool2d without
 * ceil mode or dilation. Output (p, q) covers rows p·strideH − padH … + kh − 1 (columns likewise).
 */
public record Pool2dShape(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW) {

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
        if ((h + 2 * padH - kh) / strideH + 1 < 1 || (w + 2 * padW - kw) / strideW + 1 < 1 || h + 2 * padH < kh || w + 2 * padW < kw) {
            throw new IllegalArgumentException("pooling: input " + h + "×" + w + " is smaller than the kernel " + kh + "×" + kw);
        }
    }

    public int p() {
        return (h + 2 * padH - kh) / strideH + 1;
    }

    public int q() {
        return (w + 2 * padW - kw) / strideW + 1;
    }
}
