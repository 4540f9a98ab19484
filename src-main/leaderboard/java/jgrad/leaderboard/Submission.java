package jgrad.leaderboard;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

import java.util.Iterator;

import java.util.Set;

/**
 * A submission's body, as the API takes it (docs/leaderboard.md, "The API"):
 * <pre>  {"predictions": [7, 2, 1, ...], "config": {"lr": 0.05, ...}, "note": "lenet, 3 epochs"}</pre>
 * {@code predictions}: exactly n integers, each a class 0..classes−1, in test-set order;
 * {@code config}: optional, a JSON object of at most {@value #MAX_CONFIG} characters;
 * {@code note}: optional text of at most {@value #MAX_NOTE} characters. Nothing else: an unknown
 * field (such as a participant's name) is refused. Every refusal is an {@link ApiError} 400 whose
 * one-line message names the field, the index or the position.
 */
public record Submission(int[] predictions, String config, String note) {
    public static final int MAX_CONFIG = 4096, MAX_NOTE = 500;
    private static final Set<String> FIELDS = Set.of("predictions", "config", "note");

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    /** Parses and checks a body for a competition of {@code n} test items and {@code classes} classes. */
    public static Submission parse(byte[] body, int n, int classes) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new ApiError(400, "malformed JSON" + (at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr()) + ": "
                    + shorten(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ApiError(400, "unreadable body: " + shorten(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) throw new ApiError(400, "empty body: expected a JSON object with \"predictions\"");
        if (!root.isObject()) throw new ApiError(400, "the body must be a JSON object with \"predictions\", got " + kind(root));
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new ApiError(400, "unknown field \"" + shorten(f) + "\": a submission has predictions, config and note");
        }
        JsonNode p = root.get("predictions");
        if (p == null) throw new ApiError(400, "no \"predictions\": expected an array of " + n + " labels");
        if (!p.isArray()) throw new ApiError(400, "\"predictions\" must be an array of " + n + " labels, got " + kind(p));
        if (p.size() != n) throw new ApiError(400, "\"predictions\" has " + p.size() + " labels, the test set has " + n);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = label(p.get(i), i, classes);
        String config = "{}";
        JsonNode c = root.get("config");
        if (c != null && !c.isNull()) {
            if (!c.isObject()) throw new ApiError(400, "\"config\" must be a JSON object, got " + kind(c));
            config = c.toString();
            if (config.length() > MAX_CONFIG) throw new ApiError(400, "\"config\" is " + config.length() + " characters, more than " + MAX_CONFIG);
        }
        String note = "";
        JsonNode t = root.get("note");
        if (t != null && !t.isNull()) {
            if (!t.isTextual()) throw new ApiError(400, "\"note\" must be text, got " + kind(t));
            note = t.textValue();
            if (note.length() > MAX_NOTE) throw new ApiError(400, "\"note\" is " + note.length() + " characters, more than " + MAX_NOTE);
        }
        return new Submission(labels, config, note);
    }

    private static int label(JsonNode v, int i, int classes) {
        if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0 && v.intValue() < classes) return v.intValue();
        String shown = shorten(v.toString());
        if (v.isIntegralNumber() || v.isNumber() && v.asDouble() == Math.rint(v.asDouble())) {
            throw new ApiError(400, "prediction " + i + " is " + shown + ", not a class in 0.." + (classes - 1));
        }
        throw new ApiError(400, "prediction " + i + " is " + shown + ", not an integer class in 0.." + (classes - 1));
    }

    /** The JSON body for these predictions, config (a JSON object's text, or null) and note (or null). */
    public static byte[] body(int[] predictions, String config, String note) {
        var o = JSON.createObjectNode();
        var a = o.putArray("predictions");
        for (int p : predictions) a.add(p);
        if (config != null) {
            try {
                JsonNode c = JSON.readTree(config);
                if (c == null || !c.isObject()) throw new IllegalArgumentException("--config must be a JSON object, got: " + shorten(config));
                o.set("config", c);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("--config is not JSON: " + shorten(e.getOriginalMessage()));
            }
        }
        if (note != null) o.put("note", note);
        return o.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** One line, at most 80 characters. */
    static String shorten(String s) {
        if (s == null) return "";
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= 80 ? one : one.substring(0, 77) + "...";
    }

}
