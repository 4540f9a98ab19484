/**
 * The dynamic graph. Each differentiable op is a {@link jgrad.autograd.Function} that computes its
 * output and keeps what its backward needs; {@link jgrad.autograd.Engine} walks those functions in
 * reverse topological order. {@link jgrad.autograd.NoGrad} turns recording off;
 * {@link jgrad.autograd.GradCheck} compares any op's backward with central finite differences.
 *
 * <p>Read first: {@link jgrad.autograd.Function}, then {@link jgrad.ops.Elementwise} for examples.
 */
package jgrad.autograd;
