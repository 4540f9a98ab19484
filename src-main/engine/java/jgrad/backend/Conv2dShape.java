package jgrad.backend;

/**
 * The geometry of a 2-D convolution (groups = 1), as the backend's conv primitives receive it.
 * Tensors are contiguous NCHW: input x [N, C, H, W], weight w [K, C, R, S], output y [N, K, P, Q] with
 * P = ⌊(H + 2·padH − dilH·(R − 1) − 1) / strideH⌋ + 1 (Q likewise), as PyTorch's Conv2d.
 * Output pixel (p, q) sees input rows p·strideH − padH + r·dilH for r &lt; R (columns likewise);
 * positions outside the image read as 0.
 */
public record Conv2dShape(int n, int c, int h, int w, int k, int r, int s,
                          int strideH, int strideW, int padH, int padW, int dilH, int dilW) {

    public Conv2dShape {
        if (n < 0 || c < 1 || h < 1 || w < 1 || k < 1 || r < 1 || s < 1 || strideH < 1 || strideW < 1
                || padH < 0 || padW < 0 || dilH < 1 || dilW < 1) {
            // not "+ this": in a compact constructor the fields are still 0 until it returns
            throw new IllegalArgumentException("invalid convolution geometry: n=" + n + ", c=" + c + ", h=" + h + ", w=" + w
                    + ", k=" + k + ", r=" + r + ", s=" + s + ", stride " + strideH + "×" + strideW + ", padding " + padH + "×" + padW
                    + ", dilation " + dilH + "×" + dilW);
        }
        // compare sizes directly: outSize's integer division rounds a negative numerator up to 0,
        // so with stride ≥ 2 it alone would accept an input up to stride − 1 pixels too small
        if (h + 2 * padH < dilH * (r - 1) + 1 || w + 2 * padW < dilW * (s - 1) + 1) {
            throw new IllegalArgumentException("convolution: input " + h + "×" + w + " is smaller than the dilated kernel "
                    + (dilH * (r - 1) + 1) + "×" + (dilW * (s - 1) + 1) + " after padding " + padH + "×" + padW);
        }
    }

    static int outSize(int in, int kernel, int stride, int pad, int dil) {
        return (in + 2 * pad - dil * (kernel - 1) - 1) / stride + 1;
    }

    /** Output height P. */
    public int p() {
        return outSize(h, r, strideH, padH, dilH);
    }

    /** Output width Q. */
    public int q() {
        return outSize(w, s, strideW, padW, dilW);
    }
}
