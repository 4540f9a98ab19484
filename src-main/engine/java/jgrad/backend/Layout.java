package jgrad.backend;

import java.util.Arrays;

/**
 * How a tensor's elements sit in its buffer: element (i₀, i₁, …) is at
 * {@code offset + Σ iₖ·strides[k]}. Views (transpose, slice, expand) are new layouts over the same
 * buffer; a stride of 0 repeats an element (broadcasting).
 *
 * @param shape   size of each dimension
 * @param strides step in the buffer per dimension, in elements
 * @param offset  index of element (0, 0, …)
 */
public record Layout(int[] shape, int[] strides, int offset) {

    public Layout {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in rank");
        }
    }

    /** Row-major layout starting at 0: the last dimension has stride 1. */
    public static Layout contiguous(int... shape) {
        return new Layout(shape.clone(), contiguousStrides(shape), 0);
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = step;
            step *= shape[d];
        }
        return strides;
    }

    public int rank() {
        return shape.length;
    }

    /** Number of elements (1 for a scalar, 0 if any dimension is 0). */
    public int size() {
        return sizeOf(shape);
    }

    public static int sizeOf(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2³¹ elements");
        }
        return (int) n;
    }

    /** True when the elements are exactly offset, offset+1, … in row-major order. */
    public boolean isContiguous() {
        int step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != step) return false;
            step *= shape[d];
        }
        return true;
    }

    /** Buffer index of the element with row-major position {@code flat} (0 ≤ flat < size()). */
    public int indexOf(int flat) {
        int index = offset;
        for (int d = shape.length - 1; d >= 0; d--) {
            int extent = shape[d];
            index += (flat % extent) * strides[d];
            flat /= extent;
        }
        return index;
    }

    /** One past the largest buffer index this layout touches (0 for an empty layout). */
    public int extent() {
        if (size() == 0) return 0;
        int last = offset;
        for (int d = 0; d < shape.length; d++) last += (shape[d] - 1) * strides[d];
        return last + 1;
    }

    @Override
    public String toString() {
        return "Layout" + Arrays.toString(shape) + " strides " + Arrays.toString(strides) + " +" + offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && offset == l.offset && Arrays.equals(shape, l.shape)
                && Arrays.equals(strides, l.strides);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(strides)) + offset;
    }
}
