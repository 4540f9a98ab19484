package jgrad.ops;

import java.util.Arrays;
import jgrad.autograd.Function;
import jgrad.backend.Conv2dShape;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as in PyTorch): each filter k slides over the input and, at
 * every position, takes the dot product of its kernels with the patch under it:
 * <pre>  y[n,k,p,q] = Σ_c Σ_r Σ_s x[n, c, p·sh − ph + r·dh, q·sw − pw + s·dw] · w[k,c,r,s] </pre>
 *
 * <p>Shapes: x [N, C, H, W] · w [K, C, R, S] (K filters, each C kernels of R×S) · y [N, K, P, Q].
 *
 * <p>Local derivatives: ∂y[n,k,p,q]/∂w[k,c,r,s] = the input pixel that weight met,
 * ∂y[n,k,p,q]/∂x[n,c,h,w] = the weight that met pixel (h, w). Backward, one line per input:
 * <pre>
 *   dW[k,c,r,s] = Σ_n Σ_p Σ_q dY[n,k,p,q] · x[n, c, p·sh − ph + r·dh, q·sw − pw + s·dw]
 *                 (a correlation of the input with the output gradient)
 *   dX[n,c,h,w] = Σ_k Σ over (p, q, r, s) with p·sh − ph + r·dh = h, q·sw − pw + s·dw = w of dY[n,k,p,q] · w[k,c,r,s]
 *                 (for stride 1: a full convolution of dY with the flipped kernel)
 * </pre>
 * The three sums are the backend's conv2d, conv2dWeightGrad and conv2dInputGrad. Saves x and w.
 *
 * <p>Checked by: {@code jgrad.ops.ConvPoolTest} (gradient checks, PyTorch values); derivation in
 * docs/ops/conv2d.md.
 */
public final class Conv2d extends Function {
    private final Tensor x, w;
    private final Conv2dShape g;

    private Conv2d(Tensor x, Tensor w, Conv2dShape g) {
        super(x, w);
        this.x = x;
        this.w = w;
        this.g = g;
    }

    /** stride, padding, dilation as {height, width}. */
    public static Tensor apply(Tensor x, Tensor w, int[] stride, int[] padding, int[] dilation) {
        if (x.dim() != 4 || w.dim() != 4 || x.size(1) != w.size(1)) {
            throw new IllegalArgumentException("conv2d: expected input [N, C, H, W] and weight [K, C, R, S] with the same C, got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
        }
        Conv2dShape g = new Conv2dShape(x.size(0), x.size(1), x.size(2), x.size(3), w.size(0), w.size(2), w.size(3),
                stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
        return new Conv2d(x, w, g).record(Kernels.conv2d(g, x, w));
    }

    @Override
    protected Tensor[] backward(Tensor dY) {
        return grads(needsGrad(0) ? Kernels.conv2dInputGrad(g, dY, w) : null,
                needsGrad(1) ? Kernels.conv2dWeightGrad(g, x, dY) : null);
    }
}
