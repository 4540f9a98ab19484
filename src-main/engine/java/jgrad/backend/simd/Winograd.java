package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.LANES;

import java.util.Arrays;
import jgrad.backend.Conv2dShape;

/**
 * 3×3 stride-1 convolutions by Winograd's minimal filtering F(4×4, 3×3): each 4×4 block of output
 * comes from a 6×6 block of input with 36 multiplications per (input, output) channel pair instead
 * of 144, so the wide layers of ResNet and VGG do a quarter of the multiplications of im2col + GEMM.
 * The steps, for a chunk of images:
 * <ol>
 *   <li>filters: U = G·g·Gᵀ, 36 matrices [K, C] ({@link WinogradTiles#filter});</li>
 *   <li>input tiles: V = Bᵀ·d·B, 36 matrices [C, tiles] ({@link WinogradTiles#input}), from a copy
 *       of the input with its zero padding written out;</li>
 *   <li>36 independent products M = U·V, [K, tiles] ({@link Gemm});</li>
 *   <li>output tiles: Y = Aᵀ·M·A ({@link WinogradTiles#output}).</li>
 * </ol>
 * The input gradient of a stride-1 3×3 convolution is itself one, over dY, with each filter turned
 * by 180°, input and output channels swapped and padding 2 − pad, so it runs the same steps.
 * Results differ from the direct sum by rounding only (a few float ulps more: the transforms'
 * fractions; tests compare with the GEMM path at 1e-5 relative).
 * {@code -Djgrad.conv.winograd=false} turns it off, to compare with the other paths in one build.
 */
final class Winograd {
    private Winograd() {}

    static final boolean ENABLED = !"false".equals(System.getProperty("jgrad.conv.winograd", "true"));

    /** Narrower layers than this (input or output channels) stay on the implicit GEMM. */
    static final int MIN_CHANNELS = Integer.getInteger("jgrad.conv.winogradMinChannels", 32);

    /** Outputs smaller than this on either side (e.g. ResNet's 2×2 at 64×64) waste most of a 4×4 tile. */
    static final int MIN_OUT = Integer.getInteger("jgrad.conv.winogradMinOut", 7);

    /** Floats of one chunk's transformed input (36 × C × tiles): images are taken in chunks of about this size. */
    static final int CHUNK_FLOATS = Integer.getInteger("jgrad.conv.winogradChunk", 1 << 20);

    /** Whether F(4×4, 3×3) can run this shape at all: 3×3, stride 1, no dilation, equal padding ≤ 2. */
    static boolean fits(Conv2dShape g) {
        return g.r() == 3 && g.s() == 3 && g.strideH() == 1 && g.strideW() == 1 && g.dilH() == 1 && g.dilW() == 1
                && g.padH() == g.padW() && g.padH() <= 2;
    }

    /** Whether it is the path for this shape's forward pass and input gradient (measured: docs/performance.md). */
    static boolean suits(Conv2dShape g) {
        return ENABLED && fits(g) && g.c() >= MIN_CHANNELS && g.k() >= MIN_CHANNELS && g.p() >= MIN_OUT && g.q() >= MIN_OUT;
    }

    static void forward(Conv2dShape g, float[] x, int xOff, float[] w, int wOff, float[] y) {
        int K = g.k(), C = g.c();
        float[] u = filters(w, wOff, K, C, 9 * C, 9, false);
        run(g.n(), C, g.h(), g.w(), K, g.padH(), u, x, xOff, y);
    }

    static void inputGrad(Conv2dShape g, float[] dy, float[] w, int wOff, float[] dx) {
        int K = g.k(), C = g.c();
        float[] u = filters(w, wOff, C, K, 9, 9 * C, true);  // dX = conv(dY, filters turned 180°, [C, K]), padding 2 − pad
        run(g.n(), K, g.p(), g.q(), C, 2 - g.padH(), u, dy, 0, dx);
    }

    /** The 36 matrices U[pos][o][i] of filters (o, i) whose taps start at w[wOff + o·outerStride + i·innerStride]. */
    private static float[] filters(float[] w, int wOff, int outer, int inner, int outerStride, int innerStride, boolean flip) {
        float[] u = scratch(0, 36 * outer * inner);
        int[] innerOffsets = new int[roundUp(inner)];
        for (int i = 0; i < inner; i++) innerOffsets[i] = i * innerStride;
        int stride = outer * inner, parts = Parallel.chunksFor(36L * 9 * outer * inner, outer);
        Parallel.run(parts, part -> {
            for (int o = outer * part / parts, end = outer * (part + 1) / parts; o < end; o++) {
                for (int i0 = 0; i0 < inner; i0 += LANES) WinogradTiles.filter(w, wOff, outerStride, innerOffsets, o, i0, inner, flip, u, stride);
            }
        });
        return u;
    }

