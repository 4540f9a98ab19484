package jgrad.backend.simd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * GEMMs called from several threads at once: each caller's operands are packed into that caller's
 * buffers (shared with the pool's workers only during its own call), so the results are the same
 * bits as one call at a time.
 */
class GemmThreadsTest {
    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @Test
    void callersOnSeveralThreadsGetTheSameBitsAsOneAtATime() throws Exception {
        // a Linear forward (A·Wᵀ, packed whole) and a weight gradient (Aᵀ·B), different operands per thread
        int m = 64, n = 128, k = 784, threads = 3, calls = 40;
        float[][] a = new float[threads][], w = new float[threads][], g = new float[threads][];
        float[][] expectedY = new float[threads][], expectedDw = new float[threads][];
        Random r = new Random(5);
        for (int t = 0; t < threads; t++) {
            a[t] = random(r, m * k);
            w[t] = random(r, n * k);
            g[t] = random(r, m * n);
            expectedY[t] = new float[m * n];
            expectedDw[t] = new float[n * k];
            Gemm.gemm(false, true, m, n, k, 1f, a[t], 0, k, w[t], 0, k, 0f, expectedY[t], 0, n);
            Gemm.gemm(true, false, n, k, m, 1f, g[t], 0, n, a[t], 0, k, 0f, expectedDw[t], 0, k);
        }
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] pool = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            pool[t] = new Thread(() -> {
                try {
                    start.await();
                    float[] y = new float[m * n], dw = new float[n * k];
                    for (int c = 0; c < calls; c++) {
                        Gemm.gemm(false, true, m, n, k, 1f, a[id], 0, k, w[id], 0, k, 0f, y, 0, n);
                        Gemm.gemm(true, false, n, k, m, 1f, g[id], 0, n, a[id], 0, k, 0f, dw, 0, k);
                        assertThat(y).as("thread %d, call %d: A·Wᵀ", id, c).isEqualTo(expectedY[id]);
                        assertThat(dw).as("thread %d, call %d: Gᵀ·A", id, c).isEqualTo(expectedDw[id]);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            pool[t].start();
        }
        start.countDown();
        for (Thread t : pool) t.join();
        assertThat(failure.get()).isNull();
    }
}
