package jgrad.models;

import java.util.List;
import jgrad.nn.Flatten;
import jgrad.nn.Linear;
import jgrad.nn.ReLU;
import jgrad.nn.Sequential;
import jgrad.nn.Sigmoid;
import jgrad.tensor.Generator;

/**
 * A multilayer perceptron: Flatten, then Linear + activation per hidden layer, then a Linear output
 * layer (logits). {@code new Mlp(784, List.of(16, 16), 10, "sigmoid", g)} is 3Blue1Brown's network.
 */
public final class Mlp extends Sequential {
    public Mlp(int inputs, List<Integer> hidden, int outputs, String activation, Generator g) {
        add(new Flatten());
        int in = inputs;
        for (int h : hidden) {
            add(new Linear(in, h, true, g));
            add(switch (activation) {
                case "sigmoid" -> new Sigmoid();
                case "relu" -> new ReLU();
                default -> throw new IllegalArgumentException("activation must be sigmoid or relu, got '" + activation + "'");
            });
            in = h;
        }
        add(new Linear(in, outputs, true, g));
    }
}
