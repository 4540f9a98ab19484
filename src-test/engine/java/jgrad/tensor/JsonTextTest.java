package jgrad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict JSON reader: values, escapes, numbers, and the faults it must refuse. */
class JsonTextTest {
    @Test
    @SuppressWarnings("unchecked")
    void parsesNestedValuesInOrder() throws JsonText.Malformed {
        Object v = JsonText.parse(" {\"b\": [1, -2.5e3, true, null, \"x\\u00e9\\n\"], \"a\": {}} ");
        assertThat(v).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("b", "a");
        assertThat((List<Object>) m.get("b")).containsExactly(1L, -2500.0, true, JsonText.NULL, "xé\n");
        assertThat(JsonText.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(JsonText.parse("92233720368547758070")).isInstanceOf(Double.class);  // past long: not an exact count
    }

    @Test
    void quoteRoundTrips() throws JsonText.Malformed {
        String s = "a\"b\\c\nd\te\u0001é";
        assertThat(JsonText.parse(JsonText.quote(s))).isEqualTo(s);
    }

    @Test
    void refusesWhatStrictJsonRefuses() {
        for (String bad : new String[] {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", ".5", "1e", "NaN", "'a'", "{a:1}", "\"\u0001\"",
            "\"\\x\"", "\"\\u12\"", "[1] 2", "tru", "{\"a\" 1}", "\"open"}) {
            assertThatThrownBy(() -> JsonText.parse(bad)).as("'%s'", bad).isInstanceOf(JsonText.Malformed.class)
                    .hasMessageContaining("at character");
        }
    }

    @Test
    void deepNestingIsAFaultNotAStackOverflow() {
        assertThatThrownBy(() -> JsonText.parse("[".repeat(100_000))).isInstanceOf(JsonText.Malformed.class).hasMessageContaining("deeper");
        String ok = "[".repeat(JsonText.MAX_DEPTH) + "]".repeat(JsonText.MAX_DEPTH);
        assertThat(catchMalformed(ok)).isNull();
    }

    private static JsonText.Malformed catchMalformed(String s) {
        try {
            JsonText.parse(s);
            return null;
        } catch (JsonText.Malformed e) {
            return e;
        }
    }
}
