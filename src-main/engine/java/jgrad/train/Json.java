package jgrad.train;

import java.util.Map;

/** Writes a flat JSON object (strings, numbers, booleans) for the {@code --json} summaries. */
public final class Json {
    private Json() {}

    public static String object(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{\n");
        int i = 0;
        for (var e : fields.entrySet()) {
            sb.append("  ").append(quote(e.getKey())).append(": ").append(value(e.getValue()));
            sb.append(++i < fields.size() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    private static String value(Object v) {
        if (v == null) return "null";
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) return v.toString();
        if (v instanceof Float f) return Float.isFinite(f) ? f.toString() : "null";
        if (v instanceof Double d) return Double.isFinite(d) ? d.toString() : "null";
        return quote(v.toString());
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
