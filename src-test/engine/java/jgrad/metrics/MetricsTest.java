package jgrad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Accuracy, top-k, and the confusion matrix's precision, recall and F1, by hand. */
class MetricsTest {
    // four examples, three classes; predictions (argmax) 1, 0, 2, 2; targets 1, 2, 2, 0
    static final Tensor SCORES = Tensor.of(new float[] {
            0.1f, 0.7f, 0.2f,
            0.5f, 0.3f, 0.2f,
            0.1f, 0.2f, 0.7f,
            0.3f, 0.1f, 0.6f}, 4, 3);
    static final Tensor TARGETS = Tensor.of(new float[] {1, 2, 2, 0}, 4);

    @Test
    void accuracyCountsTheRowsWhoseBestScoreIsTheTarget() {
        assertThat(Metrics.accuracy(SCORES, TARGETS)).as("rows 0 and 2 right").isEqualTo(0.5f);
    }

    @Test
    void topKCountsTargetsAmongTheKBest() {
        // target ranks: row 0 first, row 1 third (0.2 < 0.3 < 0.5), row 2 first, row 3 second
        assertThat(Metrics.topK(SCORES, TARGETS, 1)).isEqualTo(0.5f);
        assertThat(Metrics.topK(SCORES, TARGETS, 2)).isEqualTo(0.75f);
        assertThat(Metrics.topK(SCORES, TARGETS, 3)).isEqualTo(1f);
        assertThatThrownBy(() -> Metrics.topK(SCORES, TARGETS, 0)).hasMessageContaining("k must be");
        assertThatThrownBy(() -> Metrics.accuracy(SCORES, Tensor.zeros(3))).hasMessageContaining("[4, 3]").hasMessageContaining("[3]");
    }

    @Test
    void confusionMatrixGivesPrecisionRecallAndF1PerClass() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        m.add(SCORES.argmax(1, false), TARGETS);
        // true 1 → 1, true 2 → 0, true 2 → 2, true 0 → 2
        assertThat(m.count(2, 0)).isEqualTo(1);
        assertThat(m.accuracy()).isEqualTo(0.5);
        // class 2: predicted twice (rows 2, 3), right once → precision ½; present twice, found once → recall ½
        assertThat(m.precision(2)).isEqualTo(0.5);
        assertThat(m.recall(2)).isEqualTo(0.5);
        assertThat(m.f1(2)).isEqualTo(0.5);
        // class 0: predicted once (wrongly), present once (missed): all 0; class 1: all 1
        assertThat(m.precision(0)).isZero();
        assertThat(m.f1(0)).isZero();
        assertThat(m.f1(1)).isEqualTo(1.0);
        assertThat(m.macroF1()).isCloseTo(0.5, within(1e-12));
        assertThatThrownBy(() -> m.add(3, 0)).hasMessageContaining("outside 0..2");
    }

    @Test
    void accuracyCountsEveryPositionOfASequence() {
        // [N=2, T=2, C=3] scores against [2, 2] classes: argmax per position (0, 2), (1, 1); targets (0, 1), (1, 1)
        Tensor scores = Tensor.of(new float[] {5, 1, 0,   0, 1, 9,
                                               0, 7, 1,   2, 3, 1}, 2, 2, 3);
        Accuracy a = new Accuracy();
        a.add(scores, Tensor.of(new float[] {0, 1, 1, 1}, 2, 2));
        assertThat(a.value()).as("3 of 4 positions right").isEqualTo(0.75);
        a.add(Tensor.of(new float[] {0, 1}, 1, 2), Tensor.of(new float[] {0}, 1));
        assertThat(a.value()).as("then a [1, 2] batch, wrong: 3 of 5").isCloseTo(0.6, org.assertj.core.api.Assertions.within(1e-9));
        assertThatThrownBy(() -> new Accuracy().add(scores, Tensor.of(new float[] {0, 1}, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 2, 3]").hasMessageContaining("[2]");
    }

    @Test
    void meanAbsoluteErrorAveragesOverEveryElementOfEveryBatch() {
        MeanAbsoluteError m = new MeanAbsoluteError();
        assertThat(m.value()).isNaN();
        m.add(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), Tensor.of(new float[] {1, 0, 4, 4}, 2, 2));  // |0| + |2| + |−1| + |0| = 3
        m.add(Tensor.of(new float[] {0, 0}, 1, 2), Tensor.of(new float[] {3, -3}, 1, 2));            // 6
        assertThat(m.value()).as("9 over 6 elements").isEqualTo(1.5);
        assertThat(m.higherIsBetter()).isFalse();
    }

    @Test
    void theTaskPicksTheMetricFromTheShapes() {
        jgrad.nn.Loss ce = new jgrad.nn.CrossEntropyLoss(), mse = new jgrad.nn.MSELoss();
        assertThat(Metric.forTask(ce, Tensor.zeros(4, 10), Tensor.zeros(4))).isInstanceOf(Accuracy.class);
        assertThat(Metric.forTask(ce, Tensor.zeros(4, 7, 10), Tensor.zeros(4, 7))).isInstanceOf(Accuracy.class);
        assertThat(Metric.forTask(mse, Tensor.zeros(4, 1), Tensor.zeros(4, 1))).isInstanceOf(MeanAbsoluteError.class);
        assertThat(Metric.forTask(new jgrad.nn.L1Loss(), Tensor.zeros(4, 1), Tensor.zeros(4, 1))).isInstanceOf(MeanAbsoluteError.class);
        assertThat(Metric.forTask(ce, Tensor.zeros(4, 10), Tensor.zeros(4, 10))).as("cross-entropy on probabilities").isNull();
        assertThat(Metric.forTask(new jgrad.nn.BCEWithLogitsLoss(), Tensor.zeros(4), Tensor.zeros(4))).as("BCE on labels").isNull();
        assertThat(Metric.forTask(ce, Tensor.zeros(4, 10), Tensor.zeros(5))).as("sizes disagree").isNull();
        // cross-entropy's [N, C, T] against [N, T]: classes in dimension 1
        Metric k = Metric.forTask(ce, Tensor.zeros(2, 3, 5), Tensor.zeros(2, 5));
        assertThat(k).isInstanceOf(Accuracy.class);
        Tensor scores = Tensor.of(new float[] {1, 0,   0, 0,   0, 5}, 1, 3, 2);
        k.add(scores, Tensor.of(new float[] {0, 1}, 1, 2));  // argmax over C: position 0 → class 0, position 1 → class 2
        assertThat(k.value()).as("position 0 right (0), position 1 wrong (2 ≠ 1)").isEqualTo(0.5);
    }

    @Test
    void theReportNamesEachClassRow() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        m.add(0, 0);
        m.add(0, 1);
        m.add(1, 1);  // class 0: precision 1, recall 0.5; class 1: precision 0.5, recall 1
        var bytes = new java.io.ByteArrayOutputStream();
        m.printReport(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8), java.util.List.of("ankle boot", "T-shirt/top"));
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "      class  precision     recall         F1",
                " ankle boot     1.0000     0.5000     0.6667",
                "T-shirt/top     0.5000     1.0000     0.6667",
                "      macro     0.7500     0.7500     0.6667");
        assertThatThrownBy(() -> m.printReport(System.out, java.util.List.of("one"))).hasMessage("1 class names for 2 classes");
    }
}
