package jgrad.nn;

import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * A convolutional layer, as {@code torch.nn.Conv2d}. It has out_channels filters; each filter is
 * in_channels/groups kernels of kernel_size, plus one bias; sliding a filter over the input makes one
 * feature map. With {@code groups} G the channels and filters are split into G groups and each filter
 * sees only its group's channels (G = in_channels: depthwise, as MobileNetV2). See
 * {@link jgrad.ops.Conv2d} for the forward and backward sums.
 *
 * <p>Shapes: x [N, in, H, W] · weight [out, in/G, R, S] · bias [out] · y [N, out, P, Q] with
 * P = ⌊(H + 2·padding − dilation·(R − 1) − 1) / stride⌋ + 1.
 *
 * <p>Initialisation as PyTorch's: weight and bias uniform in (−1/√fan_in, 1/√fan_in), fan_in = (in/G)·R·S.
 */
public class Conv2d extends Module {
    private final int in, out, groups;
    private final int[] kernel, stride, padding, dilation;
    public final Parameter weight;
    public final Parameter bias;

    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, true, Generator.global());
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator g) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
                new int[] {padding, padding}, new int[] {1, 1}, true, g);
    }

    /** kernel, stride, padding, dilation as {height, width}. */
    public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean bias, Generator g) {
        this(inChannels, outChannels, kernel, stride, padding, dilation, 1, bias, g);
    }

    /** kernel, stride, padding, dilation as {height, width}; in and out channels multiples of {@code groups}. */
    public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias, Generator g) {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("Conv2d(" + inChannels + ", " + outChannels + "): channel counts must be positive");
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d(" + inChannels + ", " + outChannels + ", groups=" + groups
                    + "): in_channels and out_channels must be multiples of groups");
        }
        this.groups = groups;
        this.in = inChannels;
        this.out = outChannels;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        float bound = (float) (1 / Math.sqrt((double) inChannels / groups * kernel[0] * kernel[1]));
        this.weight = registerParameter("weight", new Parameter(uniform(g, bound, outChannels, inChannels / groups, kernel[0], kernel[1])));
        this.bias = bias ? registerParameter("bias", new Parameter(uniform(g, bound, outChannels))) : null;
    }

    private static Tensor uniform(Generator g, float bound, int... shape) {
        return Tensor.rand(g, shape).mul(2 * bound).sub(bound);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != in) {
            throw new IllegalArgumentException("Conv2d(in_channels=" + in + "): input must be [N, " + in + ", H, W], got "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (groups == 1 && !isTraining() && !jgrad.autograd.NoGrad.isGradEnabled()) {
            return jgrad.ops.Conv2d.applyPrepared(x, weight, preparedFilters(), bias, stride, padding, dilation);
        }
        if (prepared != null) dropPrepared();  // training, or a graph: the weights may change, and the prepared copy would only hold memory
        return jgrad.ops.Conv2d.apply(x, weight, bias, stride, padding, dilation, groups);
    }

    /**
     * In evaluation without a graph the same filters meet batch after batch, so the backend's
     * rearranged copy of them (Winograd's transformed filters, packed taps: 8–14% of a ResNet-18
     * inference pass when made at every call) is made once and kept here, as long as the weight's
     * memory and version stay what they were (an optimizer step, {@code copyFrom} or
     * {@code loadStateDict} moves the version; {@code to(device)} the memory). Dropped at the first
     * forward in training mode or with a graph.
     */
    private jgrad.backend.PreparedFilters prepared;
    private jgrad.backend.Buffer preparedFrom;
    private int preparedVersion;

    private synchronized void dropPrepared() {
        prepared = null;
        preparedFrom = null;
    }

    private synchronized jgrad.backend.PreparedFilters preparedFilters() {
        jgrad.backend.Buffer b = weight.buffer();
        jgrad.backend.PreparedFilters p = prepared;
        if (p == null || preparedFrom != b || preparedVersion != weight.version() || !weight.isContiguous()) {
            prepared = null;  // the old copy goes before the new one is made
            Tensor w = jgrad.tensor.Kernels.contiguous(weight);
            p = w.device().backend().prepareFilters(w.buffer(), w.layout().offset());
            prepared = p;
            preparedFrom = b;
            preparedVersion = weight.version();
        }
        return p;
    }

    @Override
    protected String extraRepr() {
        return in + ", " + out + ", kernel_size=(" + kernel[0] + ", " + kernel[1] + "), stride=(" + stride[0] + ", " + stride[1] + ")"
                + (padding[0] != 0 || padding[1] != 0 ? ", padding=(" + padding[0] + ", " + padding[1] + ")" : "")
                + (dilation[0] != 1 || dilation[1] != 1 ? ", dilation=(" + dilation[0] + ", " + dilation[1] + ")" : "")
                + (groups != 1 ? ", groups=" + groups : "")
                + (bias == null ? ", bias=False" : "");
    }
}
