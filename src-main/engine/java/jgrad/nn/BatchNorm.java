package jgrad.nn;

import java.util.Arrays;
import java.util.Set;
import jgrad.autograd.NoGrad;
import jgrad.backend.BinaryOp;
import jgrad.ops.BatchNormalize;
import jgrad.tensor.Kernels;
import jgrad.tensor.Tensor;

/**
 * Batch normalisation, as {@code torch.nn.BatchNorm1d/2d}: each channel is standardised with the
 * batch's mean and variance, then scaled and shifted by learned γ (weight) and β (bias):
 * <pre>  y = (x − μ_B) / √(σ²_B + ε) · γ + β </pre>
 * μ_B and σ²_B (biased) are taken over every dimension except the channel (N for [N, C]; N, H, W for
 * [N, C, H, W]).
 *
 * <p>Options, PyTorch's: {@code affine = false} drops γ and β (y = x̂; no parameters, none in the state
 * dict). {@code trackRunningStats = true} (the default) keeps the buffers {@code running_mean},
 * {@code running_var} and {@code num_batches_tracked}; each training forward adds 1 to
 * num_batches_tracked and moves the running statistics towards the batch's,
 * running ← (1 − m)·running + m·batch (the variance unbiased, ·n/(n − 1), as PyTorch), with
 * m = momentum, or m = 1/num_batches_tracked when momentum is null (a cumulative moving average: after
 * t batches the running mean is the plain mean of the t batch means). In evaluation the running
 * statistics replace μ_B and σ²_B. {@code trackRunningStats = false} keeps no buffers and uses the
 * batch's statistics in training and evaluation alike.
 *
 * <p>num_batches_tracked is held as a float32 tensor of shape [] (PyTorch: int64, shape []): the engine
 * has one element type, and float32 counts exactly up to 2²⁴ ≈ 16.7 million batches. Its key is in the
 * state dict as in PyTorch's; a state dict without it (files written before it existed, as PyTorch's
 * own version-1 checkpoints) still loads, keeping the count.
 *
 * <p>With batch statistics the forward is one op, {@link BatchNormalize}, with the closed-form backward
 * that docs/ops/batchnorm.md derives (including the paths through μ_B and σ²_B); with the running
 * statistics it is written with differentiable tensor ops, y = x·a + b, a and b per channel, and
 * when nothing needs a gradient (inference) it is one pass, (x − μ_run)·γ/√(σ²_run + ε) + β
 * ({@code Kernels.channelAffine}).
 * Checked by {@code TorchParityCnnTest} and {@code BatchNormOptionsTest}.
 */
public abstract class BatchNorm extends Module {
    private final int features;
    private final float eps;
    private final Float momentum;
    private final boolean affine, trackRunningStats;
    /** γ and β; null when not affine. */
    public final Parameter weight, bias;
    private final Tensor runningMean, runningVar, numBatchesTracked;

