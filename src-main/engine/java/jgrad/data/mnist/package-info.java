/**
 * MNIST and Fashion-MNIST: the IDX file format ({@link jgrad.data.mnist.Idx}), the datasets
 * ({@link jgrad.data.mnist.MnistDataset}), and getting the files onto the machine
 * ({@link jgrad.data.mnist.MnistFiles}).
 */
package jgrad.data.mnist;
