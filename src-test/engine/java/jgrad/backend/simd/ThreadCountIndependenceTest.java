package jgrad.backend.simd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jgrad.backend.Conv2dShape;
import org.junit.jupiter.api.Test;

/**
 * A convolution's weight gradient, the one kernel that sums over the batch in parts, has the same
 * bits whatever the number of threads: here on all of the machine's cores and again inside a
 * parallel job, where every kernel runs on one thread. Also batch norm's per-channel sums.
 */
class ThreadCountIndependenceTest {
    @Test
    void theWeightGradientHasTheSameBitsOnOneThreadAsOnAll() {
        Random r = new Random(3);
        for (Conv2dShape g : new Conv2dShape[] {
                new Conv2dShape(64, 1, 28, 28, 6, 5, 5, 1, 1, 2, 2, 1, 1),   // lanes along the rows
                new Conv2dShape(64, 6, 14, 14, 16, 5, 5, 1, 1, 0, 0, 1, 1),  // filters as lanes
                new Conv2dShape(5, 3, 9, 9, 40, 3, 3, 1, 1, 1, 1, 1, 1)}) {  // fewer images than parts
            float[] x = new float[g.n() * g.c() * g.h() * g.w()], dy = new float[g.n() * g.k() * g.p() * g.q()];
            for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() - 0.5f;
            for (int i = 0; i < dy.length; i++) dy[i] = r.nextFloat() - 0.5f;
            int size = g.k() * g.c() * g.r() * g.s();
            float[] allCores = new float[size], oneThread = new float[size];
            ImplicitConvWeightGrad.weightGrad(g, x, 0, dy, allCores);
            Parallel.run(2, part -> {
                if (part == 0) ImplicitConvWeightGrad.weightGrad(g, x, 0, dy, oneThread);
            });
            assertThat(oneThread).as("%s", g).containsExactly(allCores);
            assertThat(allCores).as("%s: not all zero", g).isNotEqualTo(new float[size]);
        }
    }

    @Test
    void batchNormChannelSumsHaveTheSameBitsOnOneThreadAsOnAll() {
        Random r = new Random(4);
        int n = 8, c = 6, hw = 300;
        float[] x = new float[n * c * hw], dy = new float[n * c * hw], mean = new float[c];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < dy.length; i++) dy[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < c; i++) mean[i] = r.nextFloat() - 0.5f;
        float[] allCores = new float[c], oneThread = new float[c];
        ChannelKernels.sums(n, c, hw, dy, null, x, mean, allCores);
        Parallel.run(2, part -> {
            if (part == 0) ChannelKernels.sums(n, c, hw, dy, null, x, mean, oneThread);
        });
        assertThat(oneThread).containsExactly(allCores);
        assertThat(allCores).isNotEqualTo(new float[c]);
    }
}
