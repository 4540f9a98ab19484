package jgrad.nn;

import jgrad.tensor.Tensor;

/**
 * a = min(max(0, z), 6), elementwise, as {@code torch.nn.ReLU6} (MobileNetV2's activation);
 * derivative 1 where 0 &lt; z &lt; 6, else 0 (0 at both kinks, as PyTorch). See
 * {@link jgrad.ops.Elementwise} and docs/ops/elementwise.md.
 */
public class ReLU6 extends Module {
    @Override
    public Tensor forward(Tensor z) {
        return Functional.relu6(z);
    }
}
