package jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import jgrad.TorchFixture;
import jgrad.autograd.GradCheck;
import jgrad.nn.Loss.Reduction;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** QuadraticCost against 3Blue1Brown's worked example; MSELoss and CrossEntropyLoss against PyTorch. */
class LossesTest {
    private static final TorchFixture TORCH = TorchFixture.load("losses_fixture.txt");

    private static Tensor oneHot(int classes, int label) {
        float[] y = new float[classes];
        y[label] = 1f;
        return Tensor.of(y, classes);
    }

    // ---- QuadraticCost: C₀ = Σⱼ (aⱼ − yⱼ)² ---------------------------------------------------

    @Test
    void costOfThreeIs337() {
        // 3Blue1Brown, chapter 2: the untrained network's output for an image of a 3.
        Tensor a = Tensor.of(new float[] {0.43f, 0.28f, 0.19f, 0.88f, 0.72f, 0.01f, 0.64f, 0.86f, 0.99f, 0.63f}, 10);
        Tensor y = oneHot(10, 3);
        // with the two-digit activations as printed: 0.1849 + 0.0784 + 0.0361 + 0.0144 + 0.5184
        //   + 0.0001 + 0.4096 + 0.7396 + 0.9801 + 0.3969 = 3.3585
        assertThat(new QuadraticCost().forward(a, y).item()).as("C₀ for the printed activations").isCloseTo(3.3585f, within(1e-4f));

        // The slide's 3.37 comes from the unrounded activations: it prints the per-term values
        // below, which sum to 3.3692. Rebuild aⱼ = √termⱼ (and a₃ = 1 − √term₃, the target being 1).
        float[] terms = {0.1863f, 0.0809f, 0.0357f, 0.0138f, 0.5242f, 0.0001f, 0.4079f, 0.7388f, 0.9817f, 0.3998f};
        float[] unrounded = new float[10];
        for (int j = 0; j < 10; j++) unrounded[j] = (float) Math.sqrt(terms[j]);
        unrounded[3] = 1f - unrounded[3];
        float cost = new QuadraticCost().forward(Tensor.of(unrounded, 10), y).item();
        assertThat(cost).as("C₀ for activations %s", java.util.Arrays.toString(unrounded)).isCloseTo(3.37f, within(0.005f));
        assertThat(cost).as("Σ of the slide's terms").isCloseTo(3.3692f, within(1e-4f));
    }

