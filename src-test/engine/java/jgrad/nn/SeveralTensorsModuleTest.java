package jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import jgrad.autograd.GradCheck;
import jgrad.ops.CatSplit;
import jgrad.optim.Adam;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The convention for a module with several tensors in and out (see {@link Residual}'s javadoc): a
 * small recurrent cell keeps {@code forward(Tensor)} and adds {@code Output forward(Tensor, State)}
 * with records. Here it is used with both, trained end to end, and checked to send gradients to
 * both of its inputs.
 */
class SeveralTensorsModuleTest {

    /** h' = tanh(W_x·x + W_h·h + b), y = W_y·h' + b_y: one step of an Elman RNN, as a sketch. */
    static final class TinyCell extends Module {
        record State(Tensor h) {}

        record Output(Tensor y, State state) {}

        final int hidden;
        final Linear inputToHidden, hiddenToHidden, hiddenToOutput;

        TinyCell(int in, int hidden, int out, Generator g) {
            this.hidden = hidden;
            inputToHidden = registerModule("inputToHidden", new Linear(in, hidden, true, g));
            hiddenToHidden = registerModule("hiddenToHidden", new Linear(hidden, hidden, false, g));
            hiddenToOutput = registerModule("hiddenToOutput", new Linear(hidden, out, true, g));
        }

        State zeroState(Tensor x) {
            return new State(Tensor.zeros(x.device(), x.size(0), hidden));
        }

        /** The typed call: input and state in, output and new state out. */
        Output forward(Tensor x, State state) {
            Tensor h = inputToHidden.forward(x).add(hiddenToHidden.forward(state.h())).tanh();
            return new Output(hiddenToOutput.forward(h), new State(h));
        }

        /** The one-tensor call (state starts at zero), so the cell still fits in a Sequential. */
        @Override
        public Tensor forward(Tensor x) {
            return forward(x, zeroState(x)).y();
        }
    }

    @Test
    void bothInputsReceiveGradients() {
        Generator g = new Generator(1);
        TinyCell cell = new TinyCell(2, 3, 1, g);
        Tensor x = Tensor.randn(g, 4, 2).requiresGrad(true);
        Tensor h0 = Tensor.randn(g, 4, 3).requiresGrad(true);
        TinyCell.Output out = cell.forward(x, new TinyCell.State(h0));
        out.y().square().sum().add(out.state().h().sum()).backward();
        assertThat(x.grad().abs().sum().item()).as("x receives a gradient").isGreaterThan(0f);
        assertThat(h0.grad().abs().sum().item()).as("the state receives a gradient").isGreaterThan(0f);
        // and those gradients are right: both outputs, flattened and joined, against central differences
        GradCheck.Result r = new GradCheck().check(xs -> {
            TinyCell.Output o = cell.forward(xs[0], new TinyCell.State(xs[1]));
            return CatSplit.cat(List.of(o.y().reshape(-1), o.state().h().reshape(-1)), 0);
        }, x, h0);
        assertThat(r.passed()).as(r.detail()).isTrue();
    }

    @Test
    void learnsToRecallTheFirstOfThreeInputs() {
        // y after three steps must be x₁: only the state can carry it there
        Generator g = new Generator(2);
        TinyCell cell = new TinyCell(1, 8, 1, g);
        Tensor[] xs = {Tensor.randn(g, 16, 1), Tensor.randn(g, 16, 1), Tensor.randn(g, 16, 1)};
        Adam opt = new Adam(cell.parameters(), 0.03f);
        float first = 0, last = 0;
        for (int step = 0; step < 150; step++) {
            TinyCell.State s = cell.zeroState(xs[0]);
            TinyCell.Output o = null;
            for (Tensor x : xs) {
                o = cell.forward(x, s);
                s = o.state();
            }
            Tensor loss = o.y().sub(xs[0]).square().mean();
            cell.zeroGrad();
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertThat(last).as("loss after 150 steps (first %s)", first).isLessThan(first / 10);
        assertThat(cell.hiddenToHidden.weight.grad()).as("the recurrent weight learned too").isNotNull();
    }

    @Test
    void theOneTensorCallFitsInASequential() {
        Generator g = new Generator(3);
        TinyCell cell = new TinyCell(2, 3, 2, g);
        Sequential net = new Sequential(cell, new Tanh());
        Tensor x = Tensor.randn(g, 5, 2);
        assertThat(net.forward(x).toFloatArray()).isEqualTo(cell.forward(x, cell.zeroState(x)).y().tanh().toFloatArray());
        assertThat(net.namedParameters().keySet()).containsExactly("0.inputToHidden.weight", "0.inputToHidden.bias",
                "0.hiddenToHidden.weight", "0.hiddenToOutput.weight", "0.hiddenToOutput.bias");
    }
}
