package jgrad.nn;

import java.util.Arrays;
import jgrad.autograd.NoGrad;
import jgrad.tensor.Tensor;

/**
 * Batch normalisation, as {@code torch.nn.BatchNorm1d/2d}: each channel is standardised with the
 * batch's mean and variance, then scaled and shifted by learned γ (weight) and β (bias):
 * <pre>  y = (x − μ_B) / √(σ²_B + ε) · γ + β </pre>
 * μ_B and σ²_B (biased) are taken over every dimension except the channel (N for [N, C]; N, H, W for
 * [N, C, H, W]). In training the running statistics move towards the batch's,
 * running ← (1 − momentum)·running + momentum·batch (the variance unbiased, as PyTorch); in evaluation
 * those running statistics replace μ_B and σ²_B.
 *
 * <p>The forward is written with differentiable tensor ops, so the backward (including the paths
 * through μ_B and σ²_B) comes from autograd; docs/ops/batchnorm.md derives the closed form it equals.
 */
public abstract class BatchNorm extends Module {
    private final int features;
    private final float eps, momentum;
    public final Parameter weight, bias;
    private final Tensor runningMean, runningVar;

    protected BatchNorm(int features, float eps, float momentum) {
        if (features < 1) throw new IllegalArgumentException("BatchNorm needs at least one feature, got " + features);
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = registerParameter("weight", new Parameter(Tensor.ones(features)));
        this.bias = registerParameter("bias", new Parameter(Tensor.zeros(features)));
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(features));
        this.runningVar = registerBuffer("running_var", Tensor.ones(features));
    }

    /** The input rank this layer accepts (2 or 3 for 1d, 4 for 2d). */
    protected abstract boolean acceptsRank(int rank);

    @Override
    public Tensor forward(Tensor x) {
        if (!acceptsRank(x.dim()) || x.size(1) != features) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(" + features + "): input of shape "
                    + Arrays.toString(x.shape()) + " does not have " + features + " channels in dimension 1");
        }
        int[] reduce = new int[x.dim() - 1];
        reduce[0] = 0;
        for (int d = 2; d < x.dim(); d++) reduce[d - 1] = d;
        int[] channelShape = new int[x.dim()];
        Arrays.fill(channelShape, 1);
        channelShape[1] = features;
        Tensor mean, var;
        if (isTraining()) {
            if (x.numel() / features < 2) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": training needs more than one value per channel "
                        + "to estimate a variance, got input of shape " + Arrays.toString(x.shape()) + " (use eval() for single examples)");
            }
            mean = x.mean(reduce, true);
            Tensor centered = x.sub(mean);
            var = centered.square().mean(reduce, true);
            int count = x.numel() / features;
            try (NoGrad scope = NoGrad.enter()) {
                runningMean.mulInPlace(1 - momentum).addInPlace(mean.reshape(features), momentum);
                float unbiased = count > 1 ? (float) count / (count - 1) : 1f;
                runningVar.mulInPlace(1 - momentum).addInPlace(var.reshape(features).mul(unbiased), momentum);
            }
            Tensor xHat = centered.div(var.add(eps).sqrt());
            return xHat.mul(weight.reshape(channelShape)).add(bias.reshape(channelShape));
        }
        mean = runningMean.reshape(channelShape);
        var = runningVar.reshape(channelShape);
        Tensor xHat = x.sub(mean).div(var.add(eps).sqrt());
        return xHat.mul(weight.reshape(channelShape)).add(bias.reshape(channelShape));
    }

    @Override
    protected String extraRepr() {
        return features + ", eps=" + eps + ", momentum=" + momentum;
    }
}