    protected BatchNorm(int features, float eps, Float momentum, boolean affine, boolean trackRunningStats) {
        if (features < 1) throw new IllegalArgumentException("BatchNorm needs at least one feature, got " + features);
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm momentum must be in [0, 1] or null (cumulative average), got " + momentum);
        }
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        this.weight = affine ? registerParameter("weight", new Parameter(Tensor.ones(features))) : null;
        this.bias = affine ? registerParameter("bias", new Parameter(Tensor.zeros(features))) : null;
        this.runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(features)) : null;
        this.runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(features)) : null;
        this.numBatchesTracked = trackRunningStats ? registerBuffer("num_batches_tracked", Tensor.zeros()) : null;
    }

    /** The input rank this layer accepts (2 or 3 for 1d, 4 for 2d). */
    protected abstract boolean acceptsRank(int rank);

    private void checkInput(Tensor x) {
        if (!acceptsRank(x.dim()) || x.size(1) != features) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(" + features + "): input of shape "
                    + Arrays.toString(x.shape()) + " does not have " + features + " channels in dimension 1");
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        int[] reduce = new int[x.dim() - 1];
        reduce[0] = 0;
        for (int d = 2; d < x.dim(); d++) reduce[d - 1] = d;
        int[] channelShape = new int[x.dim()];
        Arrays.fill(channelShape, 1);
        channelShape[1] = features;
        if (isTraining() || !trackRunningStats) {
            int count = x.numel() / features;
            if (count < 2) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": batch statistics need more than one value per channel "
                        + "to estimate a variance, got input of shape " + Arrays.toString(x.shape())
                        + (trackRunningStats ? " (use eval() for single examples)" : ""));
            }
            // one node with its closed-form backward (jgrad.ops.BatchNormalize): it keeps x alone, not three full-size intermediates
            BatchNormalize.Result r = BatchNormalize.apply(x, weight, bias, eps);
            if (isTraining() && trackRunningStats) updateRunningStats(r.mean(), r.var(), count);
            return r.y();
        }
        // running statistics: y = x·a + b with a = γ/√(σ²_run + ε), b = β − μ_run·a, the per-channel parts first (two full-size passes)
        Tensor std = runningVar.add(eps).sqrt();
        if (!needsGraph(x)) {
            // inference: (x − μ_run)·(γ/√(σ²_run + ε)) + β in one pass (Backend#channelAffine), nothing to differentiate
            return Kernels.channelAffine(x, runningMean, inferenceScale(std), inferenceShift(x), null, null);
        }
        if (!affine) return x.sub(runningMean.reshape(channelShape)).div(std.reshape(channelShape));
        Tensor a = weight.div(std);
        Tensor b = bias.sub(runningMean.mul(a));
        return x.mul(a.reshape(channelShape)).add(b.reshape(channelShape));
    }

    private boolean needsGraph(Tensor x) {
        return NoGrad.isGradEnabled() && (x.requiresGrad() || affine && (weight.requiresGrad() || bias.requiresGrad()));
    }

    /** γ/√(σ²_run + ε), or 1/√(σ²_run + ε) without γ. */
    private Tensor inferenceScale(Tensor std) {
        return affine ? weight.div(std) : Kernels.map(jgrad.backend.UnaryOp.RECIPROCAL, std);
    }

    private Tensor inferenceShift(Tensor x) {
        return affine ? bias : Tensor.zeros(x.device(), features);
    }

    /**
     * {@link #forward}, written over x where that is the same result: in evaluation with the running
     * statistics and nothing to differentiate (an inference pass), y = (x − μ_run)·γ/√(σ²_run + ε) + β
     * goes into x's own memory and x is returned; otherwise this is {@code forward(x)}. For a model's
     * own temporaries, the output of the convolution before it, which nothing reads again: the pass
     * then needs one full-size tensor fewer (ResNet-18's stem: 26 MB at 224×224, batch 8). The caller
     * must not read x afterwards. PyTorch has no such call; its inference runs batch norm out of place
     * unless the network is fused first ({@code torch.fx}, {@code fuse_conv_bn_eval}).
     */
    public Tensor forwardInPlace(Tensor x) {
        checkInput(x);
        if (isTraining() || !trackRunningStats || needsGraph(x) || !x.isContiguous() || x.layout().offset() != 0) return forward(x);
        Tensor std = runningVar.add(eps).sqrt();
        Kernels.channelAffineInto(x, runningMean, inferenceScale(std), inferenceShift(x), x);
        x.markChangedInPlace();
        return x;
    }

    /** running ← (1 − m)·running + m·batch, m = momentum or 1/num_batches_tracked (after counting this batch). */
    private void updateRunningStats(Tensor mean, Tensor var, int count) {
        try (NoGrad scope = NoGrad.enter()) {
            float m;
            if (momentum != null) {
                // counted on the device: no read back (on OpenCL a read would wait for the queue every step)
                Kernels.zipScalarInto(BinaryOp.ADD, numBatchesTracked, 1f, numBatchesTracked);
                m = momentum;
            } else {
                float batches = numBatchesTracked.item() + 1;  // the weight 1/t is needed here, on the host
                numBatchesTracked.fillInPlace(batches);
                m = (float) (1.0 / batches);
            }
            runningMean.mulInPlace(1 - m).addInPlace(mean, m);
            float unbiased = (float) count / (count - 1);
            runningVar.mulInPlace(1 - m).addInPlace(var.mul(unbiased), m);
        }
    }

    @Override
    protected Set<String> optionalInStateDict() {
        return trackRunningStats ? Set.of("num_batches_tracked") : Set.of();
    }

    @Override
    protected String extraRepr() {
        return features + ", eps=" + eps + ", momentum=" + (momentum == null ? "None" : momentum)
                + ", affine=" + (affine ? "True" : "False") + ", track_running_stats=" + (trackRunningStats ? "True" : "False");
    }
}
