package jgrad.backend;

/**
 * The per-channel primitives of batch norm, {@link Backend#channelSums} and
 * {@link Backend#channelAffine}, written from plain ones ({@code zip}, {@code reduce}): their
 * definition, and the default of a backend without a fused kernel (one pass each where the fused
 * kernels make one; here a full-size temporary per step). x and the other full-size operands are
 * contiguous [N, C, HW] blocks from offset 0; a per-channel value is a [C] buffer read through the
 * broadcast layout "stride 0, 1, 0" as an [N, C, HW] one.
 *
 * <p>Checked by: {@code jgrad.backend.ChannelContractTest} (every backend against this definition
 * computed in double on the host).
 */
public final class PerChannel {
    private PerChannel() {}

    static Layout perChannel(int n, int c, int hw) {
        return new Layout(new int[] {n, c, hw}, new int[] {0, 1, 0}, 0);
    }

    /** out[c] = Σₙᵢ (a − aMean[c])·(b − bMean[c]), b null standing for 1, a null mean for 0. */
    public static void sums(Backend k, int n, int c, int hw, Buffer a, Buffer aMean, Buffer b, Buffer bMean, Buffer out) {
        Layout grid = Layout.contiguous(n, c, hw), each = perChannel(n, c, hw);
        int size = n * c * hw;
        java.util.List<Buffer> temps = new java.util.ArrayList<>();
        Buffer terms = centred(k, a, aMean, grid, each, size, temps);
        if (b != null) {
            Buffer bc = centred(k, b, bMean, grid, each, size, temps);
            Buffer product = k.empty(size);
            temps.add(product);
            k.zip(BinaryOp.MUL, terms, grid, bc, grid, product, grid);
            terms = product;
        }
        Buffer planes = k.empty(n * c);
        temps.add(planes);
        k.reduce(ReduceOp.SUM, terms, 0, n * c, hw, 1, planes);  // Σᵢ, per (n, c)
        k.reduce(ReduceOp.SUM, planes, 0, 1, n, c, out);         // Σₙ
        temps.forEach(k::recycle);
    }

    private static Buffer centred(Backend k, Buffer x, Buffer mean, Layout grid, Layout each, int size, java.util.List<Buffer> temps) {
        if (mean == null) return x;
        Buffer t = k.empty(size);
        temps.add(t);
        k.zip(BinaryOp.SUB, x, grid, mean, each, t, grid);
        return t;
    }

    /** out = (x − mean[c])·scale[c] + shift[c], plus zScale[c]·z when z is given. */
    public static void affine(Backend k, int n, int c, int hw, Buffer x, Buffer mean, Buffer scale, Buffer shift,
                              Buffer z, Buffer zScale, Buffer out) {
        Layout grid = Layout.contiguous(n, c, hw), each = perChannel(n, c, hw);
        k.zip(BinaryOp.SUB, x, grid, mean, each, out, grid);
        k.zip(BinaryOp.MUL, out, grid, scale, each, out, grid);
        k.zip(BinaryOp.ADD, out, grid, shift, each, out, grid);
        if (z != null) {
            Buffer t = k.empty(n * c * hw);
            k.zip(BinaryOp.MUL, z, grid, zScale, each, t, grid);
            k.zip(BinaryOp.ADD, out, grid, t, grid, out, grid);
            k.recycle(t);
        }
    }
}
