/**
 * Ready-made networks: {@link jgrad.models.LeNet5}, {@link jgrad.models.Mlp} and a small VGG-style
 * net for Fashion-MNIST ({@link jgrad.models.SmallVgg}).
 */
package jgrad.models;
