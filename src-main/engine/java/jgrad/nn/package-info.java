/**
 * Neural-network building blocks with PyTorch's names: {@link jgrad.nn.Module}, {@link jgrad.nn.Linear},
 * {@link jgrad.nn.Sequential}, activations, and losses.
 *
 * <p>Read first: {@link jgrad.nn.Linear} (3Blue1Brown's z = W·a + b), then {@link jgrad.nn.Module}.
 */
package jgrad.nn;
