/**
 * The reference backend: single-threaded plain loops, written to be read. It is the oracle that
 * every faster backend is tested against, and it stays forever. {@link jgrad.backend.reference.Composed}
 * defines the fused primitives (softmax, cross-entropy, the LSTM and GRU cells) from plain ones, on
 * any backend; {@link jgrad.backend.reference.ConvLoops} and {@link jgrad.backend.reference.RecurrentLoops}
 * hold the reference's own loops for convolution and pooling and for the recurrent cells.
 */
package jgrad.backend.reference;
