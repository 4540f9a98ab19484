/**
 * Feeding data to a model: a {@link jgrad.data.Dataset} gives samples by index, a
 * {@link jgrad.data.DataLoader} groups them into shuffled mini-batches. MNIST lives in
 * {@code jgrad.data.mnist}.
 */
package jgrad.data;
