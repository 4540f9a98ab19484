package jgrad.data;

import jgrad.tensor.Tensor;

/** One example: an input tensor and its class label. */
public record Sample(Tensor input, int label) {}