    @Test
    void quadraticCostAveragesOverTheExamplesOfABatch() {
        Tensor a = Tensor.of(new float[] {1, 0, 0.5f, 0.5f}, 2, 2);
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0}, 2, 2);
        // example 1: 1 + 1 = 2; example 2: 0.25 + 0.25 = 0.5; mean over 2 examples = 1.25 (no ½, not / 4)
        assertThat(new QuadraticCost().forward(a, y).item()).isEqualTo(1.25f);
    }

    @Test
    void quadraticCostGradientIsTwiceTheErrorOverN() {
        Tensor a = Tensor.of(new float[] {1, 0, 0.5f, 0.5f}, 2, 2).requiresGrad(true);
        new QuadraticCost().forward(a, Tensor.of(new float[] {0, 1, 1, 0}, 2, 2)).backward();
        // dA = (2/N)(A − Y) with N = 2
        assertThat(a.grad().toFloatArray()).containsExactly(1, -1, -0.5f, 0.5f);
        Tensor y = Tensor.rand(new Generator(2), 3, 4);
        GradCheck.assertGradientsMatch(xs -> new QuadraticCost().forward(xs[0], y), Tensor.randn(new Generator(1), 3, 4).requiresGrad(true));
    }

    @Test
    void quadraticCostRefusesMismatchedShapes() {
        assertThatThrownBy(() -> new QuadraticCost().forward(Tensor.ones(2, 10), Tensor.ones(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 10]").hasMessageContaining("[2]").hasMessageContaining("one-hot");
    }

    // ---- MSELoss -----------------------------------------------------------------------------

    @Test
    void mseLossMatchesPyTorchForEveryReduction() {
        Tensor x = TORCH.tensor("mse.input"), y = TORCH.tensor("mse.target");
        TORCH.assertMatches("mse.mean", new MSELoss().forward(x, y));
        TORCH.assertMatches("mse.sum", new MSELoss(Reduction.SUM).forward(x, y));
        TORCH.assertMatches("mse.none", new MSELoss(Reduction.NONE).forward(x, y));
        Tensor leaf = x.requiresGrad(true);
        new MSELoss().forward(leaf, y).backward();
        TORCH.assertMatches("mse.mean.grad", leaf.grad());
    }

    @Test
    void mseLossBackwardMatchesCentralDifference() {
        Tensor y = Tensor.randn(new Generator(3), 3, 4);
        for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
            GradCheck.Result result = new GradCheck().check(xs -> new MSELoss(r).forward(xs[0], y),
                    Tensor.randn(new Generator(4), 3, 4).requiresGrad(true));
            assertThat(result.passed()).as("MSELoss(%s): %s", r, result.detail()).isTrue();
        }
    }

    @Test
    void mseLossByHand() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3), y = Tensor.of(new float[] {1, 0, 0}, 3);
        assertThat(new MSELoss().forward(x, y).item()).as("(0 + 4 + 9) / 3").isCloseTo(13f / 3, within(1e-6f));
        assertThatThrownBy(() -> new MSELoss().forward(x, Tensor.ones(1, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3]").hasMessageContaining("[1, 3]");
    }

    // ---- CrossEntropyLoss --------------------------------------------------------------------

    @Test
    void crossEntropyMatchesPyTorchForEveryReduction() {
        Tensor logits = TORCH.tensor("ce.logits"), target = TORCH.tensor("ce.target");
        TORCH.assertMatches("ce.mean", new CrossEntropyLoss().forward(logits, target));
        TORCH.assertMatches("ce.sum", new CrossEntropyLoss(Reduction.SUM).forward(logits, target));
        TORCH.assertMatches("ce.none", new CrossEntropyLoss(Reduction.NONE).forward(logits, target));
    }

    @Test
    void crossEntropyGradientMatchesPyTorch() {
        for (String reduction : new String[] {"mean", "sum"}) {
            Tensor logits = TORCH.tensor("ce.logits").requiresGrad(true);
            Reduction r = reduction.equals("mean") ? Reduction.MEAN : Reduction.SUM;
            new CrossEntropyLoss(r).forward(logits, TORCH.tensor("ce.target")).backward();
            TORCH.assertMatches("ce." + reduction + ".grad", logits.grad());
        }
    }

    @Test
    void crossEntropyBackwardMatchesCentralDifference() {
        Tensor target = Tensor.of(new float[] {2, 0, 1, 2}, 4);
        for (Reduction r : new Reduction[] {Reduction.NONE, Reduction.MEAN, Reduction.SUM}) {
            GradCheck.Result result = new GradCheck().check(xs -> new CrossEntropyLoss(r).forward(xs[0], target),
                    Tensor.randn(new Generator(5), 4, 3).requiresGrad(true));
            assertThat(result.passed()).as("CrossEntropyLoss(%s): %s", r, result.detail()).isTrue();
        }
    }

    @Test
    void crossEntropyByHandAndWithHugeLogits() {
        Tensor target = Tensor.of(new float[] {0}, 1);
        assertThat(new CrossEntropyLoss().forward(Tensor.zeros(1, 2), target).item()).as("two equal logits: ln 2")
                .isCloseTo((float) Math.log(2), within(1e-6f));
        // log-sum-exp keeps e¹⁰⁰⁰ from overflowing
        Tensor huge = Tensor.of(new float[] {1000, 0}, 1, 2);
        assertThat(new CrossEntropyLoss().forward(huge, target).item()).as("right class by 1000").isEqualTo(0f);
        assertThat(new CrossEntropyLoss().forward(huge, Tensor.of(new float[] {1}, 1)).item()).as("wrong class by 1000").isEqualTo(1000f);
    }

    @Test
    void crossEntropyRefusesAnOutOfRangeClassIndex() {
        Tensor logits = Tensor.zeros(3, 4);
        assertThatThrownBy(() -> new CrossEntropyLoss().forward(logits, Tensor.of(new float[] {0, 4, 1}, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target 4.0").hasMessageContaining("index 1").hasMessageContaining("4 classes");
        assertThatThrownBy(() -> new CrossEntropyLoss().forward(logits, Tensor.of(new float[] {0, 1, -1}, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target -1.0").hasMessageContaining("index 2");
        assertThatThrownBy(() -> new CrossEntropyLoss().forward(logits, Tensor.zeros(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 4]").hasMessageContaining("[2]");
    }

    @Test
    void softmaxRowsArePositiveAndSumToOne() {
        Tensor p = Functional.softmax(Tensor.of(new float[] {1, 2, 3, -50, 0, 50}, 2, 3), 1);
        float[] v = p.toFloatArray();
        assertThat(v[0] + v[1] + v[2]).isCloseTo(1f, within(1e-6f));
        assertThat(v[3] + v[4] + v[5]).isCloseTo(1f, within(1e-6f));
        // e¹/(e¹+e²+e³)
        assertThat(v[0]).isCloseTo((float) (Math.E / (Math.E + Math.exp(2) + Math.exp(3))), within(1e-6f));
        assertThat(Functional.oneHot(Tensor.of(new float[] {2, 0}, 2), 3).toFloatArray()).containsExactly(0, 0, 1, 1, 0, 0);
    }

    @Test
    void crossEntropyWithAMinusInfinityLogitStaysFinite() {
        Tensor logits = Tensor.of(new float[] {Float.NEGATIVE_INFINITY, 1f, 2f, 0.5f, Float.NEGATIVE_INFINITY, 0f}, 2, 3);
        Tensor loss = new CrossEntropyLoss().forward(logits, Tensor.of(new float[] {2, 0}, 2));
        // row 0: log(e¹ + e²) − 2 = 0.31326; row 1: log(e^0.5 + e⁰) − 0.5 = 0.47408; mean 0.39367
        org.assertj.core.api.Assertions.assertThat(loss.item()).isCloseTo(0.393670f, org.assertj.core.api.Assertions.within(1e-5f));
    }

    @Test
    void crossEntropyRejectsAFractionalClassIndex() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CrossEntropyLoss().forward(
                        Tensor.zeros(2, 3), Tensor.of(new float[] {1f, 1.5f}, 2)))
                .hasMessageContaining("1.5").hasMessageContaining("index 1");
    }

    @Test
    void crossEntropyRejectsANaNClassIndex() {
        assertThatThrownBy(() -> new CrossEntropyLoss().forward(Tensor.zeros(2, 3), Tensor.of(new float[] {0f, Float.NaN}, 2)))
                .hasMessageContaining("NaN").hasMessageContaining("index 1");
    }

    @Test
    void crossEntropyOfLargeLogitsKeepsItsPrecision() {
        // logits (1000, 1001, 1002), class 2: ℓ = log(e⁻² + e⁻¹ + 1) = 0.40760596
        Tensor loss = new CrossEntropyLoss().forward(Tensor.of(new float[] {1000, 1001, 1002}, 1, 3), Tensor.of(new float[] {2}, 1));
        assertThat(loss.item()).isCloseTo(0.40760596f, within(2e-6f));
    }

    /** PyTorch's K-dimensional form: [N, C, T] logits and [N, T] classes are the [N·T, C] rows. */
    @Test
    void crossEntropyOverPositionsIsTheLossOfEveryPositionAsARow() {
        jgrad.tensor.Generator g = new jgrad.tensor.Generator(41);
        Tensor z = Tensor.randn(g, 2, 3, 4);  // N = 2, C = 3, T = 4
        Tensor y = Tensor.of(new float[] {0, 2, 1, 1, 2, 2, 0, 1}, 2, 4);
        float[] zs = z.toFloatArray();
        // by hand: position (n, t) has scores z[n, :, t]; ℓ = log Σ_c e^z − z_y
        double total = 0;
        float[] perPosition = new float[8];
        for (int n = 0; n < 2; n++) {
            for (int t = 0; t < 4; t++) {
                double sum = 0;
                for (int c = 0; c < 3; c++) sum += Math.exp(zs[n * 12 + c * 4 + t]);
                int cls = (int) y.toFloatArray()[n * 4 + t];
                perPosition[n * 4 + t] = (float) (Math.log(sum) - zs[n * 12 + cls * 4 + t]);
                total += perPosition[n * 4 + t];
            }
        }
        assertThat(new CrossEntropyLoss().forward(z, y).item()).as("mean over the 8 positions").isCloseTo((float) (total / 8), within(1e-5f));
        Tensor none = new CrossEntropyLoss(Loss.Reduction.NONE).forward(z, y);
        assertThat(none.shape()).containsExactly(2, 4);
        assertThat(none.toFloatArray()).containsExactly(perPosition, within(1e-5f));
        GradCheck.assertGradientsMatch(xs -> new CrossEntropyLoss().forward(xs[0], y), z.requiresGrad(true));
        // probabilities [N, C, T], and a clear error for targets of neither shape
        Tensor p = jgrad.nn.Functional.oneHot(y.reshape(-1), 3).reshape(2, 4, 3).permute(0, 2, 1);
        assertThat(new CrossEntropyLoss().forward(z, p).item()).isCloseTo((float) (total / 8), within(1e-5f));
        assertThatThrownBy(() -> new CrossEntropyLoss().forward(z, Tensor.zeros(2, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 3, 4]").hasMessageContaining("[2, 4]");
    }
}
