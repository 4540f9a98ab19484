package jgrad.tune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.StringReader;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * A YAML search space as the tree the JSON one gives (the schema is the same; {@link SearchSpaceParser}
 * checks it). Two passes: SnakeYAML's event stream first, for syntax errors with their line and
 * column and to refuse what the schema has no use for and Jackson would misread (an alias
 * {@code *x} comes back from Jackson as the string "x", and a tag such as {@code !!binary} changes a
 * value's type); then Jackson's YAML reader builds the tree, refusing a duplicate key or a second
 * document. YAML 1.1's scalars apply: {@code yes}, {@code no}, {@code on}, {@code off} are
 * booleans, {@code 012} is octal; quote them to mean text.
 */
final class YamlSpaceReader {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private YamlSpaceReader() {}

    /** The document's tree; a one-line IllegalArgumentException ("malformed YAML at line L, column C: ...") if it is not one. */
    static JsonNode read(String text) {
        try {
            for (Event e : new Yaml().parse(new StringReader(text))) {
                if (e instanceof AliasEvent a) throw refused("an alias (*" + a.getAnchor() + ")", e.getStartMark());
                if (e instanceof NodeEvent n && n.getAnchor() != null) throw refused("an anchor (&" + n.getAnchor() + ")", e.getStartMark());
                String tag = e instanceof ScalarEvent s ? s.getTag() : e instanceof CollectionStartEvent c ? c.getTag() : null;
                if (tag != null) throw refused("a tag (" + tag + ")", e.getStartMark());
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new IllegalArgumentException("malformed YAML" + at(m) + ": " + firstLine(e.getProblem() != null ? e.getProblem() : e.getContext()));
        } catch (YAMLException e) {
            throw new IllegalArgumentException("malformed YAML: " + firstLine(e.getMessage()));
        }
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String what = firstLine(e.getOriginalMessage());
            if (what.startsWith("Trailing token")) what = "a second document (one search space per file)";
            throw new IllegalArgumentException("malformed YAML" + where + ": " + what);
        }
    }

    private static IllegalArgumentException refused(String what, Mark m) {
        return new IllegalArgumentException("malformed YAML" + at(m) + ": " + what + " is not part of a search space; write the value out");
    }

    /** SnakeYAML's marks count from 0; people count from 1. */
    private static String at(Mark m) {
        return m == null ? "" : " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        String line = s.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
