package jgrad.tune;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The parameters a study searches, in an order where each conditional parameter comes after the
 * choice it depends on. A trial's configuration is a map from the active parameters' names to
 * values (Double, Long or String); an inactive parameter (momentum under adam) is absent.
 */
public final class SearchSpace {
    private final List<Param> params;
    private final Map<String, Param> byName = new LinkedHashMap<>();

    /** Checks the parameters: unique names; each condition on a choice parameter, with values among its choices, without cycles. */
    public SearchSpace(List<Param> given) {
        for (Param p : given) {
            if (byName.put(p.name(), p) != null) throw new IllegalArgumentException(p.name() + ": defined twice");
        }
        for (Param p : given) {
            if (!p.conditional()) continue;
            Param parent = byName.get(p.parent());
            if (parent == null) throw new IllegalArgumentException(p.name() + ": condition on unknown parameter '" + p.parent() + "'");
            if (!(parent.distribution() instanceof Distribution.Choice c)) {
                throw new IllegalArgumentException(p.name() + ": condition on '" + p.parent() + "', which is not a choice");
            }
            for (String v : p.parentValues()) {
                if (!c.choices().contains(v)) throw new IllegalArgumentException(p.name() + ": condition value '" + v + "' is not a choice of '" + p.parent() + "' " + c.choices());
            }
        }
        // topological order: roots first, then each parameter after its parent; a cycle is left over
        List<Param> ordered = new ArrayList<>();
        Map<String, Boolean> placed = new HashMap<>();
        while (ordered.size() < given.size()) {
            int before = ordered.size();
            for (Param p : given) {
                if (placed.containsKey(p.name())) continue;
                if (!p.conditional() || placed.containsKey(p.parent())) {
                    ordered.add(p);
                    placed.put(p.name(), true);
                }
            }
            if (ordered.size() == before) {
                Param stuck = given.stream().filter(p -> !placed.containsKey(p.name())).findFirst().orElseThrow();
                throw new IllegalArgumentException(stuck.name() + ": its conditions form a cycle");
            }
        }
        this.params = List.copyOf(ordered);
    }

    public List<Param> params() {
        return params;
    }

    public Param param(String name) {
        return byName.get(name);
    }

    /** Whether {@code p} exists in a configuration whose earlier values are {@code values}. */
    public boolean active(Param p, Map<String, Object> values) {
        if (!p.conditional()) return true;
        Object v = values.get(p.parent());
        return v != null && p.parentValues().contains((String) v);
    }

    /** A configuration: each active parameter, in order, valued by {@code pick}. */
    public Map<String, Object> sample(Function<Param, Object> pick) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Param p : params) {
            if (active(p, values)) values.put(p.name(), pick.apply(p));
        }
        return values;
    }

    /** The space as canonical text: two studies with the same text search the same space. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        params.stream().map(Param::describe).sorted().forEach(d -> s.append(d).append('\n'));
        return s.toString();
    }

    /** A short hash of {@link #describe()}: a study remembers it and refuses another space. */
    public String hash() {
        return sha256(describe());
    }

    /** The hash of a configuration (names sorted, values as text): the same configuration twice has the same hash. */
    public static String hash(Map<String, Object> config) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(config).forEach((k, v) -> s.append(k).append('=').append(v).append(';'));
        return sha256(s.toString());
    }

    private static String sha256(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
