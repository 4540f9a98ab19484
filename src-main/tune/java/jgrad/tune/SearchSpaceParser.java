package jgrad.tune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a search space from JSON or YAML (docs/tuning.md, "The search-space file"): an object
 * (a mapping) from parameter name to its definition. The two formats give the same tree
 * ({@link YamlSpaceReader}), checked by the same code, so a space means the same in both and has
 * the same hash.
 *
 * <pre>{@code
 * { "lr":         {"type": "loguniform", "low": 1e-4, "high": 0.3},
 *   "optimizer":  {"type": "choice", "values": ["sgd", "adam"]},
 *   "momentum":   {"type": "uniform", "low": 0.5, "high": 0.99, "when": {"optimizer": ["sgd"]}},
 *   "batch-size": {"type": "choice", "values": [32, 64, 128]},
 *   "epochs":     {"type": "int", "low": 1, "high": 4} }
 * }</pre>
 *
 * Types: uniform, loguniform (float ranges; "grid": points for the grid sampler, 5 by default),
 * int (optionally "log": true), choice ("values": strings or numbers). Strict: every mistake is
 * one line naming the parameter and the problem (malformed JSON with its line and column, an
 * unknown key or type, low &gt; high, a log scale with low ≤ 0, empty or repeated choices, a
 * condition on an unknown or non-choice parameter or with a value it cannot take, a parameter not
 * in {@code known}).
 */
public final class SearchSpaceParser {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> KEYS = Set.of("type", "low", "high", "log", "grid", "values", "when");
    /** Limits that keep a hostile file from costing memory or time: parameters, choices per parameter. */
    static final int MAX_PARAMS = 256, MAX_CHOICES = 1024, MAX_GRID = 1000;

    private SearchSpaceParser() {}

