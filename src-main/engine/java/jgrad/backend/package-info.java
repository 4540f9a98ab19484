/**
 * The seam between calculus and kernels. Everything above this package (tensor, autograd, ops, nn)
 * is plain Java with the math; everything below it implements {@link jgrad.backend.Backend}: a short
 * list of primitives with no calculus in them.
 *
 * <p>Read first: {@link jgrad.backend.Backend}, then {@link jgrad.backend.Layout} (how a strided view
 * is described to a kernel), then {@link jgrad.backend.reference.ReferenceBackend}, the plain loops
 * every faster backend is tested against.
 */
package jgrad.backend;
