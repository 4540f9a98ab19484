package jgrad.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The allowed dependency graph of jgrad's packages, checked on the compiled classes of every unit
 * (this unit's tests see them all). A wrong import fails here with the rule's name and the
 * offending class and line. docs/architecture.md draws the same graph.
 *
 * <p>The Maven modules already keep whole units apart (the engine cannot see picocli, JOCL or the
 * command line: it does not compile); these rules hold inside and across units, where the compiler
 * would not object.
 */
class LayeringTest {
    /** The packages above the engine: the applications, the tuning unit and the OpenCL unit. Everything else under jgrad is the engine. */
    private static final String[] NOT_ENGINE = {"jgrad.cli..", "jgrad.bench..", "jgrad.mnist..", "jgrad.tune..", "jgrad.leaderboard..", "jgrad.backend.opencl.."};
    /** Not calculus: the seam, the backends and the applications. Everything else under jgrad is above the seam. */
    private static final String[] NOT_CALCULUS = {"jgrad.backend..", "jgrad.cli..", "jgrad.bench..", "jgrad.mnist..", "jgrad.tune..", "jgrad.leaderboard.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                // main classes only, whether the units come as folders (a reactor build) or jars (one module built alone)
                .withImportOption(location -> !location.contains("/test-classes/") && !location.contains("-tests.jar"))
                .importPackages("jgrad");
        // the importer must have found every unit, or the rules below would pass vacuously
        for (String c : new String[] {"jgrad.tensor.Tensor", "jgrad.backend.simd.SimdBackend",
            "jgrad.backend.opencl.OpenClBackend", "jgrad.mnist.MnistCommand", "jgrad.tune.Study", "jgrad.leaderboard.BoardServer", "jgrad.cli.Main"}) {
            if (!classes.contain(c)) throw new AssertionError("LayeringTest did not find " + c + " on the classpath; found only " + classes.size() + " classes (can this ArchUnit read this JDK's class files?)");
        }
    }

    @Test
    void onlyTheSimdBackendUsesTheVectorApi() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("jgrad.backend.simd..")
                .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
                .as("only jgrad.backend.simd imports jdk.incubator.vector")
                .because("the Vector API is a kernel detail below the Backend seam (docs/architecture.md)");
        rule.check(classes);
    }

    @Test
    void onlyTheOpenClBackendUsesJocl() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("jgrad.backend.opencl..")
                .should().dependOnClassesThat().resideInAPackage("org.jocl..")
                .as("only jgrad.backend.opencl imports JOCL (org.jocl)")
                .because("the OpenCL binding is one backend's business; the engine runs without it");
        rule.check(classes);
    }

    @Test
    void theCalculusImportsNoBackendImplementation() {
        ArchRule rule = noClasses().that().resideInAPackage("jgrad..").and().resideOutsideOfPackages(NOT_CALCULUS)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "jgrad.backend.reference..", "jgrad.backend.simd..", "jgrad.backend.opencl..")
                .as("calculus packages import no backend implementation, only the seam (jgrad.backend)")
                .because("devices are found through BackendProvider; a derivative is written once for every backend");
        rule.check(classes);
    }

    @Test
    void theEngineImportsNoApplicationCode() {
        ArchRule rule = noClasses().that().resideInAPackage("jgrad..").and().resideOutsideOfPackages(NOT_ENGINE)
                .should().dependOnClassesThat().resideInAnyPackage("jgrad.cli..", "jgrad.bench..", "jgrad.mnist..", "jgrad.tune..", "jgrad.leaderboard..",
                        "jgrad.backend.opencl..", "picocli..", "org.sqlite..", "org.postgresql..", "com.fasterxml.jackson..", "org.yaml..", "org.jfree..", "org.jocl..", "java.sql..", "java.applet..",
                        "javax.swing..", "com.sun.net.httpserver..")
                .as("the engine imports no application code (cli, bench, mnist, tune, leaderboard), no OpenCL backend and no "
                        + "command-line, chart, database, JSON, HTTP or GUI library")
                .because("a library user depends on jgrad-engine alone (EngineAloneTest)");
        rule.check(classes);
    }

    /**
     * The whole graph, layer by layer: each may use only the layers listed. The three packages of
     * the core (tensor, autograd, ops) are one layer because they refer to each other on purpose
     * (see {@link #noCyclesBetweenPackagesButTheCore}).
     */
    @Test
    void packagesDependOnlyAsTheArchitectureAllows() {
        ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInAnyPackage("jgrad..")
                .layer("backend seam").definedBy("jgrad.backend")
                .layer("reference backend").definedBy("jgrad.backend.reference..")
                .layer("simd backend").definedBy("jgrad.backend.simd..")
                .layer("opencl backend").definedBy("jgrad.backend.opencl..")
                .layer("core").definedBy("jgrad.tensor..", "jgrad.autograd..", "jgrad.ops..")
                .layer("nn").definedBy("jgrad.nn..")
                .layer("optim").definedBy("jgrad.optim..")
                .layer("data").definedBy("jgrad.data..")
                .layer("vision").definedBy("jgrad.vision..")
                .layer("metrics").definedBy("jgrad.metrics..")
                .layer("models").definedBy("jgrad.models..")
                .layer("train").definedBy("jgrad.train..")
                .layer("mnist demo").definedBy("jgrad.mnist..")
                .layer("tune").definedBy("jgrad.tune..")
                .layer("leaderboard").definedBy("jgrad.leaderboard..")
                .layer("command line").definedBy("jgrad.cli..", "jgrad.bench..")
                .whereLayer("backend seam").mayNotAccessAnyLayer()
                .whereLayer("reference backend").mayOnlyAccessLayers("backend seam")
                .whereLayer("simd backend").mayOnlyAccessLayers("backend seam", "reference backend")
                .whereLayer("opencl backend").mayOnlyAccessLayers("backend seam")
                .whereLayer("core").mayOnlyAccessLayers("backend seam")
                .whereLayer("nn").mayOnlyAccessLayers("core", "backend seam")
                .whereLayer("optim").mayOnlyAccessLayers("nn", "core", "backend seam")
                .whereLayer("data").mayOnlyAccessLayers("core", "backend seam")
                .whereLayer("vision").mayOnlyAccessLayers("data", "core", "backend seam")
                .whereLayer("metrics").mayOnlyAccessLayers("nn", "core", "backend seam")
                .whereLayer("models").mayOnlyAccessLayers("nn", "core", "backend seam")
                .whereLayer("train").mayOnlyAccessLayers("nn", "optim", "data", "metrics", "core", "backend seam")
                .whereLayer("mnist demo").mayOnlyAccessLayers("train", "models", "metrics", "vision", "data", "optim",
                        "nn", "core", "backend seam")
                // studies, samplers, pruners and storage know nothing of training: the command line joins them
                .whereLayer("tune").mayNotAccessAnyLayer()
                // competitions, scoring, storage and the server know nothing of training: the command line predicts
                .whereLayer("leaderboard").mayNotAccessAnyLayer()
                .whereLayer("command line").mayNotBeAccessedByAnyLayer()
                // a new package must be given a layer here before it can be used at all
                .ensureAllClassesAreContainedInArchitectureIgnoring("jgrad")
                .as("jgrad's packages depend on each other only as docs/architecture.md draws them");
        rule.check(classes);
    }

    /**
     * Cycles between packages are refused, with one named exception: tensor, autograd and ops
     * form the core. {@code Tensor}'s one-line sugar ({@code a.add(b)}) calls the ops, the ops and
     * the engine work on tensors, and {@code Tensor.backward()} calls the engine. Splitting them
     * would cost the reader the sugar or the ops their home; they are checked as one layer above.
     */
    @Test
    void noCyclesBetweenPackagesButTheCore() {
        ArchRule rule = slices().assignedFrom(new CoreAsOneSlice())
                .should().beFreeOfCycles()
                .as("no cycles between jgrad's packages (tensor, autograd and ops count as one: the core)");
        rule.check(classes);
    }

    /** Each package is a slice, except that tensor, autograd and ops are one ("core"). */
    private static final class CoreAsOneSlice implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            String p = c.getPackageName();
            if (!p.startsWith("jgrad")) return SliceIdentifier.ignore();
            if (p.equals("jgrad.tensor") || p.equals("jgrad.autograd") || p.equals("jgrad.ops")) {
                return SliceIdentifier.of("core (tensor, autograd, ops)");
            }
            return SliceIdentifier.of(p);
        }

        @Override
        public String getDescription() {
            return "jgrad's packages, with tensor, autograd and ops as one";
        }
    }
}
