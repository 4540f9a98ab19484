package jgrad.tune;

import java.util.Set;

/**
 * One parameter of a search space: its name, distribution and, for a conditional parameter, the
 * choice parameter it depends on and the values of that parameter under which it exists
 * (momentum only when optimizer is sgd or rmsprop).
 */
public record Param(String name, Distribution distribution, String parent, Set<String> parentValues) {
    public Param {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a parameter needs a name");
        if ((parent == null) != (parentValues == null)) throw new IllegalArgumentException(name + ": a condition needs a parameter and values");
        if (parentValues != null) parentValues = Set.copyOf(parentValues);
    }

    public Param(String name, Distribution distribution) {
        this(name, distribution, null, null);
    }

    public boolean conditional() {
        return parent != null;
    }

    public String describe() {
        return name + "=" + distribution.describe() + (parent == null ? "" : " if " + parent + " in " + new java.util.TreeSet<>(parentValues));
    }
}
