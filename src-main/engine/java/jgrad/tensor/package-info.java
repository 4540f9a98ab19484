/**
 * Tensors: n-dimensional float32 arrays with shape and strides, living on a {@link jgrad.tensor.Device}.
 *
 * <p>Read first: {@link jgrad.tensor.Tensor} (the user-facing type and its one-line sugar), then
 * {@link jgrad.tensor.Kernels} (how a tensor op becomes backend calls: broadcasting, views, reduction
 * axes, matmul's transpose flags). Differentiable ops live in {@code jgrad.ops}; the graph in
 * {@code jgrad.autograd}.
 */
package jgrad.tensor;
