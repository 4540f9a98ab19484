package jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.function.BiFunction;
import java.util.function.Function;
import jgrad.TorchFixture;
import jgrad.autograd.GradCheck;
import jgrad.nn.Loss.Reduction;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The training toolkit's losses against PyTorch (values for every reduction, and the input gradient
 * of the mean and of the sum; fixture: src-test/engine/resources/torch/losses_fixture.py), by central
 * differences, and their errors.
 */
class TrainingLossesTest {
    private static final TorchFixture T = TorchFixture.load("losses_fixture.txt");

    /** For each reduction: the value, and (except NONE) the gradient with respect to the input. */
    private static void matchesPyTorch(String key, String input, BiFunction<Reduction, Tensor, Tensor> loss, Reduction... reductions) {
        if (reductions.length == 0) reductions = new Reduction[] {Reduction.MEAN, Reduction.SUM, Reduction.NONE};
        for (Reduction r : reductions) {
            String k = key + "." + r.name().toLowerCase();
            Tensor x = T.tensor(input).requiresGrad(true);
            Tensor out = loss.apply(r, x);
            T.assertMatches(k, out);
            if (r != Reduction.NONE) {
                out.backward();
                T.assertMatches(k + ".grad", x.grad());
            }
        }
    }

    private static void gradCheck(String what, Function<Tensor, Tensor> loss, Tensor x) {
        GradCheck.Result result = new GradCheck().check(xs -> loss.apply(xs[0]), x.requiresGrad(true));
        assertThat(result.passed()).as("%s: %s", what, result.detail()).isTrue();
    }

    @Test
    void l1LossMatchesPyTorch() {
        Tensor y = T.tensor("l1.target");
        matchesPyTorch("l1", "l1.input", (r, x) -> new L1Loss(r).forward(x, y));
        gradCheck("L1Loss", x -> new L1Loss().forward(x, y), Tensor.randn(new Generator(1), 4, 3));
    }

    @Test
    void bceLossMatchesPyTorchWithAndWithoutWeights() {
        Tensor y = T.tensor("bce.target"), w = T.tensor("bce.weight");
        matchesPyTorch("bce", "bce.input", (r, x) -> new BCELoss(null, r).forward(x, y));
        matchesPyTorch("bce.w", "bce.input", (r, x) -> new BCELoss(w, r).forward(x, y));
        gradCheck("BCELoss", x -> new BCELoss(w, Reduction.MEAN).forward(x, y), Tensor.rand(new Generator(2), 4, 3).mul(0.8f).add(0.1f).detach());
    }

    @Test
    void bceLossOfACertainWrongAnswerIsClampedAt100() {
        Tensor x = Tensor.of(new float[] {0f, 1f}, 2), y = Tensor.of(new float[] {1f, 0f}, 2);
        assertThat(new BCELoss().forward(x, y).item()).as("log 0 clamped to −100").isEqualTo(100f);
    }

    @Test
    void bceWithLogitsMatchesPyTorchIncludingAZeroLogitAndPosWeight() {
        Tensor y = T.tensor("bcel.target"), pw = T.tensor("bcel.posweight");
        matchesPyTorch("bcel", "bcel.input", (r, z) -> new BCEWithLogitsLoss(null, r).forward(z, y));
        matchesPyTorch("bcel.pw", "bcel.input", (r, z) -> new BCEWithLogitsLoss(pw, r).forward(z, y));
        gradCheck("BCEWithLogitsLoss", z -> new BCEWithLogitsLoss(pw, Reduction.SUM).forward(z, y), Tensor.randn(new Generator(3), 4, 3).mul(3f).detach());
        // huge logits: no overflow, the loss of a confident right answer is 0 and of a wrong one |z|
        Tensor huge = Tensor.of(new float[] {500f, -500f}, 2), ones = Tensor.of(new float[] {1f, 1f}, 2);
        assertThat(new BCEWithLogitsLoss(null, Reduction.NONE).forward(huge, ones).toFloatArray()).containsExactly(0f, 500f);
    }

    @Test
    void hingeEmbeddingLossMatchesPyTorch() {
        Tensor y = T.tensor("hinge.target");
        matchesPyTorch("hinge", "hinge.input", (r, x) -> new HingeEmbeddingLoss(1.5f, r).forward(x, y));
        gradCheck("HingeEmbeddingLoss", x -> new HingeEmbeddingLoss(1.5f, Reduction.MEAN).forward(x, y), T.tensor("hinge.input").detach());
    }

    @Test
    void multiMarginLossMatchesPyTorchForPOneAndTwo() {
        Tensor y = T.tensor("mm.target");
        matchesPyTorch("mm", "mm.input", (r, x) -> new MultiMarginLoss(1, 1f, r).forward(x, y));
        matchesPyTorch("mm.p2", "mm.input", (r, x) -> new MultiMarginLoss(2, 0.5f, r).forward(x, y));
        Tensor w = T.tensor("mm.weight");
        matchesPyTorch("mm.w", "mm.input", (r, x) -> new MultiMarginLoss(1, 1f, w, r).forward(x, y));
        gradCheck("MultiMarginLoss p=2", x -> new MultiMarginLoss(2, 0.5f, Reduction.MEAN).forward(x, y), T.tensor("mm.input").detach());
    }

