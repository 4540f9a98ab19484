package jgrad.models;

import jgrad.nn.BatchNorm2d;
import jgrad.nn.Conv2d;
import jgrad.nn.Dropout;
import jgrad.nn.Flatten;
import jgrad.nn.Linear;
import jgrad.nn.MaxPool2d;
import jgrad.nn.ReLU;
import jgrad.nn.Sequential;
import jgrad.tensor.Generator;

/**
 * A small VGG-style network for 28×28 grey images (Fashion-MNIST): two blocks of two 3×3
 * convolutions with batch norm and ReLU, each block followed by 2×2 max pooling, then a
 * fully connected head with dropout.
 * <pre>
 *   [N, 1, 28, 28] → (conv 3×3 → BN → ReLU) ×2, 32 ch → max pool → [N, 32, 14, 14]
 *                  → (conv 3×3 → BN → ReLU) ×2, 64 ch → max pool → [N, 64, 7, 7]
 *                  → flatten 3136 → fc 128 → ReLU → dropout 0.3 → fc 10
 * </pre>
 */
public final class SmallVgg extends Sequential {
    public SmallVgg(Generator g) {
        super(new Conv2d(1, 32, 3, 1, 1, g), new BatchNorm2d(32), new ReLU(),
                new Conv2d(32, 32, 3, 1, 1, g), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1, g), new BatchNorm2d(64), new ReLU(),
                new Conv2d(64, 64, 3, 1, 1, g), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(64 * 7 * 7, 128, true, g), new ReLU(), new Dropout(0.3f, g),
                new Linear(128, 10, true, g));
    }
}
