package jgrad.backend;

import static jgrad.backend.BackendContractTest.ORACLE;
import static jgrad.backend.BackendContractTest.assertClose;
import static jgrad.backend.BackendContractTest.randomData;
import static jgrad.backend.BackendContractTest.whole;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backend.prepareB and the GEMM with a prepared B, on every backend, against the reference's plain
 * GEMM: the same products, B made ready once and used for several A (as a recurrent layer uses
 * W_hh at every step), transposed or not, with leading dimensions, offsets, α and β; shapes on
 * either side of the vector width, the register blocks and the sizes from which A is packed by
 * all cores together or slice by slice.
 */
class PreparedGemmContractTest {

    static Stream<Backend> backends() {
        return BackendContractTest.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aPreparedBGivesThePlainProductForEveryA(Backend backend) {
        Random r = new Random(31);
        List<int[]> shapes = new ArrayList<>(List.of(
                new int[] {64, 512, 128}, new int[] {64, 128, 512}, new int[] {32, 1024, 256}, new int[] {32, 256, 1024},
                new int[] {1, 1, 1}, new int[] {3, 17, 5}, new int[] {4, 33, 16}, new int[] {0, 7, 3}, new int[] {5, 0, 3},
                new int[] {5, 7, 0}, new int[] {129, 31, 130}, new int[] {600, 40, 500}));
        for (int c = 0; c < 12; c++) shapes.add(new int[] {1 + r.nextInt(70), 1 + r.nextInt(70), 1 + r.nextInt(70)});
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            boolean tB = r.nextBoolean();
            int bRows = tB ? n : k, bCols = tB ? k : n, ldb = bCols + (r.nextBoolean() ? 0 : r.nextInt(4)), bOff = r.nextInt(3);
            float[] b = randomData(r, bOff + bRows * ldb + 1, false);
            Buffer bo = ORACLE.upload(b), bt = backend.upload(b);
            PreparedB prepared = backend.prepareB(tB, k, n, bt, bOff, ldb);
            assertThat(new int[] {prepared.k(), prepared.n()}).as("k, n").containsExactly(k, n);
            for (int use = 0; use < 3; use++) {  // several products with one prepared B
                boolean tA = r.nextBoolean();
                int aRows = tA ? k : m, aCols = tA ? m : k, lda = aCols + (r.nextBoolean() ? 0 : r.nextInt(4)), ldc = n + r.nextInt(3);
                int aOff = r.nextInt(3), cOff = r.nextInt(3);
                float alpha = r.nextBoolean() ? 1f : (float) r.nextGaussian();
                float beta = use == 0 ? 0f : r.nextBoolean() ? 1f : (float) r.nextGaussian();
                float[] a = randomData(r, aOff + aRows * lda + 1, false);
                float[] cData = randomData(r, cOff + m * ldc + 1, false);
                if (beta == 0f) Arrays.fill(cData, cOff, cData.length, Float.NaN);  // β = 0: C is never read
                Buffer co = ORACLE.upload(cData), ct = backend.upload(cData);
                ORACLE.gemm(tA, tB, 1, m, n, k, alpha, ORACLE.upload(a), aOff, lda, 0, bo, bOff, ldb, 0, beta == 0f ? 0f : beta, co,
                        cOff, ldc, 0);
                backend.gemm(tA, m, alpha, backend.upload(a), aOff, lda, prepared, beta, ct, cOff, ldc);
                String what = String.format("prepared gemm m=%d n=%d k=%d tA=%s tB=%s lda=%d ldb=%d ldc=%d α=%s β=%s, use %d",
                        m, n, k, tA, tB, lda, ldb, ldc, alpha, beta, use);
                float[] expected = whole(ORACLE, co), actual = whole(backend, ct);
                assertClose(what, expected, actual, 1e-4, 1e-4 * Math.max(1, Math.abs(alpha)) * Math.sqrt(k + 1) * 4);
            }
        }
    }
}
