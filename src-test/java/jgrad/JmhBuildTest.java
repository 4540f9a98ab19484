package jgrad;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * jmh/pom.xml compiles the engine's sources itself (CI does not build it: it would fetch JMH and
 * take a minute), so it must declare every library the engine uses. It once lacked JOCL and
 * JFreeChart after the OpenCL backend and the plots arrived, and the benchmarks stopped building.
 */
class JmhBuildTest {
    /** artifactIds of the dependencies that are not test-scoped. */
    private static List<String> compileDependencies(String pom) {
        String deps = pom.substring(pom.indexOf("<dependencies>"), pom.indexOf("</dependencies>"));
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(deps);
        while (m.find()) {
            String d = m.group(1);
            if (d.contains("<scope>test</scope>")) continue;
            Matcher id = Pattern.compile("<artifactId>(.*?)</artifactId>").matcher(d);
            if (id.find()) ids.add(id.group(1).trim());
        }
        return ids;
    }

    @Test
    void theBenchmarkBuildDeclaresEveryLibraryTheEngineUses() throws Exception {
        List<String> engine = compileDependencies(Files.readString(Path.of("pom.xml")));
        List<String> jmh = compileDependencies(Files.readString(Path.of("jmh/pom.xml")));
        assertThat(engine).contains("jocl", "picocli");
        assertThat(jmh).as("jmh/pom.xml dependencies").containsAll(engine);
    }
}