    /** Reads {@code file}, YAML if its name ends in .yaml or .yml, else JSON; errors start with the file's name. */
    public static SearchSpace read(Path file, Set<String> known) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        String text;
        try {
            if (Files.size(file) > 1 << 20) throw new IllegalArgumentException("search space " + file + ": larger than 1 MiB");
            text = Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("search space " + file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("search space " + file + ": not UTF-8 text (a " + (yaml ? "YAML" : "JSON") + " file is expected)");
        } catch (IOException e) {
            throw new IllegalArgumentException("search space " + file + " cannot be read: "
                    + (Files.isDirectory(file) ? "it is a folder" : e.getClass().getSimpleName() + " " + e.getMessage()));
        }
        try {
            return yaml ? parseYaml(text, known) : parse(text, known);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("search space " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses JSON text; {@code known} (null: any) is the set of parameter names allowed. */
    public static SearchSpace parse(String text, Set<String> known) {
        return oneLine(() -> parseTree(jsonTree(text), "a JSON object", known));
    }

    /** Parses YAML text with the same schema as JSON's; {@code known} as in {@link #parse}. */
    public static SearchSpace parseYaml(String text, Set<String> known) {
        return oneLine(() -> parseTree(YamlSpaceReader.read(text), "a YAML mapping", known));
    }

    private static SearchSpace oneLine(java.util.function.Supplier<SearchSpace> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            // names, keys and values come from the file: a "\n" in one must not break the one line
            throw new IllegalArgumentException(escapeControls(e.getMessage()), e);
        }
    }

    /** The message with control characters written as JSON escapes (\n, \t, \u0000). */
    static String escapeControls(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    private static JsonNode jsonTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String what = oneLine(e.getOriginalMessage());
            int source = what.indexOf(" (start marker at [Source");  // Jackson's own location: the line and column above say it
            throw new IllegalArgumentException("malformed JSON" + where + ": " + (source < 0 ? what : what.substring(0, source)));
        }
    }

    /** {@code root} read from either format; {@code object} names what it must be ("a JSON object"). */
    private static SearchSpace parseTree(JsonNode root, String object, Set<String> known) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("the search space must be " + object + " of parameters");
        if (root.isEmpty()) throw new IllegalArgumentException("the search space has no parameters");
        if (root.size() > MAX_PARAMS) throw new IllegalArgumentException("the search space has " + root.size() + " parameters, more than " + MAX_PARAMS);
        List<Param> params = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String name = e.getKey();
            if (known != null && !known.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a parameter that can be tuned (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
            try {
                params.add(param(name, e.getValue()));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException(x.getMessage().startsWith(name + ":") ? x.getMessage() : name + ": " + x.getMessage(), x);
            }
        }
        return new SearchSpace(params);
    }

    private static Param param(String name, JsonNode def) {
        if (!def.isObject()) throw new IllegalArgumentException("must be an object with a \"type\"");
        for (Iterator<String> k = def.fieldNames(); k.hasNext(); ) {
            String key = k.next();
            if (!KEYS.contains(key)) throw new IllegalArgumentException("unknown key '" + key + "' (expected " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
        }
        String type = text(def, "type");
        Distribution d = switch (type) {
            case "uniform", "loguniform" -> {
                only(def, type, "low", "high", "grid", "log");
                boolean log = type.equals("loguniform") || bool(def, "log");
                int grid = def.has("grid") ? (int) integer(def, "grid") : 5;
                if (grid > MAX_GRID) throw new IllegalArgumentException("grid must be at most " + MAX_GRID + ", got " + grid);
                yield new Distribution.FloatRange(number(def, "low"), number(def, "high"), log, grid);
            }
            case "int" -> {
                only(def, type, "low", "high", "log");
                yield new Distribution.IntRange(integer(def, "low"), integer(def, "high"), bool(def, "log"));
            }
            case "choice" -> {
                only(def, type, "values");
                JsonNode vs = def.get("values");
                if (vs == null || !vs.isArray()) throw new IllegalArgumentException("choice needs \"values\": a list");
                if (vs.size() > MAX_CHOICES) throw new IllegalArgumentException("more than " + MAX_CHOICES + " values");
                List<String> choices = new ArrayList<>();
                for (JsonNode v : vs) {
                    if (!(v.isTextual() || v.isNumber() || v.isBoolean())) throw new IllegalArgumentException("values must be strings, numbers or booleans, got " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
                    choices.add(v.asText());
                }
                yield new Distribution.Choice(choices);
            }
            default -> throw new IllegalArgumentException("unknown type '" + type + "' (expected uniform, loguniform, int or choice)");
        };
        JsonNode when = def.get("when");
        if (when == null) return new Param(name, d);
        if (!when.isObject() || when.size() != 1) throw new IllegalArgumentException("\"when\" must be an object with one parameter, e.g. {\"optimizer\": [\"sgd\"]}");
        Map.Entry<String, JsonNode> c = when.properties().iterator().next();
        Set<String> values = new LinkedHashSet<>();
        if (c.getValue().isArray()) {
            for (JsonNode v : c.getValue()) {
                if (!v.isValueNode() || v.isNull()) throw new IllegalArgumentException("\"when\" values must be strings or numbers");
                values.add(v.asText());
            }
        } else if (c.getValue().isValueNode() && !c.getValue().isNull()) {
            values.add(c.getValue().asText());
        } else {
            throw new IllegalArgumentException("\"when\" " + c.getKey() + " must be a value or a list of values");
        }
        if (values.isEmpty()) throw new IllegalArgumentException("\"when\" " + c.getKey() + " has no values");
        if (c.getKey().equals(name)) throw new IllegalArgumentException("a condition on itself");
        return new Param(name, d, c.getKey(), values);
    }

    private static void only(JsonNode def, String type, String... allowed) {
        Set<String> ok = new java.util.HashSet<>(List.of(allowed));
        ok.add("type");
        ok.add("when");
        for (Iterator<String> k = def.fieldNames(); k.hasNext(); ) {
            String key = k.next();
            if (!ok.contains(key)) throw new IllegalArgumentException("key '" + key + "' does not apply to type " + type);
        }
    }

    private static String text(JsonNode def, String key) {
        JsonNode v = def.get(key);
        if (v == null) throw new IllegalArgumentException("missing \"" + key + "\"");
        if (!v.isTextual()) throw new IllegalArgumentException("\"" + key + "\" must be a string");
        return v.asText();
    }

    private static double number(JsonNode def, String key) {
        JsonNode v = def.get(key);
        if (v == null) throw new IllegalArgumentException("missing \"" + key + "\"");
        if (!v.isNumber()) throw new IllegalArgumentException("\"" + key + "\" must be a number, got " + v);
        double d = v.asDouble();
        if (!Double.isFinite(d)) throw new IllegalArgumentException("\"" + key + "\" must be finite, got " + v);
        return d;
    }

    private static long integer(JsonNode def, String key) {
        JsonNode v = def.get(key);
        if (v == null) throw new IllegalArgumentException("missing \"" + key + "\"");
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw new IllegalArgumentException("\"" + key + "\" must be an integer, got " + v);
        long l = v.asLong();
        if (Math.abs(l) > 1L << 40) throw new IllegalArgumentException("\"" + key + "\" is out of range: " + l);
        return l;
    }

    private static boolean bool(JsonNode def, String key) {
        JsonNode v = def.get(key);
        if (v == null) return false;
        if (!v.isBoolean()) throw new IllegalArgumentException("\"" + key + "\" must be true or false, got " + v);
        return v.asBoolean();
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        String line = s.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