    @Test
    void nllLossMatchesPyTorchWithWeightsAndAnIgnoredClass() {
        Tensor y = T.tensor("nll.target"), w = T.tensor("nll.weight");
        matchesPyTorch("nll", "nll.input", (r, x) -> new NLLLoss(null, null, r).forward(x, y));
        matchesPyTorch("nll.w", "nll.input", (r, x) -> new NLLLoss(w, null, r).forward(x, y));
        matchesPyTorch("nll.ignore", "nll.input", (r, x) -> new NLLLoss(w, 1, r).forward(x, y));
        gradCheck("NLLLoss", x -> new NLLLoss(w, 1, Reduction.MEAN).forward(x, y), T.tensor("nll.input").detach());
    }

    @Test
    void klDivLossMatchesPyTorchForEveryReductionAndLogTargets() {
        Tensor y = T.tensor("kl.target"), logY = T.tensor("kl.logtarget");
        Reduction[] all = {Reduction.MEAN, Reduction.SUM, Reduction.NONE, Reduction.BATCHMEAN};
        matchesPyTorch("kl", "kl.input", (r, x) -> new KLDivLoss(r, false).forward(x, y), all);
        matchesPyTorch("kl.log", "kl.input", (r, x) -> new KLDivLoss(r, true).forward(x, logY), Reduction.MEAN, Reduction.SUM, Reduction.NONE);
        gradCheck("KLDivLoss", x -> new KLDivLoss(Reduction.BATCHMEAN, false).forward(x, y), T.tensor("kl.input").detach());
    }

    @Test
    void crossEntropyWithWeightsSmoothingIgnoreAndProbabilityTargetsMatchesPyTorch() {
        Tensor y = T.tensor("cex.target"), w = T.tensor("cex.weight"), prob = T.tensor("cex.prob");
        matchesPyTorch("cex.w", "cex.input", (r, x) -> new CrossEntropyLoss(w, null, 0f, r).forward(x, y));
        matchesPyTorch("cex.smooth", "cex.input", (r, x) -> new CrossEntropyLoss(null, null, 0.1f, r).forward(x, y));
        matchesPyTorch("cex.ignore", "cex.input", (r, x) -> new CrossEntropyLoss(w, 1, 0.2f, r).forward(x, y));
        matchesPyTorch("cex.prob", "cex.input", (r, x) -> new CrossEntropyLoss(r).forward(x, prob));
        matchesPyTorch("cex.prob.ws", "cex.input", (r, x) -> new CrossEntropyLoss(w, null, 0.1f, r).forward(x, prob));
        gradCheck("CrossEntropyLoss weighted, smoothed, ignoring 1",
                x -> new CrossEntropyLoss(w, 1, 0.2f, Reduction.MEAN).forward(x, y), T.tensor("cex.input").detach());
    }

    @Test
    void oneHotTargetsGiveTheSameLossAsClassIndices() {
        // the tutorial one-hot encodes its labels: CrossEntropyLoss takes those too
        Tensor x = T.tensor("cex.input"), y = T.tensor("cex.target");
        float byIndex = new CrossEntropyLoss().forward(x, y).item();
        float byOneHot = new CrossEntropyLoss().forward(x, Functional.oneHot(y, 4)).item();
        assertThat(byOneHot).isCloseTo(byIndex, within(1e-6f));
    }

    @Test
    void mismatchedShapesAndBadTargetsAreNamed() {
        Tensor x = Tensor.zeros(4, 3);
        assertThatThrownBy(() -> new L1Loss().forward(x, Tensor.zeros(3, 4))).hasMessageContaining("L1Loss").hasMessageContaining("[4, 3]").hasMessageContaining("[3, 4]");
        assertThatThrownBy(() -> new BCEWithLogitsLoss().forward(x, Tensor.zeros(4))).hasMessageContaining("BCEWithLogitsLoss");
        assertThatThrownBy(() -> new NLLLoss().forward(x, Tensor.of(new float[] {0, 1, 3, 2}, 4)))
                .hasMessageContaining("NLLLoss: target 3.0 at index 2");
        assertThatThrownBy(() -> new MultiMarginLoss().forward(x, Tensor.of(new float[] {0, 1, 2, -1}, 4)))
                .hasMessageContaining("target -1.0 at index 3");
        assertThatThrownBy(() -> new CrossEntropyLoss(null, null, 0f, Reduction.MEAN).forward(x, Tensor.zeros(4, 2)))
                .hasMessageContaining("class probabilities [N, C]");
        assertThatThrownBy(() -> new CrossEntropyLoss(Tensor.ones(2), null, 0f, Reduction.MEAN).forward(x, Tensor.zeros(4)))
                .hasMessageContaining("2 class weights for 3 classes");
        assertThatThrownBy(() -> new MSELoss(Reduction.BATCHMEAN).forward(x, x)).hasMessageContaining("KLDivLoss's only");
        // −100 is PyTorch's default ignore index; jgrad reports it unless told to ignore it
        assertThatThrownBy(() -> new CrossEntropyLoss(null, null, 0.1f, Reduction.MEAN).forward(x, Tensor.of(new float[] {0, 1, -100, 2}, 4)))
                .hasMessageContaining("target -100.0 at index 2");
        assertThat(new CrossEntropyLoss(null, -100, 0f, Reduction.SUM).forward(x, Tensor.of(new float[] {0, 1, -100, 2}, 4)).item())
                .as("three rows of ln 3, the ignored one 0").isCloseTo((float) (3 * Math.log(3)), within(1e-5f));
    }
}
