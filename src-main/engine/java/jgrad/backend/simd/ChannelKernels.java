package jgrad.backend.simd;

import static jgrad.backend.simd.Simd.F;
import static jgrad.backend.simd.Simd.LANES;

import jdk.incubator.vector.FloatVector;

/**
 * Batch norm's per-channel passes over a contiguous [N, C, HW] block, each one pass with no
 * temporaries ({@link jgrad.backend.Backend#channelSums}, {@link jgrad.backend.Backend#channelAffine};
 * definitions in {@link jgrad.backend.PerChannel}, which makes a full-size temporary per step: the
 * training forward read the activations six times and wrote them four, the backward nine and five).
 * Planes (n, c) are split between the cores; each plane's sum is taken by one core in a fixed order
 * and the planes of a channel are added in order of n, so the result does not depend on the number
 * of threads.
 */
final class ChannelKernels {
    private ChannelKernels() {}

    /** Planes shorter than this run as one scalar loop (batch norm over [N, C] or tiny maps). */
    private static final int VECTOR_PLANE = 2 * LANES;

    /** out[c] = Σₙᵢ (a − ma[c])·(b − mb[c]) (b null: 1; a mean null: 0). */
    static void sums(int n, int c, int hw, float[] a, float[] ma, float[] b, float[] mb, float[] out) {
        if (hw < VECTOR_PLANE) {
            double[] acc = new double[c];
            for (int p = 0; p < n * c; p++) {
                int ch = p % c;
                float ca = ma == null ? 0f : ma[ch], cb = mb == null ? 0f : mb[ch];
                for (int i = p * hw; i < (p + 1) * hw; i++) acc[ch] += (a[i] - ca) * (b == null ? 1f : b[i] - cb);
            }
            for (int ch = 0; ch < c; ch++) out[ch] = (float) acc[ch];
            return;
        }
        float[] planes = new float[n * c];
        int units = n * c, parts = Parallel.partsFor((long) units * hw * 4, units), per = (units + parts - 1) / Math.max(1, parts);
        Parallel.run(parts, part -> {
            for (int p = part * per; p < Math.min(units, (part + 1) * per); p++) {
                int ch = p % c;
                planes[p] = plane(a, ma == null ? 0f : ma[ch], b, mb == null ? 0f : mb[ch], p * hw, hw);
            }
        });
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += planes[i * c + ch];
            out[ch] = (float) s;
        }
    }

    /** Σ (a − ca)·(b − cb) over a[at … at+len) (b null: 1). */
    private static float plane(float[] a, float ca, float[] b, float cb, int at, int len) {
        int bound = F.loopBound(len), i = 0;
        FloatVector acc = FloatVector.zero(F), acc2 = FloatVector.zero(F);
        FloatVector vca = FloatVector.broadcast(F, ca), vcb = FloatVector.broadcast(F, cb);
        float tail = 0;
        if (b == null) {
            for (; i < bound; i += LANES) acc = acc.add(FloatVector.fromArray(F, a, at + i).sub(vca));
            for (; i < len; i++) tail += a[at + i] - ca;
        } else {
            // two accumulators: the adds of one vector's products do not wait on the other's
            for (; i + LANES < bound; i += 2 * LANES) {
                acc = FloatVector.fromArray(F, a, at + i).sub(vca).fma(FloatVector.fromArray(F, b, at + i).sub(vcb), acc);
                acc2 = FloatVector.fromArray(F, a, at + i + LANES).sub(vca).fma(FloatVector.fromArray(F, b, at + i + LANES).sub(vcb), acc2);
            }
            for (; i < bound; i += LANES) acc = FloatVector.fromArray(F, a, at + i).sub(vca).fma(FloatVector.fromArray(F, b, at + i).sub(vcb), acc);
            for (; i < len; i++) tail += (a[at + i] - ca) * (b[at + i] - cb);
        }
        return Pointwise.sumLanes(acc.add(acc2)) + tail;
    }

    /** out = (x − mean[c])·scale[c] + shift[c] (+ zScale[c]·z). */
    static void affine(int n, int c, int hw, float[] x, float[] mean, float[] scale, float[] shift, float[] z, float[] zScale, float[] out) {
        int units = n * c, parts = Parallel.partsFor((long) units * hw * 4, units), per = (units + parts - 1) / Math.max(1, parts);
        Parallel.run(parts, part -> {
            for (int p = part * per; p < Math.min(units, (part + 1) * per); p++) {
                int ch = p % c;
                affinePlane(x, mean[ch], scale[ch], shift[ch], z, z == null ? 0f : zScale[ch], out, p * hw, hw);
            }
        });
    }

    private static void affinePlane(float[] x, float m, float a, float b, float[] z, float g, float[] out, int at, int len) {
        int bound = F.loopBound(len), i = 0;
        FloatVector vm = FloatVector.broadcast(F, m), va = FloatVector.broadcast(F, a), vb = FloatVector.broadcast(F, b);
        if (z == null) {
            for (; i < bound; i += LANES) FloatVector.fromArray(F, x, at + i).sub(vm).fma(va, vb).intoArray(out, at + i);
            for (; i < len; i++) out[at + i] = Math.fma(x[at + i] - m, a, b);
        } else {
            FloatVector vg = FloatVector.broadcast(F, g);
            for (; i < bound; i += LANES) {
                FloatVector.fromArray(F, z, at + i).fma(vg, FloatVector.fromArray(F, x, at + i).sub(vm).fma(va, vb)).intoArray(out, at + i);
            }
            for (; i < len; i++) out[at + i] = Math.fma(z[at + i], g, Math.fma(x[at + i] - m, a, b));
        }
    }
}
