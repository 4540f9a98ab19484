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

    /**
     * A description that changes whenever the output would (e.g. {@code resize(32,32)}), for the
     * disk cache of {@link ImageDataset#cache}; null for random transforms and lambdas, which
     * cannot be cached.
     */
    default String key() {
        return null;
    }

    /** A deterministic transform with its cache key. */
    static Transform keyed(String key, java.util.function.UnaryOperator<Image> f) {
        return new Transform() {
            @Override
            public Image apply(Image img, Generator g) {
                return f.apply(img);
            }

            @Override
            public String key() {
                return key;
            }

            @Override
            public String toString() {
                return key;
            }
        };
    }
}
