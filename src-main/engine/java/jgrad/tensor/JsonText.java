package jgrad.tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader (RFC 8259) for file headers such as safetensors', and the quoting its
 * writers need. The engine has no JSON library; this is all a header needs.
 *
 * <p>Values come back as {@link Map} (insertion-ordered, a repeated key is an error), {@link List},
 * {@link String}, {@link Long} (an integer that fits), {@link Double} (any other number),
 * {@link Boolean} and {@link #NULL}. Strict: no trailing commas, no comments, no leading zeros, no
 * NaN, no unescaped control characters in strings, nothing after the value but whitespace; nesting
 * deeper than {@value #MAX_DEPTH} is refused (no stack overflow from "[[[[…"). Every fault is a
 * {@link Malformed} with the character offset, never another exception.
 *
 * <p>Checked by: {@code jgrad.tensor.JsonTextTest}, and fuzzed through {@code SafetensorsFuzzTest}.
 */
public final class JsonText {
    /** The deepest nesting of arrays and objects accepted. */
    public static final int MAX_DEPTH = 64;
    /** JSON's {@code null} (a Map cannot hold Java's null as a value we can tell apart). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** The text is not JSON; the message says where and why. */
    public static final class Malformed extends Exception {
        Malformed(String what, int at) {
            super(what + " at character " + at);
        }
    }

    private final String s;
    private int i;

    private JsonText(String s) {
        this.s = s;
    }

    /** Parses one JSON value that makes up the whole of {@code text} (whitespace around it allowed). */
    public static Object parse(String text) throws Malformed {
        JsonText p = new JsonText(text);
        p.skipSpace();
        Object v = p.value(0);
        p.skipSpace();
        if (p.i != text.length()) throw p.fault("unexpected text after the value");
        return v;
    }

    /** {@code text} as a JSON string literal, quotes included. */
    public static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    private Object value(int depth) throws Malformed {
        if (i >= s.length()) throw fault("the text ends where a value should be");
        char c = s.charAt(i);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw fault("unexpected character '" + printable(c) + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) throws Malformed {
        if (depth > MAX_DEPTH) throw fault("nested deeper than " + MAX_DEPTH);
        i++;  // '{'
        Map<String, Object> out = new LinkedHashMap<>();
        skipSpace();
        if (peek('}')) {
            i++;
            return out;
        }
        while (true) {
            skipSpace();
            if (!peek('"')) throw fault("expected a key in double quotes");
            int at = i;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            Object v = value(depth);
            if (out.putIfAbsent(key, v) != null) throw new Malformed("the key " + quote(key) + " appears twice", at);
            skipSpace();
            if (peek(',')) {
                i++;
                continue;
            }
            expect('}');
            return out;
        }
    }

    private List<Object> array(int depth) throws Malformed {
        if (depth > MAX_DEPTH) throw fault("nested deeper than " + MAX_DEPTH);
        i++;  // '['
        List<Object> out = new ArrayList<>();
        skipSpace();
        if (peek(']')) {
            i++;
            return out;
        }
        while (true) {
            skipSpace();
            out.add(value(depth));
            skipSpace();
            if (peek(',')) {
                i++;
                continue;
            }
            expect(']');
            return out;
        }
    }

    private String string() throws Malformed {
        i++;  // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) throw fault("a string is not closed");
            char c = s.charAt(i++);
            if (c == '"') return sb.toString();
            if (c < 0x20) throw new Malformed("a control character (code " + (int) c + ") inside a string", i - 1);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) throw fault("a string ends inside an escape");
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) throw fault("a \\u escape needs four hex digits");
                    int code = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(s.charAt(i + k), 16);
                        if (d < 0) throw fault("a \\u escape needs four hex digits");
                        code = code * 16 + d;
                    }
                    i += 4;
                    sb.append((char) code);
                }
                default -> throw new Malformed("unknown escape \\" + printable(e), i - 2);
            }
        }
    }

    private Object number() throws Malformed {
        int start = i;
        if (peek('-')) i++;
        if (peek('0')) {
            i++;
        } else if (i < s.length() && s.charAt(i) >= '1' && s.charAt(i) <= '9') {
            digits();
        } else {
            throw fault("a number needs digits");
        }
        boolean integral = true;
        if (peek('.')) {
            i++;
            integral = false;
            if (digits() == 0) throw fault("a number needs digits after its point");
        }
        if (peek('e') || peek('E')) {
            i++;
            integral = false;
            if (peek('+') || peek('-')) i++;
            if (digits() == 0) throw fault("a number needs digits in its exponent");
        }
        String text = s.substring(start, i);
        if (integral) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooBig) {
                // an integer beyond long: kept as a double, which callers that need an exact count refuse
            }
        }
        return Double.parseDouble(text);
    }

    private int digits() {
        int n = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            n++;
        }
        return n;
    }

    private Object word(String w, Object v) throws Malformed {
        if (!s.startsWith(w, i)) throw fault("unexpected character '" + printable(s.charAt(i)) + "'");
        i += w.length();
        return v;
    }

    private void skipSpace() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            i++;
        }
    }

    private boolean peek(char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    private void expect(char c) throws Malformed {
        if (!peek(c)) throw fault(i >= s.length() ? "the text ends where '" + c + "' should be" : "expected '" + c + "'");
        i++;
    }

    private Malformed fault(String what) {
        return new Malformed(what, i);
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
