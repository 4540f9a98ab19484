package jgrad.backend;

import java.util.Random;
import java.util.stream.Stream;
import jgrad.backend.opencl.OpenClTesting;
import jgrad.tensor.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The backend contract ({@link BackendContractTest}, every primitive against the reference on
 * random awkward cases) run on the OpenCL backend: PoCL in CI, a GPU where there is one. Plus the
 * shapes that reach the tiled GEMM kernel, which the contract's smaller matrices do not.
 */
class OpenClContractTest extends BackendContractTest {
    static Device device;

    @BeforeAll
    static void openDevice() {
        device = OpenClTesting.deviceOrSkip();
    }

    /** Hides BackendContractTest.backends(): every inherited contract test runs on OpenCL. */
    static Stream<Backend> backends() {
        return Stream.of(device.backend());
    }

    @Test
    void tiledGemmMatchesReferenceOnAwkwardSizes() {
        Backend backend = device.backend();
        Random r = new Random(21);
        int[][] shapes = {{128, 128, 16}, {129, 130, 17}, {257, 200, 33}, {131, 383, 5}, {300, 128, 129}};
        for (int[] s : shapes) {
            for (int flags = 0; flags < 4; flags++) {
                boolean tA = (flags & 1) != 0, tB = (flags & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                int lda = (tA ? m : k) + 3, ldb = (tB ? k : n) + 1, ldc = n + 2;
                float[] a = randomData(r, 5 + (tA ? k : m) * lda, false), b = randomData(r, 2 + (tB ? n : k) * ldb, false);
                float[] c = randomData(r, 1 + m * ldc, false);
                Buffer co = ORACLE.upload(c), ct = backend.upload(c);
                float beta = flags == 3 ? 0f : 0.5f;
                ORACLE.gemm(tA, tB, 1, m, n, k, 1.5f, ORACLE.upload(a), 5, lda, 0, ORACLE.upload(b), 2, ldb, 0, beta, co, 1, ldc, 0);
                backend.gemm(tA, tB, 1, m, n, k, 1.5f, backend.upload(a), 5, lda, 0, backend.upload(b), 2, ldb, 0, beta, ct, 1, ldc, 0);
                assertClose(String.format("tiled gemm m=%d n=%d k=%d tA=%s tB=%s", m, n, k, tA, tB),
                        whole(ORACLE, co), whole(backend, ct), 1e-4, 1e-4 * Math.sqrt(k + 1) * 6);
            }
        }
    }

    /** Both weight-gradient kernels (by rows below 32 output columns, by products from 32 up) and both input-gradient ones. */
    @Test
    void convolutionGradientVariantsMatchReference() {
        Backend backend = device.backend();
        Random r = new Random(22);
        Conv2dShape[] shapes = {new Conv2dShape(2, 3, 9, 40, 4, 3, 3, 1, 1, 1, 1, 1, 1),
                new Conv2dShape(3, 2, 7, 70, 5, 3, 2, 2, 1, 0, 1, 1, 2),
                new Conv2dShape(2, 3, 9, 20, 4, 3, 3, 1, 1, 1, 1, 1, 1)};
        for (Conv2dShape g : shapes) {
            int xs = g.n() * g.c() * g.h() * g.w(), ws = g.k() * g.c() * g.r() * g.s(), ys = g.n() * g.k() * g.p() * g.q();
            float[] x = randomData(r, 1 + xs, false), w = randomData(r, ws, false), dy = randomData(r, ys, false);
            Buffer dwo = ORACLE.allocate(ws), dwt = backend.allocate(ws);
            ORACLE.conv2dWeightGrad(g, ORACLE.upload(x), 1, ORACLE.upload(dy), dwo);
            backend.conv2dWeightGrad(g, backend.upload(x), 1, backend.upload(dy), dwt);
            assertClose("weight grad " + g, whole(ORACLE, dwo), whole(backend, dwt), 1e-4, 1e-4 * Math.sqrt(g.n() * g.p() * g.q()) * 4);
            Buffer dxo = ORACLE.allocate(xs), dxt = backend.allocate(xs);
            ORACLE.conv2dInputGrad(g, ORACLE.upload(dy), ORACLE.upload(w), 0, dxo);
            backend.conv2dInputGrad(g, backend.upload(dy), backend.upload(w), 0, dxt);
            assertClose("input grad " + g, whole(ORACLE, dxo), whole(backend, dxt), 1e-4, 1e-4 * Math.sqrt(g.k() * g.r() * g.s()) * 4);
        }
    }

    /** The float4-load GEMM (on request only, until timed on a GPU) on sizes that are and are not multiples of 4. */
    @Test
    void vectorLoadGemmMatchesReference() {
        Backend backend = device.backend();
        Random r = new Random(23);
        System.setProperty("jgrad.opencl.gemmVec", "true");
        try {
            for (int[] s : new int[][] {{128, 128, 16}, {131, 257, 37}, {256, 130, 9}}) {
                int m = s[0], n = s[1], k = s[2], lda = (k + 3) / 4 * 4, ldb = (n + 3) / 4 * 4, ldc = n;
                float[] a = randomData(r, 4 + m * lda, false), b = randomData(r, 8 + k * ldb, false);
                Buffer co = ORACLE.allocate(m * ldc), ct = backend.allocate(m * ldc);
                ORACLE.gemm(false, false, 1, m, n, k, 1f, ORACLE.upload(a), 4, lda, 0, ORACLE.upload(b), 8, ldb, 0, 0f, co, 0, ldc, 0);
                backend.gemm(false, false, 1, m, n, k, 1f, backend.upload(a), 4, lda, 0, backend.upload(b), 8, ldb, 0, 0f, ct, 0, ldc, 0);
                assertClose(String.format("vec4 gemm m=%d n=%d k=%d", m, n, k), whole(ORACLE, co), whole(backend, ct), 1e-4, 1e-4 * Math.sqrt(k + 1) * 6);
            }
        } finally {
            System.clearProperty("jgrad.opencl.gemmVec");
        }
    }
}
