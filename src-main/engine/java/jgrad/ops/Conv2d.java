package jgrad.ops;

import java.util.Arrays;
import jgrad.autograd.Function;
import jgrad.backend.Conv2dShape;
import jgrad.tensor.Kernels;
import jgrad.tensor.FusedKernels;
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
 * The three sums are the backend's conv2d, conv2dWeightGrad and conv2dInputGrad. With a bias b [K],
 * y gets b[k] added to every position of map k, and db[k] = Σ_n Σ_p Σ_q dY[n,k,p,q]. Saves x and w.
 *
 * <p>Groups (PyTorch's {@code groups}, {@link #apply(Tensor, Tensor, Tensor, int[], int[], int[], int)}):
 * the C input channels and K filters are split into G equal groups and filter k of group g sees only
 * that group's C/G channels, w [K, C/G, R, S]:
 * <pre>  y[n, g·K/G + k′] = conv(x[n, g·C/G … (g+1)·C/G − 1], w[g·K/G + k′])  </pre>
 * Depthwise (MobileNetV2) is G = C: one R×S kernel per channel. The backend's grouped primitives
 * compute the three sums above per group (dX of group g lands in its own channels, dW of group g in
 * its own filters); {@code Backend.groupedConv2d} defines them from the one-group primitives, and the
 * simd backend runs depthwise layers with a direct kernel.
 *
 * <p>Checked by: {@code jgrad.ops.ConvPoolTest} (gradient checks, PyTorch values) and
 * {@code jgrad.ops.GroupedConvTest}; derivation in docs/ops/conv2d.md.
 */
public final class Conv2d extends Function {
    private final Tensor x, w;
    private final boolean hasBias;
    private final Conv2dShape g;  // with groups: one group's geometry
    private final int groups;

    private Conv2d(Tensor x, Tensor w, Tensor bias, Conv2dShape g, int groups) {
        super(bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias});
        this.x = saved(x);
        this.w = saved(w);
        this.hasBias = bias != null;
        this.g = g;
        this.groups = groups;
    }

    /** stride, padding, dilation as {height, width}; no bias. */
    public static Tensor apply(Tensor x, Tensor w, int[] stride, int[] padding, int[] dilation) {
        return apply(x, w, null, stride, padding, dilation);
    }

    /**
     * y = conv(x, w) + b, b [K] (or null): one filter's bias added to every position of its map, by
     * the backend's conv2d with a bias (the simd backend starts its sums from b), so a layer with
     * bias makes one output, not two. Backward: db[k] = Σ_n Σ_p Σ_q dY[n,k,p,q] (each bias met every position of its map once).
     */
    public static Tensor apply(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation) {
        if (x.dim() != 4 || w.dim() != 4 || x.size(1) != w.size(1)) {
            throw new IllegalArgumentException("conv2d: expected input [N, C, H, W] and weight [K, C, R, S] with the same C, got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != w.size(0))) {
            throw new IllegalArgumentException("conv2d: expected bias [" + w.size(0) + "] (one per filter), got " + Arrays.toString(bias.shape()));
        }
        Conv2dShape g = new Conv2dShape(x.size(0), x.size(1), x.size(2), x.size(3), w.size(0), w.size(2), w.size(3),
                stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
        Tensor y = bias == null ? FusedKernels.conv2d(g, x, w) : FusedKernels.conv2d(g, x, w, bias);
        return new Conv2d(x, w, bias, g, 1).record(y);
    }

    /**
     * As {@link #apply(Tensor, Tensor, Tensor, int[], int[], int[])}, for a forward pass that nothing
     * will differentiate (inference under {@code NoGrad}), with w's filters as the backend prepared them
     * once for many calls ({@link jgrad.backend.Backend#prepareFilters}; prepared must be w's, unchanged
     * since). The same values; no graph.
     */
    public static Tensor applyPrepared(Tensor x, Tensor w, jgrad.backend.PreparedFilters prepared, Tensor bias, int[] stride, int[] padding, int[] dilation) {
        if (jgrad.autograd.NoGrad.isGradEnabled()) throw new IllegalStateException("conv2d with prepared filters: only under NoGrad (nothing to differentiate)");
        if (x.dim() != 4 || w.dim() != 4 || x.size(1) != w.size(1)) {
            throw new IllegalArgumentException("conv2d: expected input [N, C, H, W] and weight [K, C, R, S] with the same C, got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != w.size(0))) {
            throw new IllegalArgumentException("conv2d: expected bias [" + w.size(0) + "] (one per filter), got " + Arrays.toString(bias.shape()));
        }
        Kernels.sameDevice("conv2d", x, w);
        Conv2dShape g = new Conv2dShape(x.size(0), x.size(1), x.size(2), x.size(3), w.size(0), w.size(2), w.size(3),
                stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
        return FusedKernels.conv2d(g, x, prepared, bias);
    }

    /**
     * y = conv(x, w) + b with {@code groups} groups: x [N, C, H, W], w [K, C/groups, R, S], b [K] or null;
     * C and K must be multiples of groups. groups = 1 is the plain convolution above.
     */
    public static Tensor apply(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        if (groups == 1) return apply(x, w, bias, stride, padding, dilation);
        if (groups < 1 || x.dim() != 4 || w.dim() != 4 || x.size(1) % groups != 0 || w.size(0) % groups != 0
                || w.size(1) * groups != x.size(1)) {
            throw new IllegalArgumentException("conv2d with groups=" + groups + ": expected input [N, C, H, W] and weight [K, C/groups, R, S]"
                    + " with C and K multiples of groups, got " + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != w.size(0))) {
            throw new IllegalArgumentException("conv2d: expected bias [" + w.size(0) + "] (one per filter), got " + Arrays.toString(bias.shape()));
        }
        // one group's geometry: channels g·cg …, filters g·kg …
        int cg = x.size(1) / groups, kg = w.size(0) / groups;
        Conv2dShape g = new Conv2dShape(x.size(0), cg, x.size(2), x.size(3), kg, w.size(2), w.size(3),
                stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
        Tensor y = FusedKernels.groupedConv2d(g, groups, x, w);
        if (bias != null) Kernels.zipInto(jgrad.backend.BinaryOp.ADD, y, bias.reshape(1, w.size(0), 1, 1), y);  // y has no graph yet
        return new Conv2d(x, w, bias, g, groups).record(y);
    }

    @Override
    protected Tensor[] backward(Tensor dY) {
        Tensor dX = !needsGrad(0) ? null : groups == 1 ? FusedKernels.conv2dInputGrad(g, dY, w) : FusedKernels.groupedConv2dInputGrad(g, groups, dY, w);
        Tensor dW = !needsGrad(1) ? null : groups == 1 ? FusedKernels.conv2dWeightGrad(g, x, dY) : FusedKernels.groupedConv2dWeightGrad(g, groups, x, dY);
        if (!hasBias) return grads(dX, dW);
        // in the forward pass this was: y[n,k,p,q] += b[k]  ⇒  db[k] = Σ_{n,p,q} dY[n,k,p,q]
        return grads(dX, dW, needsGrad(2) ? Kernels.sum(dY, new int[] {0, 2, 3}, false) : null);
    }
}
