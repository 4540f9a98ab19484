package jgrad.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** --hidden is checked against the heap before any weight is drawn (issue #17, group 5). */
class ModelOptionsLimitsTest {

    private static ModelOptions mlp(Integer... hidden) {
        ModelOptions o = new ModelOptions();
        o.hidden = List.of(hidden);
        o.activation = "sigmoid";
        return o;
    }

    @Test
    void parametersAreCountedLayerByLayer() {
        // 784·16 + 16 + 16·16 + 16 + 16·10 + 10 = 13,002: 3Blue1Brown's network
        assertThat(mlp(16, 16).mlpParameters()).isEqualTo(13_002);
        assertThat(mlp(30000, 30000).mlpParameters()).isEqualTo(785L * 30000 + 30001L * 30000 + 30001L * 10);
    }

    @Test
    void thirtyThousandByThirtyThousandDoesNotFitTheDefaultHeap() {
        // the probe: ./jgrad train --hidden 30000,30000 on the 512 MB default heap ended in OutOfMemoryError
        ModelOptions o = mlp(30000, 30000);
        assertThatThrownBy(() -> o.checkFits(o.mlpParameters(), 512L << 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--hidden 30000,30000: the MLP 784-30000-30000-10 has 923,880,010 parameters, which with their gradients "
                        + "need 7.4 GB (7391040080 bytes), more than the Java heap (536.9 MB (536870912 bytes)); use smaller layers, "
                        + "or a larger heap (JGRAD_JAVA_OPTS=-Xmx…)");
        mlp(16, 16).checkFits(13_002, 512L << 20);  // the default network fits
    }
}
