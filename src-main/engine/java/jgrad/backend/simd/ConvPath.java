package jgrad.backend.simd;

import jgrad.backend.Conv2dShape;

/**
 * Which convolution loop runs a shape. {@code -Djgrad.conv.path=gemm|direct|implicit|winograd} forces one
 * (where it applies) so the paths can be compared in one build; {@code auto} (the default) takes the
 * one measured fastest for the shape (docs/performance.md#convolutions):
 * <ul>
 *   <li>{@link ImplicitConv} whenever the taps (C·R·S, or K·R·S for the input gradient) fit in
 *       {@link ImplicitConv#MAX_TAPS}: LeNet's layers and other small-channel ones;</li>
 *   <li>{@link ConvGemm} (im2col + GEMM) for wide layers, where the packed GEMM's cache blocking
 *       matters more than the copy;</li>
 *   <li>{@link Winograd} F(4×4, 3×3) for 3×3 stride-1 layers 32 channels wide or wider, all three
 *       passes, a quarter of the multiplications;</li>
 *   <li>{@link SmallMapConv} for the forward pass and input gradient of wide layers on maps of a few pixels, where
 *       most of im2col's taps fall on the padding: one GEMM per tap over the pairs inside;</li>
 *   <li>{@link DirectConv} (vectorised along output rows) only when forced: the implicit GEMM
 *       replaced it on every shape measured.</li>
 * </ul>
 */
enum ConvPath {
    GEMM, DIRECT, IMPLICIT, WINOGRAD, SMALL_MAP;

    private static final String FORCED = System.getProperty("jgrad.conv.path", "auto");

    static ConvPath forward(Conv2dShape g) {
        return switch (FORCED) {
            case "gemm" -> GEMM;
            case "direct" -> DirectConv.suits(g) ? DIRECT : GEMM;
            case "winograd" -> Winograd.fits(g) ? WINOGRAD : GEMM;
            default -> FORCED.equals("implicit") || ImplicitConv.suits(g) && !Winograd.suits(g) ? IMPLICIT
                    : Winograd.suits(g) ? WINOGRAD : SmallMapConv.suits(g) ? SMALL_MAP : GEMM;
        };
    }

    static ConvPath inputGrad(Conv2dShape g) {
        return switch (FORCED) {
            case "gemm", "direct" -> GEMM;
            case "implicit" -> ImplicitConv.canInputGrad(g) ? IMPLICIT : GEMM;
            case "winograd" -> Winograd.fits(g) ? WINOGRAD : GEMM;
            default -> Winograd.suits(g) ? WINOGRAD : ImplicitConv.suitsInputGrad(g) ? IMPLICIT : SmallMapConv.suits(g) ? SMALL_MAP : GEMM;
        };
    }

    static ConvPath weightGrad(Conv2dShape g) {
        return switch (FORCED) {
            case "gemm" -> GEMM;
            case "direct" -> DirectConv.suitsWeightGrad(g) ? DIRECT : GEMM;
            case "winograd" -> Winograd.fits(g) ? WINOGRAD : GEMM;
            default -> FORCED.equals("implicit") || ImplicitConv.suits(g) && !Winograd.suits(g) ? IMPLICIT
                    : Winograd.suits(g) ? WINOGRAD : GEMM;
        };
    }
}
