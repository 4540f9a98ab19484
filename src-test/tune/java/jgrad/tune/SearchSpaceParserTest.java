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

class SearchSpaceParserTest {
    @Test
    void readsEveryKindAndTheCondition() {
        SearchSpace s = Spaces.trainLike();
        assertThat(s.params()).extracting(Param::name).containsExactly("lr", "optimizer", "momentum", "epochs");
        assertThat(s.param("lr").distribution()).isEqualTo(new Distribution.FloatRange(0.0001, 1.0, true, 5));
        assertThat(s.param("epochs").distribution()).isEqualTo(new Distribution.IntRange(1, 6, false));
        assertThat(s.param("optimizer").distribution()).isEqualTo(new Distribution.Choice(List.of("sgd", "adam")));
        Param m = s.param("momentum");
        assertThat(m.parent()).isEqualTo("optimizer");
        assertThat(m.parentValues()).containsExactly("sgd");
        assertThat(s.active(m, Map.of("optimizer", "adam"))).isFalse();
        assertThat(s.active(m, Map.of("optimizer", "sgd"))).isTrue();
    }

    @Test
    void aConditionalParameterMayComeBeforeItsParentInTheFile() {
        SearchSpace s = SearchSpaceParser.parse("""
                {"momentum": {"type": "uniform", "low": 0, "high": 1, "when": {"optimizer": "sgd"}},
                 "optimizer": {"type": "choice", "values": ["sgd", "adam"]},
                 "batch-size": {"type": "choice", "values": [32, 64]}}""", null);
        assertThat(s.params()).extracting(Param::name).containsExactly("optimizer", "batch-size", "momentum");
        assertThat(((Distribution.Choice) s.param("batch-size").distribution()).choices()).containsExactly("32", "64");
    }

    @Test
    void theSameSpaceHasTheSameHashAndAnotherAnother() {
        assertThat(Spaces.trainLike().hash()).isEqualTo(Spaces.trainLike().hash());
        assertThat(SearchSpaceParser.parse(Spaces.TRAIN_LIKE.replace("0.99", "0.98"), null).hash()).isNotEqualTo(Spaces.trainLike().hash());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"lr\": {\"type\": \"uniform\", \"low\": 1, \"high\": 0.1}}                    | lr: low 1.0 > high 0.1",
        "{\"lr\": {\"type\": \"loguniform\", \"low\": 0, \"high\": 1}}                   | lr: log scale needs low > 0, got 0.0",
        "{\"n\": {\"type\": \"int\", \"low\": 0, \"high\": 9, \"log\": true}}            | n: log scale needs low > 0, got 0",
        "{\"o\": {\"type\": \"choice\", \"values\": []}}                                 | o: choices must not be empty",
        "{\"o\": {\"type\": \"choice\", \"values\": [\"a\", \"a\"]}}                     | o: choices repeat a value",
        "{\"lr\": {\"type\": \"uniform\", \"low\": 1}}                                   | lr: missing \"high\"",
        "{\"lr\": {\"type\": \"gaussian\", \"low\": 1, \"high\": 2}}                     | lr: unknown type 'gaussian'",
        "{\"lr\": {\"type\": \"uniform\", \"low\": 1, \"hihg\": 2}}                      | lr: unknown key 'hihg'",
        "{\"lr\": {\"type\": \"uniform\", \"low\": \"a\", \"high\": 2}}                  | lr: \"low\" must be a number",
        "{\"n\": {\"type\": \"int\", \"low\": 1.5, \"high\": 2}}                         | n: \"low\" must be an integer",
        "{\"lr\": {\"type\": \"uniform\", \"low\": 1, \"high\": 2, \"values\": [1]}}     | lr: key 'values' does not apply to type uniform",
        "{\"m\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1, \"when\": {\"opt\": \"sgd\"}}} | m: condition on unknown parameter 'opt'",
        "{\"lr\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1}, \"m\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1, \"when\": {\"lr\": \"1\"}}} | m: condition on 'lr', which is not a choice",
        "{\"o\": {\"type\": \"choice\", \"values\": [\"sgd\"]}, \"m\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1, \"when\": {\"o\": \"adam\"}}} | m: condition value 'adam' is not a choice of 'o'",
        "{\"a\": {\"type\": \"choice\", \"values\": [\"x\"], \"when\": {\"b\": \"x\"}}, \"b\": {\"type\": \"choice\", \"values\": [\"x\"], \"when\": {\"a\": \"x\"}}} | a: its conditions form a cycle",
        "{\"lr\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1}, \"lr\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1}} | malformed JSON at line 1",
        "{\"lr\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1}                        | malformed JSON at line 1",
        "{}                                                                              | the search space has no parameters",
        "[1, 2]                                                                          | the search space must be a JSON object",
        "{\"lr\": 0.1}                                                                   | lr: must be an object with a \"type\"",
    })
    void aBadSpaceIsOneLineNamingTheParameterAndTheProblem(String json, String message) {
        assertThatThrownBy(() -> SearchSpaceParser.parse(json, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).as("one line").doesNotContain("\n"));
    }

    /** Found by Jazzer: a key "wh\n" was echoed with its newline (the seed newline-in-a-key). */
    @Test
    void controlCharactersInNamesAndKeysAreEscapedInTheMessage() {
        assertThatThrownBy(() -> SearchSpaceParser.parse("{\"a\\nb\": {\"type\": \"uniform\", \"low\": 0, \"high\": 1, \"wh\\n\": 1}}", null))
                .hasMessageStartingWith("a\\nb: unknown key 'wh\\n'");
    }

    @Test
    void aParameterThatIsNotATrainOptionIsRefusedByName() {
        assertThatThrownBy(() -> Spaces.trainLike(Set.of("lr", "optimizer", "epochs")))
                .hasMessageStartingWith("'momentum' is not a parameter that can be tuned (known: epochs, lr, optimizer)");
    }

    @Test
    void aFileErrorNamesTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("space.json");
        Files.writeString(f, "{\"lr\": {\"type\": \"uniform\", \"low\": 2, \"high\": 1}}");
        assertThatThrownBy(() -> SearchSpaceParser.read(f, null)).hasMessage("search space " + f + ": lr: low 2.0 > high 1.0");
        assertThatThrownBy(() -> SearchSpaceParser.read(dir.resolve("none.json"), null)).hasMessage("search space " + dir.resolve("none.json") + ": no such file");
        assertThatThrownBy(() -> SearchSpaceParser.read(dir, null)).hasMessage("search space " + dir + " cannot be read: it is a folder");
        Path unclosed = dir.resolve("unclosed.json");
        Files.writeString(unclosed, "{\"lr\": {\"x\": [[[");
        assertThatThrownBy(() -> SearchSpaceParser.read(unclosed, null)).hasMessageStartingWith("search space " + unclosed + ": malformed JSON at line 1")
                .hasMessageNotContaining("Source");
        Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
        assertThatThrownBy(() -> SearchSpaceParser.read(latin1, null)).hasMessage("search space " + latin1 + ": not UTF-8 text (a JSON file is expected)");
    }
}
