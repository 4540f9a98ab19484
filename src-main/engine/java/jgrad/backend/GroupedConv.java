package jgrad.backend;

/**
 * Grouped convolution defined from the plain primitives: the definition every backend inherits
 * ({@link Backend#groupedConv2d} and its two gradients), and the one a faster backend is compared
 * with. Group i's channels are copied out of the whole tensor into a contiguous block (a strided
 * {@link Backend#copy}), convolved with its filters by the one-group primitive, and the result
 * copied into group i's channels of the output:
 * <pre>
 *   x [N, G·c, H, W] → x_i [N, c, H, W] (channels i·c …)      w_i = w[i·k …] [k, c, R, S]
 *   y[:, i·k …] = conv2d(x_i, w_i)      dx[:, i·c …] = conv2dInputGrad(dy_i, w_i)      dw[i·k …] = conv2dWeightGrad(x_i, dy_i)
 * </pre>
 * {@code g} is one group's geometry (c = C/G, k = K/G). Two copies per group and call: slow for
 * depthwise layers (G = C, thousands of tiny calls), which is why the simd backend overrides it.
 */
final class GroupedConv {
    private GroupedConv() {}

    /** Group i's [N, perGroup, plane] slice of a contiguous [N, groups·perGroup, plane] block at {@code offset}. */
    static Layout slice(int n, int perGroup, int groups, int i, int plane, int offset) {
        return new Layout(new int[] {n, perGroup, plane}, new int[] {groups * perGroup * plane, plane, 1}, offset + i * perGroup * plane);
    }

    static void forward(Backend b, Conv2dShape g, int groups, Buffer x, int xOffset, Buffer w, int wOffset, Buffer y) {
        int hw = g.h() * g.w(), pq = g.p() * g.q(), wPer = g.k() * g.c() * g.r() * g.s();
        Layout xc = Layout.contiguous(g.n(), g.c(), hw), yc = Layout.contiguous(g.n(), g.k(), pq);
        Buffer xg = b.empty(g.n() * g.c() * hw), yg = b.empty(g.n() * g.k() * pq);
        for (int i = 0; i < groups; i++) {
            b.copy(x, slice(g.n(), g.c(), groups, i, hw, xOffset), xg, xc);
            b.conv2d(g, xg, 0, w, wOffset + i * wPer, yg);
            b.copy(yg, yc, y, slice(g.n(), g.k(), groups, i, pq, 0));
        }
        b.recycle(xg);
        b.recycle(yg);
    }

    static void inputGrad(Backend b, Conv2dShape g, int groups, Buffer dy, Buffer w, int wOffset, Buffer dx) {
        int hw = g.h() * g.w(), pq = g.p() * g.q(), wPer = g.k() * g.c() * g.r() * g.s();
        Layout xc = Layout.contiguous(g.n(), g.c(), hw), yc = Layout.contiguous(g.n(), g.k(), pq);
        Buffer dyg = b.empty(g.n() * g.k() * pq), dxg = b.empty(g.n() * g.c() * hw);
        for (int i = 0; i < groups; i++) {
            b.copy(dy, slice(g.n(), g.k(), groups, i, pq, 0), dyg, yc);
            b.conv2dInputGrad(g, dyg, w, wOffset + i * wPer, dxg);
            b.copy(dxg, xc, dx, slice(g.n(), g.c(), groups, i, hw, 0));
        }
        b.recycle(dyg);
        b.recycle(dxg);
    }

    static void weightGrad(Backend b, Conv2dShape g, int groups, Buffer x, int xOffset, Buffer dy, Buffer dw) {
        int hw = g.h() * g.w(), pq = g.p() * g.q(), wPer = g.k() * g.c() * g.r() * g.s();
        Layout xc = Layout.contiguous(g.n(), g.c(), hw), yc = Layout.contiguous(g.n(), g.k(), pq), wc = Layout.contiguous(wPer);
        Buffer xg = b.empty(g.n() * g.c() * hw), dyg = b.empty(g.n() * g.k() * pq), dwg = b.empty(wPer);
        for (int i = 0; i < groups; i++) {
            b.copy(x, slice(g.n(), g.c(), groups, i, hw, xOffset), xg, xc);
            b.copy(dy, slice(g.n(), g.k(), groups, i, pq, 0), dyg, yc);
            b.conv2dWeightGrad(g, xg, 0, dyg, dwg);
            b.copy(dwg, wc, dw, new Layout(new int[] {wPer}, new int[] {1}, i * wPer));
        }
        b.recycle(xg);
        b.recycle(dyg);
        b.recycle(dwg);
    }
}
