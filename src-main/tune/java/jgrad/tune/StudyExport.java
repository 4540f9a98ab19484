package jgrad.tune;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A study's trials as JSON (the study, then each trial with its state, value, seconds, attempts,
 * parameters and reported values) or CSV (one row per trial, one column per parameter, empty
 * where a parameter was not active).
 */
public final class StudyExport {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private StudyExport() {}

    public static String json(Study study, String metric) {
        ObjectNode root = JSON.createObjectNode();
        root.put("study", study.name());
        root.put("metric", metric);
        root.put("direction", study.direction().name().toLowerCase(Locale.ROOT));
        root.put("seed", study.seed());
        root.put("sampler", study.sampler().name());
        root.put("pruner", study.pruner().name());
        List<FrozenTrial> trials = study.trials();
        study.best().ifPresent(b -> root.put("best_trial", b.number()));
        ArrayNode arr = root.putArray("trials");
        for (FrozenTrial t : trials) {
            ObjectNode o = arr.addObject();
            o.put("number", t.number());
            o.put("state", t.state().name());
            if (Double.isNaN(t.value())) o.putNull("value");
            else o.put("value", t.value());
            o.put("seconds", t.seconds());
            o.put("attempts", t.attempts());
            ObjectNode p = o.putObject("params");
            t.params().forEach((k, v) -> {
                switch (v) {
                    case Double d -> p.put(k, d);
                    case Long l -> p.put(k, l);
                    default -> p.put(k, v.toString());
                }
            });
            ObjectNode iv = o.putObject("intermediate");
            t.intermediate().forEach((step, v) -> {
                if (Double.isNaN(v)) iv.putNull(step.toString());
                else iv.put(step.toString(), v);
            });
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String csv(Study study) {
        List<FrozenTrial> trials = study.trials();
        TreeSet<String> names = new TreeSet<>();
        for (Param p : study.space().params()) names.add(p.name());
        StringBuilder s = new StringBuilder("number,state,value,seconds,attempts");
        for (String n : names) s.append(',').append(cell(n));
        s.append('\n');
        for (FrozenTrial t : trials) {
            s.append(t.number()).append(',').append(t.state()).append(',').append(Double.isNaN(t.value()) ? "" : Double.toString(t.value()))
                    .append(',').append(String.format(Locale.ROOT, "%.3f", t.seconds())).append(',').append(t.attempts());
            Map<String, Object> p = t.params();
            for (String n : names) s.append(',').append(p.containsKey(n) ? cell(p.get(n).toString()) : "");
            s.append('\n');
        }
        return s.toString();
    }

    private static String cell(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
