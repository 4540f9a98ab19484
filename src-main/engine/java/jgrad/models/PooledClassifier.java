package jgrad.models;

import jgrad.nn.Module;
import jgrad.nn.Sequential;
import jgrad.tensor.Tensor;

/**
 * The shape VGG and MobileNetV2 share: {@code features} (convolutions) → an average pool → flatten
 * → {@code classifier}, whose last layer is the head. {@link #features(Tensor)} runs everything but
 * the head: transfer learning's fixed feature extractor.
 */
public abstract class PooledClassifier extends Module {
    private final Sequential features;
    private final Module pool;
    private final Sequential classifier;

    /** poolKey: the pool's key among the children (VGG's {@code avgpool}), or null where it has none (a function in torchvision). */
    protected PooledClassifier(Sequential features, String poolKey, Module pool, Sequential classifier) {
        this.features = registerModule("features", features);
        this.pool = poolKey == null ? pool : registerModule(poolKey, pool);
        this.classifier = registerModule("classifier", classifier);
    }

    public Sequential features() {
        return features;
    }

    public Sequential classifier() {
        return classifier;
    }

    /**
     * Everything before the head (the classifier's last layer): the [N, features] rows it
     * classifies (transfer learning's fixed feature extractor).
     */
    public Tensor features(Tensor x) {
        Tensor h = pool.forward(features.forward(x));
        h = h.reshape(h.size(0), -1);
        for (int i = 0; i < classifier.size() - 1; i++) h = classifier.get(i).forward(h);
        return h;
    }

    @Override
    public Tensor forward(Tensor x) {
        return classifier.get(classifier.size() - 1).forward(features(x));
    }
}
