package jgrad.vision;

import jgrad.vision.Functional.Interpolation;

/**
 * Warps: every output pixel centre is mapped back to the input by an inverse transform (a rotation,
 * an affine map or a homography) and sampled there as PyTorch's {@code grid_sample} does, nearest or
 * bilinear, 0 outside. The operations behind {@link Functional}'s rotate, affine and perspective.
 */
final class Warps {
    private Warps() {}

    /**
     * Rotates by {@code degrees} counter-clockwise about the centre, keeping the size; what comes
     * from outside the image is 0. As torchvision on tensors: each output pixel centre is mapped
     * back through the inverse rotation and sampled as {@code grid_sample} does (align_corners
     * false; nearest rounds half to even), in float.
     */
    static Image rotate(Image img, float degrees, Interpolation mode) {
        return warp(img, inverseAffine(-degrees, 0, 0, 1, 0, 0), mode);
    }

    /**
     * Rotation by {@code degrees}, then translation by (tx, ty) pixels, scaling and shear (degrees,
     * along x and y) about the centre, as torchvision's {@code affine} on tensors; 0 outside.
     */
    static Image affine(Image img, float degrees, float tx, float ty, float scale, float shearX, float shearY, Interpolation mode) {
        if (!(scale > 0)) throw new IllegalArgumentException("affine: scale must be > 0, got " + scale);
        return warp(img, inverseAffine(degrees, tx, ty, scale, shearX, shearY), mode);
    }

    /** torchvision's _get_inverse_affine_matrix about the centre: the 2×3 map from output to input coordinates. */
    private static float[] inverseAffine(double degrees, double tx, double ty, double scale, double shearX, double shearY) {
        double rot = Math.toRadians(degrees), sx = Math.toRadians(shearX), sy = Math.toRadians(shearY);
        double a = Math.cos(rot - sy) / Math.cos(sy);
        double b = -Math.cos(rot - sy) * Math.tan(sx) / Math.cos(sy) - Math.sin(rot);
        double c = Math.sin(rot - sy) / Math.cos(sy);
        double d = -Math.sin(rot - sy) * Math.tan(sx) / Math.cos(sy) + Math.cos(rot);
        double[] m = {d / scale, -b / scale, 0, -c / scale, a / scale, 0};
        m[2] += m[0] * -tx + m[1] * -ty;
        m[5] += m[3] * -tx + m[4] * -ty;
        float[] f = new float[6];
        for (int i = 0; i < 6; i++) f[i] = (float) m[i];
        return f;
    }

    /**
     * Each output pixel centre (x, y), measured from the image centre, is mapped by m to the input
     * and sampled as {@code grid_sample} does (align_corners false; nearest rounds half to even),
     * in float like torchvision.
     */
    private static Image warp(Image img, float[] m, Interpolation mode) {
        int h = img.h(), w = img.w();
        float halfW = 0.5f * w, halfH = 0.5f * h;
        Image out = Image.zeros(img.c(), h, w);
        for (int i = 0; i < h; i++) {
            float y = -h * 0.5f + 0.5f + i;
            for (int j = 0; j < w; j++) {
                float x = -w * 0.5f + 0.5f + j;
                float gx = x * (m[0] / halfW) + y * (m[1] / halfW) + m[2] / halfW;
                float gy = x * (m[3] / halfH) + y * (m[4] / halfH) + m[5] / halfH;
                float ix = ((gx + 1) * w - 1) / 2, iy = ((gy + 1) * h - 1) / 2;
                for (int ch = 0; ch < img.c(); ch++) out.set(ch, i, j, sample(img, ch, iy, ix, mode));
            }
        }
        return out;
    }

    private static float sample(Image img, int ch, float iy, float ix, Interpolation mode) {
        if (mode == Interpolation.NEAREST) {
            int y = (int) Math.rint(iy), x = (int) Math.rint(ix);
            return y >= 0 && y < img.h() && x >= 0 && x < img.w() ? img.get(ch, y, x) : 0f;
        }
        int x0 = (int) Math.floor(ix), y0 = (int) Math.floor(iy);
        float fx = ix - x0, fy = iy - y0, s = 0;
        for (int dy = 0; dy <= 1; dy++) {
            for (int dx = 0; dx <= 1; dx++) {
                int y = y0 + dy, x = x0 + dx;
                if (y < 0 || y >= img.h() || x < 0 || x >= img.w()) continue;
                s += (dx == 1 ? fx : 1 - fx) * (dy == 1 ? fy : 1 - fy) * img.get(ch, y, x);
            }
        }
        return s;
    }

    /**
     * The perspective warp that moves the four {@code start} corners (x, y pixel pairs: top-left,
     * top-right, bottom-right, bottom-left) to {@code end}, bilinear, 0 outside, as torchvision's
     * perspective on tensors: the 8 coefficients of the homography from end to start points solved
     * by least squares (here exactly, by elimination), then each output pixel centre mapped back.
     */
    static Image perspective(Image img, int[][] start, int[][] end, Interpolation mode) {
        double[][] a = new double[8][9];
        for (int i = 0; i < 4; i++) {
            double x = end[i][0], y = end[i][1], u = start[i][0], v = start[i][1];
            a[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
            a[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        }
        double[] c = solve(a);
        int h = img.h(), w = img.w();
        float[] t1 = {(float) c[0], (float) c[1], (float) c[2], (float) c[3], (float) c[4], (float) c[5]};
        float c6 = (float) c[6], c7 = (float) c[7];
        float halfW = 0.5f * w, halfH = 0.5f * h;
        Image out = Image.zeros(img.c(), h, w);
        for (int i = 0; i < h; i++) {
            float y = 0.5f + i;
            for (int j = 0; j < w; j++) {
                float x = 0.5f + j;
                float den = x * c6 + y * c7 + 1f;
                float gx = (x * (t1[0] / halfW) + y * (t1[1] / halfW) + t1[2] / halfW) / den - 1f;
                float gy = (x * (t1[3] / halfH) + y * (t1[4] / halfH) + t1[5] / halfH) / den - 1f;
                float ix = ((gx + 1) * w - 1) / 2, iy = ((gy + 1) * h - 1) / 2;
                for (int ch = 0; ch < img.c(); ch++) out.set(ch, i, j, sample(img, ch, iy, ix, mode));
            }
        }
        return out;
    }

    /** Gauss–Jordan elimination with partial pivoting of an n×(n+1) augmented matrix. */
    private static double[] solve(double[][] a) {
        int n = a.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
            if (Math.abs(a[pivot][col]) < 1e-12) throw new IllegalArgumentException("perspective: the corner points are degenerate");
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            for (int r = 0; r < n; r++) {
                if (r == col) continue;
                double f = a[r][col] / a[col][col];
                for (int k = col; k <= n; k++) a[r][k] -= f * a[col][k];
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = a[i][n] / a[i][i];
        return x;
    }
}
