package jgrad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * jmh/pom.xml compiles the units' sources itself (CI does not build it: it would fetch JMH and
 * take a minute), so it must declare every library the engine uses. It once lacked JOCL and
 * JFreeChart after the OpenCL backend and the plots arrived, and the benchmarks stopped building.
 */
class JmhBuildTest {
    /** artifactIds of the dependencies that are not test-scoped. */
    private static List<String> compileDependencies(String pom) {
        if (!pom.contains("<dependencies>")) return List.of();
        String deps = pom.substring(pom.indexOf("<dependencies>"), pom.indexOf("</dependencies>"));
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(deps);
        while (m.find()) {
            String d = m.group(1);
            if (d.contains("<scope>test</scope>")) continue;
            Matcher id = Pattern.compile("<artifactId>(.*?)</artifactId>").matcher(d);
            if (id.find() && !id.group(1).startsWith("jgrad-")) ids.add(id.group(1).trim());  // jgrad's own units: compiled from source
        }
        return ids;
    }

    @Test
    void theBenchmarkBuildDeclaresEveryLibraryTheEngineUses() throws Exception {
        List<String> units = new ArrayList<>();
        for (String pom : List.of("src-main/engine/pom.xml", "src-main/opencl/pom.xml", "mnist-demo/pom.xml", "src-main/cli/pom.xml")) {
            units.addAll(compileDependencies(Files.readString(Path.of(pom))));
        }
        List<String> jmh = compileDependencies(Files.readString(Path.of("jmh/pom.xml")));
        assertThat(units).contains("jocl", "picocli", "jfreechart");
        assertThat(jmh).as("jmh/pom.xml dependencies").containsAll(units);
        String jmhPom = Files.readString(Path.of("jmh/pom.xml"));
        for (String sources : List.of("../src-main/engine/java", "../src-main/opencl/java", "../mnist-demo/java", "../src-main/cli/java")) {
            assertThat(jmhPom).as("jmh/pom.xml compiles " + sources).contains("<source>" + sources + "</source>");
        }
    }

    /** The benchmarks' jar has one services file, so it must register every unit's backends. */
    @Test
    void theBenchmarkBuildRegistersEveryBackend() throws Exception {
        String file = "META-INF/services/jgrad.backend.BackendProvider";
        List<String> providers = new ArrayList<>();
        for (String unit : List.of("src-main/engine/resources/", "src-main/opencl/resources/")) {
            providers.addAll(Files.readAllLines(Path.of(unit + file)).stream().map(String::strip).filter(l -> !l.isEmpty()).toList());
        }
        assertThat(providers).contains("jgrad.backend.reference.ReferenceProvider", "jgrad.backend.opencl.OpenClProvider");
        assertThat(Files.readAllLines(Path.of("jmh/resources/" + file))).as("jmh/resources/" + file).containsAll(providers);
    }
}