    /** y [N, K, P, Q] = the convolution of x [N, C, H, W] (3×3, stride 1, padding pad) with the transformed filters u. */
    private static void run(int N, int C, int H, int W, int K, int pad, float[] u, float[] x, int xOff, float[] y) {
        int P = H + 2 * pad - 2, Q = W + 2 * pad - 2;
        int th = (P + 3) / 4, tw = (Q + 3) / 4, perImage = th * tw, Hp = 4 * th + 2, Wp = 4 * tw + 2, HWp = Hp * Wp;
        int step = Math.max(1, Math.min(N, CHUNK_FLOATS / (36 * Math.max(C, K) * perImage)));
        boolean exact = P == 4 * th && Q == 4 * tw;  // whole tiles: written straight into y
        for (int n0 = 0; n0 < N; n0 += step) {
            int m = Math.min(step, N - n0), T = m * perImage, Tp = roundUp(T);
            int[] in = new int[Tp], out = new int[Tp];
            for (int t = 0; t < T; t++) {
                int i = t / perImage, ti = t % perImage / tw, tj = t % tw;
                in[t] = i * HWp + 4 * ti * Wp + 4 * tj;
                out[t] = exact ? i * K * P * Q + 4 * ti * Q + 4 * tj : i * 16 * perImage + 4 * ti * 4 * tw + 4 * tj;
            }
            // 2. the input with its padding, [C, m, Hp, Wp], then its tiles V [36, C, Tp]
            float[] xp = scratch(1, C * m * HWp), v = scratch(2, 36 * C * Tp);
            final int first = n0;
            int inParts = Parallel.chunksFor(36L * 6 * C * T, C);
            Parallel.run(inParts, part -> {
                int parts = inParts;
                for (int c = C * part / parts, end = C * (part + 1) / parts; c < end; c++) {
                    for (int i = 0; i < m; i++) {
                        int plane = (c * m + i) * HWp, src = xOff + ((first + i) * C + c) * H * W;
                        Arrays.fill(xp, plane, plane + HWp, 0f);
                        for (int h = 0; h < H; h++) System.arraycopy(x, src + h * W, xp, plane + (h + pad) * Wp + pad, W);
                    }
                    for (int t0 = 0; t0 < T; t0 += LANES) WinogradTiles.input(xp, c * m * HWp, Wp, in, t0, v, c * Tp, C * Tp);
                }
            });
            // 3. M[pos] = U[pos]·V[pos], [K, Tp]: 36 products, one per part
            float[] mm = scratch(3, 36 * K * Tp);
            Parallel.run(36, pos -> Gemm.gemm(false, false, K, T, C, 1f, u, pos * K * C, C, v, pos * C * Tp, Tp, 0f, mm, pos * K * Tp, Tp));
            // 4. Y = Aᵀ·M·A, into y (or a whole-tile copy of it, then cropped)
            float[] yt = exact ? y : scratch(4, K * m * 16 * perImage);
            int outParts = Parallel.chunksFor(36L * 4 * K * T, K);
            Parallel.run(outParts, part -> {
                int parts = outParts;
                for (int k = K * part / parts, end = K * (part + 1) / parts; k < end; k++) {
                    int at = exact ? (first * K + k) * P * Q : k * m * 16 * perImage;
                    int ld = exact ? Q : 4 * tw;
                    for (int t0 = 0; t0 < T; t0 += LANES) WinogradTiles.output(mm, k * Tp, K * Tp, t0, T, yt, at, ld, out);
                    if (!exact) {
                        for (int i = 0; i < m; i++) {
                            for (int p = 0; p < P; p++) {
                                System.arraycopy(yt, at + i * 16 * perImage + p * 4 * tw, y, ((first + i) * K + k) * P * Q + p * Q, Q);
                            }
                        }
                    }
                }
            });
        }
    }

    private static int roundUp(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[5][0]);

    /** Per-thread scratch kept between calls: the filters, padded input, tiles, products and whole-tile output. */
    private static float[] scratch(int which, int size) {
        float[][] b = BUFFERS.get();
        if (b[which].length < size) b[which] = new float[size];
        return b[which];
    }
}
