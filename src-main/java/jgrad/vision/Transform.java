package jgrad.vision;

import jgrad.tensor.Generator;

/**
 * One step of a data pipeline, as a torchvision transform: an image in, an image out. Random
 * transforms draw from the generator they are given (one per sample and epoch, see
 * {@link ImageDataset}), so the same seed gives the same augmentation whatever the worker count.
 */
@FunctionalInterface
public interface Transform {
    Image apply(Image img, Generator g);
}
