package jgrad;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library user needs the engine alone: a small program that trains an MLP is compiled and run
 * in a fresh JVM whose classpath holds the engine's classes and the program, and nothing else (no
 * JUnit, picocli, JOCL or JFreeChart). The engine's Maven module has no dependency at all, so this
 * also shows that its jar is all a user adds.
 */
class EngineAloneTest {
    private static final String PROGRAM = """
            import jgrad.nn.*;
            import jgrad.optim.SGD;
            import jgrad.tensor.*;

            public class TinyMlp {
                public static void main(String[] args) {
                    Tensor x = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
                    Tensor y = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);
                    Generator g = new Generator(7);
                    Sequential net = new Sequential(new Linear(2, 8, true, g), new Tanh(), new Linear(8, 1, true, g), new Sigmoid());
                    SGD opt = new SGD(net.parameters(), 0.5f, 0.9f, 0f);
                    MSELoss mse = new MSELoss();
                    float loss = 0;
                    for (int step = 0; step < 300; step++) {
                        opt.zeroGrad();
                        Tensor c = mse.forward(net.forward(x), y);
                        c.backward();
                        opt.step();
                        loss = c.item();
                    }
                    System.out.println("backend " + Device.cpu().backend().name());
                    System.out.println("loss " + loss);
                }
            }
            """;

    /** Where the engine's compiled classes are (target/engine/classes). */
    private static Path engineClasses() throws URISyntaxException {
        return Path.of(Tensor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<String> run(Path dir, boolean vectorApi) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (vectorApi) cmd.add("--add-modules=jdk.incubator.vector");
        cmd.addAll(List.of("-cp", engineClasses() + java.io.File.pathSeparator + dir, "TinyMlp"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("CLASSPATH");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("exit status; output:%n%s", out).isZero();
        return out.lines().filter(l -> !l.startsWith("WARNING")).toList();
    }

    @Test
    void aSmallProgramTrainsAnMlpWithTheEngineAloneOnItsClasspath(@TempDir Path dir) throws Exception {
        Path engine = engineClasses();
        assertThat(engine.toString()).as("the engine's classes, not a jar with everything").contains("engine");
        Files.writeString(dir.resolve("TinyMlp.java"), PROGRAM);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-cp", engine.toString(), "-d", dir.toString(), dir.resolve("TinyMlp.java").toString());
        assertThat(rc).as("javac against the engine alone").isZero();

        List<String> withSimd = run(dir, true);
        assertThat(withSimd).anyMatch(l -> l.startsWith("backend simd") || l.startsWith("backend reference"));
        float loss = Float.parseFloat(withSimd.stream().filter(l -> l.startsWith("loss ")).findFirst().orElseThrow().substring(5));
        assertThat(loss).as("XOR learned: %s", withSimd).isLessThan(0.01f);

        // without the Vector API module the engine still runs, on the reference backend
        List<String> plain = run(dir, false);
        assertThat(plain).as("without --add-modules jdk.incubator.vector").contains("backend reference");
        float plainLoss = Float.parseFloat(plain.stream().filter(l -> l.startsWith("loss ")).findFirst().orElseThrow().substring(5));
        assertThat(plainLoss).isLessThan(0.01f);
    }

    @Test
    void theEngineModuleDeclaresAndInheritsOnlyTestDependencies() throws IOException {
        // its own dependencies are for its tests alone (Jazzer, for the parsers' fuzz tests): nothing reaches a user
        String pom = Files.readString(Path.of("src-main/engine/pom.xml"));
        java.util.regex.Matcher own = java.util.regex.Pattern.compile("(?s)<dependency>(.*?)</dependency>").matcher(pom);
        while (own.find()) {
            assertThat(own.group(1)).as("a dependency of src-main/engine/pom.xml").contains("<scope>test</scope>");
        }
        // the parent's own <dependencies> (not its dependencyManagement) reach every unit: test scope only
        String parent = Files.readString(Path.of("pom.xml")).replaceAll("(?s)<dependencyManagement>.*?</dependencyManagement>", "");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?s)<dependency>(.*?)</dependency>").matcher(parent);
        int n = 0;
        while (m.find()) {
            n++;
            assertThat(m.group(1)).as("a dependency every unit inherits from pom.xml").contains("<scope>test</scope>");
        }
        assertThat(n).as("JUnit and AssertJ").isGreaterThanOrEqualTo(2);
    }
}
