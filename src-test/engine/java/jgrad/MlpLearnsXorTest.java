package jgrad;

import static org.assertj.core.api.Assertions.assertThat;

import jgrad.autograd.NoGrad;
import jgrad.nn.Linear;
import jgrad.nn.MSELoss;
import jgrad.nn.Sequential;
import jgrad.nn.Sigmoid;
import jgrad.nn.Tanh;
import jgrad.optim.SGD;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** End to end: forward, loss, backward and SGD together solve a problem no linear model can. */
class MlpLearnsXorTest {

    @Test
    void twoLayerNetworkLearnsXorInAFixedNumberOfSteps() {
        Tensor x = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);
        Generator g = new Generator(7);
        Sequential net = new Sequential(new Linear(2, 8, true, g), new Tanh(), new Linear(8, 1, true, g), new Sigmoid());
        SGD opt = new SGD(net.parameters(), 0.5f, 0.9f, 0f);
        MSELoss mse = new MSELoss();

        float first = 0, last = 0;
        for (int step = 0; step < 300; step++) {
            opt.zeroGrad();
            Tensor loss = mse.forward(net.forward(x), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        float[] p;
        try (NoGrad scope = NoGrad.enter()) {
            p = net.forward(x).toFloatArray();
        }
        String detail = String.format("loss %.4f → %.4f, predictions for 00 01 10 11: %s", first, last, java.util.Arrays.toString(p));
        assertThat(last).as(detail).isLessThan(0.01f);
        assertThat(p[0]).as(detail).isLessThan(0.5f);
        assertThat(p[1]).as(detail).isGreaterThan(0.5f);
        assertThat(p[2]).as(detail).isGreaterThan(0.5f);
        assertThat(p[3]).as(detail).isLessThan(0.5f);
    }
}
