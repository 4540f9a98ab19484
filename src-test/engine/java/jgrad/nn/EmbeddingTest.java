package jgrad.nn;

import static jgrad.nn.LinearTest.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import jgrad.TorchFixture;
import jgrad.autograd.GradCheck;
import jgrad.optim.SGD;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Embedding: initialisation, lookups, repeated tokens, the padding row, PyTorch values. */
class EmbeddingTest {
    static final TorchFixture F = TorchFixture.load("indexing_fixture.txt");

    @Test
    void weightIsStandardNormalAndThePaddingRowZero() {
        Embedding e = new Embedding(1000, 8, new Generator(1));
        float[] w = e.weight.toFloatArray();
        double mean = 0, sq = 0;
        for (float v : w) {
            mean += v / (double) w.length;
            sq += v * (double) v / w.length;
        }
        assertThat(mean).as("mean of N(0, 1) over 8000 draws").isCloseTo(0, within(0.05));
        assertThat(Math.sqrt(sq - mean * mean)).as("standard deviation").isCloseTo(1, within(0.05));
        assertThat(e.weight.shape()).containsExactly(1000, 8);
        Embedding padded = new Embedding(5, 3, -1, new Generator(1));
        assertThat(padded.weight.slice(0, 4, 5).toFloatArray()).as("row −1 = row 4 starts at zero").containsOnly(0f);
        assertThat(padded.weight.slice(0, 0, 1).toFloatArray()).doesNotContain(0f);
        assertThat(padded.toString()).startsWith("Embedding(5, 3, padding_idx=4)");
    }

    @Test
    void forwardLooksUpOneRowPerIndex() {
        Embedding e = new Embedding(4, 2, new Generator(2));
        set(e.weight, 0, 1, 10, 11, 20, 21, 30, 31);
        Tensor y = e.forward(Tensor.of(new float[] {3, 0, 3, 1, 1, 2}, 2, 3));
        assertThat(y.shape()).containsExactly(2, 3, 2);
        assertThat(y.toFloatArray()).containsExactly(30, 31, 0, 1, 30, 31, 10, 11, 10, 11, 20, 21);
        assertThat(e.forward(Tensor.scalar(2)).toFloatArray()).as("a scalar index gives one vector [D]").containsExactly(20, 21);
        assertThat(Embedding.embedding(Tensor.of(new float[] {1}, 1), e.weight).toFloatArray()).containsExactly(10, 11);
    }

    @Test
    void aRepeatedTokenGetsTheSumAndThePaddingRowNothing() {
        Embedding e = new Embedding(4, 2, 0, new Generator(3));
        Tensor tokens = Tensor.of(new float[] {2, 0, 2, 2}, 4);  // token 2 three times, padding once
        e.forward(tokens).backward(Tensor.of(new float[] {1, 2, 10, 20, 100, 200, 1000, 2000}, 4, 2));
        assertThat(e.weight.grad().toFloatArray()).as("dW: row 2 = 1 + 100 + 1000, 2 + 200 + 2000; row 0 (padding) = 0")
                .containsExactly(0, 0, 0, 0, 1101, 2202, 0, 0);
        new SGD(e.parameters(), 0.1f).step();
        assertThat(e.weight.slice(0, 0, 1).toFloatArray()).as("the padding row stays zero after a step").containsOnly(0f);
    }

    @Test
    void backwardMatchesCentralDifference() {
        Embedding e = new Embedding(5, 3, new Generator(4));
        Tensor tokens = Tensor.of(new float[] {4, 4, 0, 1}, 2, 2);
        GradCheck.Result r = new GradCheck().check(xs -> e.forward(tokens).tanh(), e.weight);
        assertThat(r.passed()).as(r.detail()).isTrue();
    }

    @Test
    void matchesPyTorchWithAndWithoutPadding() {
        for (String key : new String[] {"emb", "emb.pad"}) {
            Embedding e = new Embedding(6, 3, key.equals("emb.pad") ? 1 : null, new Generator(5));
            set(e.weight, F.values(key + ".in0"));
            Tensor y = e.forward(F.tensor("emb.indices"));
            F.assertMatches(key + ".y", y);
            y.backward(F.tensor(key + ".dy"));
            F.assertMatches(key + ".d0", e.weight.grad(), 1e-5, 1e-6);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new Embedding(0, 3, new Generator(0))).hasMessageContaining("Embedding(0, 3)");
        assertThatThrownBy(() -> new Embedding(4, 3, 4, new Generator(0))).hasMessageContaining("paddingIdx 4");
        Embedding e = new Embedding(4, 3, new Generator(0));
        assertThatThrownBy(() -> e.forward(Tensor.of(new float[] {1, 7}, 2)))
                .hasMessageContaining("embedding").hasMessageContaining("index 7.0 at [1]").hasMessageContaining("[4, 3]");
        // a batch of sequences [N, T]: the place is named in the ids' own shape, not the flattened one
        assertThatThrownBy(() -> e.forward(Tensor.of(new float[] {1, 2, 7, 0}, 2, 2)))
                .hasMessageContaining("index 7.0 at [1, 0] of indices of shape [2, 2]");
    }
}
