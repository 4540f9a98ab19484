package jgrad.backend.opencl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jgrad.backend.BinaryOp;
import jgrad.backend.ReduceOp;
import jgrad.backend.UnaryOp;

/**
 * The op codes that the kernels switch on, generated from the Java enums. elementwise.cl says
 * {@code case U_RELU:}, and the host compiles it with {@code -DU_RELU=5}, built from
 * {@code UnaryOp.values()}; a call passes {@code UnaryOp.RELU.ordinal()}. Both numbers come from the
 * same enum, so inserting or reordering a constant cannot remap a GPU op, and no .cl file numbers an
 * op by hand.
 *
 * <pre>
 *   family     enum        prefix   kernel file        code
 *   unary      UnaryOp     U_       elementwise.cl     ordinal (U_COPY = −1: copy, no function)
 *   binary     BinaryOp    B_       elementwise.cl     ordinal
 *   reduction  ReduceOp    R_       reduce.cl          ordinal
 * </pre>
 * A constant with no case in its kernel file would reach the kernel's {@code default} (NaN):
 * {@code OpCodesTest} reads the .cl sources and names any constant that has none.
 */
final class OpCodes {
    private OpCodes() {}

    /** The code for copy: map with no function (not a UnaryOp, so outside the ordinals). */
    static final int COPY = -1;

    /** One enum whose constants a kernel file switches on, as {@code <prefix><NAME>}. */
    record Family(String file, String prefix, List<? extends Enum<?>> constants) {
        /** The macro for {@code op} in the kernel source: U_RELU for UnaryOp.RELU. */
        String macro(Enum<?> op) {
            return prefix + op.name();
        }
    }

    static final List<Family> FAMILIES = List.of(
            new Family("elementwise", "U_", List.of(UnaryOp.values())),
            new Family("elementwise", "B_", List.of(BinaryOp.values())),
            new Family("reduce", "R_", List.of(ReduceOp.values())));

    static int of(UnaryOp op) {
        return op.ordinal();
    }

    static int of(BinaryOp op) {
        return op.ordinal();
    }

    static int of(ReduceOp op) {
        return op.ordinal();
    }

    /**
     * The build options that define every op code, per kernel file: for elementwise,
     * {@code -DU_COPY=-1 -DU_NEG=0 -DU_EXP=1 … -DB_ADD=0 …}; for reduce, {@code -DR_SUM=0 -DR_MAX=1 -DR_ARGMAX=2}.
     */
    static Map<String, String> buildOptions() {
        Map<String, StringBuilder> byFile = new LinkedHashMap<>();
        byFile.put("elementwise", new StringBuilder("-DU_COPY=" + COPY));
        for (Family f : FAMILIES) {
            StringBuilder options = byFile.computeIfAbsent(f.file(), k -> new StringBuilder());
            for (Enum<?> op : f.constants()) {
                if (!options.isEmpty()) options.append(' ');
                options.append("-D").append(f.macro(op)).append('=').append(op.ordinal());
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        byFile.forEach((file, options) -> out.put(file, options.toString()));
        return out;
    }
}
