/**
 * The MNIST demo behind {@code ./jgrad mnist}: 3Blue1Brown's 784-16-16-10 network learning digits.
 * Read {@link jgrad.mnist.MnistCommand#train} first: the whole training loop in a screenful.
 */
package jgrad.mnist;
