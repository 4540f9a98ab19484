package jgrad.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** YAML search spaces: the JSON schema in YAML's syntax, with YAML's errors at their line and column. */
class SearchSpaceYamlTest {
    /** Every kind, in block and flow style, with a comment and a condition written before its parent. */
    static final String EVERY_KIND = """
            # the kinds of docs/tuning.md
            momentum:
              type: uniform
              low: 0.5
              high: 0.99
              grid: 3
              when: {optimizer: [sgd]}
            lr: {type: loguniform, low: 1.0e-4, high: 0.3}
            epochs: {type: int, low: 1, high: 64, log: true}
            optimizer:
              type: choice
              values: [sgd, adam]
            batch-size: {type: choice, values: [32, 64, 128]}
            nesterov: {type: choice, values: [true, false], when: {optimizer: sgd}}
            """;

    @Test
    void readsEveryKindAndTheCondition() {
        SearchSpace s = SearchSpaceParser.parseYaml(EVERY_KIND, null);
        assertThat(s.params()).extracting(Param::name).containsExactly("lr", "epochs", "optimizer", "batch-size", "nesterov", "momentum");
        assertThat(s.param("momentum").distribution()).isEqualTo(new Distribution.FloatRange(0.5, 0.99, false, 3));
        assertThat(s.param("lr").distribution()).isEqualTo(new Distribution.FloatRange(1e-4, 0.3, true, 5));
        assertThat(s.param("epochs").distribution()).isEqualTo(new Distribution.IntRange(1, 64, true));
        assertThat(s.param("optimizer").distribution()).isEqualTo(new Distribution.Choice(List.of("sgd", "adam")));
        assertThat(s.param("batch-size").distribution()).isEqualTo(new Distribution.Choice(List.of("32", "64", "128")));
        assertThat(s.param("nesterov").distribution()).isEqualTo(new Distribution.Choice(List.of("true", "false")));
        Param m = s.param("momentum");
        assertThat(m.parent()).isEqualTo("optimizer");
        assertThat(m.parentValues()).containsExactly("sgd");
        assertThat(s.active(m, Map.of("optimizer", "adam"))).isFalse();
        assertThat(s.param("nesterov").parentValues()).containsExactly("sgd");
    }

    @Test
    void theSameSpaceInYamlAndJsonIsTheSameSpaceWithTheSameHash() {
        String yaml = """
                lr: {type: loguniform, low: 0.0001, high: 1.0}
                optimizer: {type: choice, values: [sgd, adam]}
                momentum: {type: uniform, low: 0.0, high: 0.99, when: {optimizer: [sgd]}}
                epochs: {type: int, low: 1, high: 6}
                """;
        SearchSpace y = SearchSpaceParser.parseYaml(yaml, null), j = Spaces.trainLike();
        assertThat(y.params()).isEqualTo(j.params());
        assertThat(y.hash()).isEqualTo(j.hash());
        // JSON is YAML 1.2's subset, and what SnakeYAML (1.1) reads of it is the same space
        assertThat(SearchSpaceParser.parseYaml(Spaces.TRAIN_LIKE, null).hash()).isEqualTo(j.hash());
    }

    @ParameterizedTest(name = "{index}: {1}")
    @CsvSource(delimiter = '|', value = {
        "lr: {type: uniform, low: 1, high: [2\\nb: 3                 | malformed YAML at line 2, column 2: expected ',' or ']', but got :",
        "lr:\\n  type: uniform\\n low: 1                              | malformed YAML at line 3, column 2: expected <block end>, but found '<block mapping start>'",
        "lr: {type: uniform, low: 0, high: 1}\\n\\tb: 2                | malformed YAML at line 2, column 1: found character '\\t(TAB)' that cannot start any token",
        "a: {type: uniform, low: 0, high: 1}\\na: {type: int, low: 1, high: 2} | malformed YAML at line 2, column 2: Duplicate field 'a'",
        "a: {type: uniform, low: 0, high: 1}\\n---\\nb: 2              | malformed YAML at line 3, column 1: a second document (one search space per file)",
        "a: &x {type: uniform, low: 0, high: 1}\\nb: *x               | malformed YAML at line 1, column 4: an anchor (&x) is not part of a search space",
        "a: {type: !!str uniform, low: 0, high: 1}                    | malformed YAML at line 1, column 11: a tag (tag:yaml.org,2002:str) is not part of a search space",
        "a: {type: uniform, low: .inf, high: 1}                       | malformed YAML at line 1, column",
        "a: \"\\q\"                                                     | malformed YAML at line 1, column 6: found unknown escape character q(113)",
        "''                                                           | the search space must be a YAML mapping of parameters",
        "- 1\\n- 2                                                    | the search space must be a YAML mapping of parameters",
        "lr: {type: uniform, low: 1, high: 0.1}                       | lr: low 1.0 > high 0.1",
        "o: {type: choice, values: [a, a]}                            | o: choices repeat a value",
        "m: {type: uniform, low: 0, high: 1, when: {opt: sgd}}         | m: condition on unknown parameter 'opt'",
        "lr: {type: uniform, low: '0.1', high: 1}                     | lr: \"low\" must be a number",
    })
    void aBadSpaceIsOneLineWithItsLineAndColumn(String yaml, String message) {
        String text = yaml.equals("''") ? "" : yaml.replace("\\n", "\n").replace("\\t", "\t");
        assertThatThrownBy(() -> SearchSpaceParser.parseYaml(text, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
    }

    @Test
    void anAliasIsRefusedNotReadAsItsName() {
        // Jackson alone reads "b: *x" as b = "x"
        assertThatThrownBy(() -> SearchSpaceParser.parseYaml("a: {type: choice, values: [1]}\nb: *x\n", null))
                .hasMessage("malformed YAML at line 2, column 4: an alias (*x) is not part of a search space; write the value out");
    }

    @Test
    void aParameterThatIsNotATrainOptionIsRefusedByName() {
        assertThatThrownBy(() -> SearchSpaceParser.parseYaml(EVERY_KIND, Set.of("lr", "optimizer", "epochs", "batch-size", "momentum")))
                .hasMessageStartingWith("'nesterov' is not a parameter that can be tuned (known: batch-size, epochs, lr, momentum, optimizer)");
    }

    @Test
    void aFileEndingInYamlOrYmlIsReadAsYamlAndItsErrorsNameTheFile(@TempDir Path dir) throws Exception {
        for (String name : List.of("space.yaml", "space.yml", "SPACE.YML")) {
            Path f = dir.resolve(name);
            Files.writeString(f, EVERY_KIND);
            assertThat(SearchSpaceParser.read(f, null).params()).hasSize(6);
        }
        Path json = dir.resolve("space.json");
        Files.writeString(json, EVERY_KIND);
        assertThatThrownBy(() -> SearchSpaceParser.read(json, null)).hasMessageStartingWith("search space " + json + ": malformed JSON at line 1");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "lr:\n  type: uniform\n  low: [1\n");
        assertThatThrownBy(() -> SearchSpaceParser.read(bad, null)).hasMessageStartingWith("search space " + bad + ": malformed YAML at line 4, column 1");
        Path latin1 = dir.resolve("latin1.yml");
        Files.write(latin1, new byte[] {'a', ':', ' ', (byte) 0xE9});
        assertThatThrownBy(() -> SearchSpaceParser.read(latin1, null)).hasMessage("search space " + latin1 + ": not UTF-8 text (a YAML file is expected)");
    }
}
