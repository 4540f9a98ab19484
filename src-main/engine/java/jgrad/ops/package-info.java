/**
 * Differentiable ops: each is a small {@link jgrad.autograd.Function} with its forward (a few
 * {@link jgrad.tensor.Kernels} calls) and, just below it, its backward written with tensor ops and
 * the derivative in a comment. This is where the calculus lives; docs/ops/ derives each one.
 *
 * <p>Read first: {@link jgrad.ops.Elementwise} (the chain rule at its simplest), then
 * {@link jgrad.ops.MatMul} and {@link jgrad.ops.Reductions}.
 */
package jgrad.ops;
