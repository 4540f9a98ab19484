package jgrad.models;

import jgrad.nn.Conv2d;
import jgrad.nn.Flatten;
import jgrad.nn.Linear;
import jgrad.nn.MaxPool2d;
import jgrad.nn.ReLU;
import jgrad.nn.Sequential;
import jgrad.tensor.Generator;

/**
 * LeNet-5 for 28×28 grey images (the modern variant with ReLU and max pooling):
 * <pre>
 *   [N, 1, 28, 28] → conv 1→6, 5×5, pad 2 → ReLU → max pool 2  → [N, 6, 14, 14]
 *                  → conv 6→16, 5×5      → ReLU → max pool 2  → [N, 16, 5, 5]
 *                  → flatten 400 → fc 120 → ReLU → fc 84 → ReLU → fc 10 (logits)
 * </pre>
 * 61,706 parameters.
 */
public final class LeNet5 extends Sequential {
    public LeNet5(Generator g) {
        super(new Conv2d(1, 6, 5, 1, 2, g), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5, 1, 0, g), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(400, 120, true, g), new ReLU(),
                new Linear(120, 84, true, g), new ReLU(),
                new Linear(84, 10, true, g));
    }
}
