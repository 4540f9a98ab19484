package jgrad.backend.opencl;

import java.util.Arrays;
import jgrad.backend.Layout;

/**
 * Packs the layouts of one elementwise call into the kernels' {@code view_t} struct (see
 * kernels-opencl/elementwise.cl): {@code rank, size, shape[8], offset[3], stride[3][8]}, 37 ints.
 *
 * <p>Before packing, dimensions of size 1 are dropped and neighbouring dimensions that are
 * contiguous in every operand are merged (stride of the outer = stride of the inner × its size),
 * so a plain contiguous tensor of any rank arrives as rank 1 and the kernel does one division per
 * element instead of one per dimension.
 */
final class Views {
    static final int MAX_RANK = 8;
    static final int INTS = 2 + MAX_RANK + 3 + 3 * MAX_RANK;

    /** The merged shape and strides of up to three operands that share {@code shape}. */
    record Merged(int[] shape, int[][] strides, int[] offsets) {
        int rank() {
            return shape.length;
        }

        int size() {
            return Layout.sizeOf(shape);
        }

        /** True when every operand is one run of consecutive elements: the kernels' fast path. */
        boolean contiguous() {
            if (shape.length == 0) return true;
            if (shape.length > 1) return false;
            for (int[] s : strides) if (s[0] != 1) return false;
            return true;
        }

        int[] pack() {
            if (shape.length > MAX_RANK) {
                throw new IllegalArgumentException("opencl: an elementwise view of shape " + Arrays.toString(shape)
                        + " still has rank " + shape.length + " after merging contiguous dimensions; the kernels take at most "
                        + MAX_RANK);
            }
            int[] v = new int[INTS];
            v[0] = shape.length;
            v[1] = size();
            System.arraycopy(shape, 0, v, 2, shape.length);
            for (int k = 0; k < offsets.length; k++) {
                v[2 + MAX_RANK + k] = offsets[k];
                System.arraycopy(strides[k], 0, v, 2 + MAX_RANK + 3 + k * MAX_RANK, shape.length);
            }
            return v;
        }
    }

    private Views() {}

    /** Merges the layouts (all of the same shape; the first is the output). */
    static Merged merge(Layout... layouts) {
        int[] shape = layouts[0].shape();
        int ops = layouts.length;
        int[] outShape = new int[shape.length];
        int[][] outStrides = new int[ops][shape.length];
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            boolean joins = rank > 0;
            for (int k = 0; k < ops && joins; k++) {
                joins = outStrides[k][rank - 1] == layouts[k].strides()[d] * shape[d];
            }
            if (joins) {
                outShape[rank - 1] *= shape[d];
                for (int k = 0; k < ops; k++) outStrides[k][rank - 1] = layouts[k].strides()[d];
            } else {
                outShape[rank] = shape[d];
                for (int k = 0; k < ops; k++) outStrides[k][rank] = layouts[k].strides()[d];
                rank++;
            }
        }
        int[][] strides = new int[ops][];
        int[] offsets = new int[ops];
        for (int k = 0; k < ops; k++) {
            strides[k] = Arrays.copyOf(outStrides[k], rank);
            offsets[k] = layouts[k].offset();
        }
        return new Merged(Arrays.copyOf(outShape, rank), strides, offsets);
    }
}
