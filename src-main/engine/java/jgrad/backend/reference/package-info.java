/**
 * The reference backend: single-threaded plain loops, written to be read. It is the oracle that
 * every faster backend is tested against, and it stays forever. {@link jgrad.backend.reference.Composed}
 * defines the fused row-wise primitives (softmax, cross-entropy) from plain ones, on any backend.
 */
package jgrad.backend.reference;
