package jgrad.backend.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kernels' op codes and the Java enums cannot drift apart: every constant of UnaryOp, BinaryOp
 * and ReduceOp has a branch in its kernel file, every op a kernel names is an enum constant, and no
 * kernel numbers an op by hand (the host generates the numbers, {@link OpCodes}). Reads the .cl
 * sources as text: no OpenCL device needed.
 */
class OpCodesTest {

    /** The kernel file as the host loads it (kernels-opencl/ is on the classpath under jgrad/opencl/). */
    private static String source(String file) throws IOException {
        try (InputStream in = OpCodesTest.class.getResourceAsStream("/jgrad/opencl/" + file + ".cl")) {
            assertThat(in).as("kernels-opencl/%s.cl on the classpath", file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The code of a kernel file: comments and preprocessor lines removed, so only real uses remain. */
    private static String code(String file) throws IOException {
        String noComments = source(file).replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", "");
        return noComments.lines().filter(l -> !l.stripLeading().startsWith("#")).collect(Collectors.joining("\n"));
    }

    /** The macros with this prefix used in the code, in order of first use. */
    private static Set<String> macrosUsed(String code, String prefix) {
        Set<String> used = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\b" + prefix + "[A-Z0-9_]+\\b").matcher(code);
        while (m.find()) used.add(m.group());
        return used;
    }

    @Test
    void everyEnumConstantHasABranchInItsKernel() throws IOException {
        List<String> missing = new ArrayList<>();
        for (OpCodes.Family f : OpCodes.FAMILIES) {
            Set<String> used = macrosUsed(code(f.file()), f.prefix());
            for (Enum<?> op : f.constants()) {
                if (!used.contains(f.macro(op))) {
                    missing.add(op.getDeclaringClass().getSimpleName() + "." + op.name() + " has no branch in kernels-opencl/"
                            + f.file() + ".cl (no use of " + f.macro(op) + "; the host defines it from the enum)");
                }
            }
        }
        assertThat(missing).as("enum constants that the OpenCL kernels do not implement").isEmpty();
    }

    @Test
    void everyOpAKernelNamesIsAnEnumConstant() throws IOException {
        List<String> unknown = new ArrayList<>();
        for (OpCodes.Family f : OpCodes.FAMILIES) {
            Set<String> known = f.constants().stream().map(f::macro).collect(Collectors.toSet());
            if (f.prefix().equals("U_")) known.add("U_COPY");
            for (String macro : macrosUsed(code(f.file()), f.prefix())) {
                if (!known.contains(macro)) unknown.add(macro + " in kernels-opencl/" + f.file() + ".cl");
            }
        }
        assertThat(unknown).as("op codes the kernels use that no enum constant defines (renamed or removed?)").isEmpty();
    }

    @Test
    void noKernelNumbersAnOpByHand() throws IOException {
        for (String file : List.of("elementwise", "reduce")) {
            List<String> defines = source(file).lines().map(String::strip)
                    .filter(l -> l.matches("#\\s*define\\s+[UBR]_\\w+.*")).toList();
            assertThat(defines).as("hand-numbered op codes in kernels-opencl/%s.cl (OpCodes generates them)", file).isEmpty();
        }
    }

    /** The options define U_RELU as UnaryOp.RELU's ordinal (and so on), the code the host passes at each call. */
    @Test
    void buildOptionsDefineEachOpAsTheCodeTheHostPasses() {
        var options = OpCodes.buildOptions();
        for (OpCodes.Family f : OpCodes.FAMILIES) {
            List<String> flags = List.of(options.get(f.file()).split(" "));
            for (Enum<?> op : f.constants()) {
                assertThat(flags).as("build options of %s.cl", f.file()).contains("-D" + f.macro(op) + "=" + op.ordinal());
            }
        }
        assertThat(options.get("elementwise").split(" ")).contains("-DU_COPY=" + OpCodes.COPY);
        assertThat(OpCodes.COPY).as("copy's code lies outside the ordinals").isNegative();
        assertThat(OpCodes.of(jgrad.backend.UnaryOp.RELU)).isEqualTo(jgrad.backend.UnaryOp.RELU.ordinal());
    }
}
