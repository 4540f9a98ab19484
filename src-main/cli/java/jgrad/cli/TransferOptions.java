package jgrad.cli;

import picocli.CommandLine.Option;

/** {@code ./jgrad train}'s transfer-learning options for the zoo models: pretrained weights, freezing, unfreezing, the backbone's rate, feature extraction. */
public final class TransferOptions {
    @Option(names = "--weights", paramLabel = "FILE|URL|NAME", description = "pretrained weights (safetensors) for the backbone, or a name: fashion-mnist or mnist "
            + "(resnet_mini pretrained by jgrad, built on first use into the weights cache, from --data if given; pictures are then prepared as it was trained: "
            + "28×28 grey); the head is made new for the data set's classes")
    String weights;
    @Option(names = "--weights-sha256", paramLabel = "HEX", description = "with a --weights URL: the file's SHA-256 (downloaded once into the weights cache)")
    String weightsSha256;
    @Option(names = "--freeze", defaultValue = "none", description = "none, backbone (all but the head) or N (the first N top-level layers) (default: ${DEFAULT-VALUE})")
    String freeze;
    @Option(names = "--unfreeze-at", paramLabel = "EPOCH", defaultValue = "0", description = "unfreeze the frozen layers at the start of this epoch (0: never)")
    int unfreezeAt;
    @Option(names = "--backbone-lr-scale", defaultValue = "1", description = "the backbone's learning rate is --lr times this, e.g. 0.1 (default: ${DEFAULT-VALUE})")
    double backboneLrScale;
    @Option(names = "--feature-extract", description = "freeze the backbone in evaluation mode, compute its features once, and train only the head on them")
    boolean featureExtract;

    void validate(int epochs) {
        if (unfreezeAt < 0) throw new IllegalArgumentException("--unfreeze-at must be ≥ 0 (0: never), got " + unfreezeAt);
        if (unfreezeAt > 0 && freeze.equals("none")) throw new IllegalArgumentException("--unfreeze-at needs --freeze backbone or --freeze N");
        if (unfreezeAt > epochs) throw new IllegalArgumentException("--unfreeze-at " + unfreezeAt + " is after the last epoch (" + epochs + ")");
        if (!(backboneLrScale >= 0) || Double.isInfinite(backboneLrScale)) {
            throw new IllegalArgumentException("--backbone-lr-scale must be ≥ 0, got " + backboneLrScale);
        }
        if (featureExtract && !(freeze.equals("none") || freeze.equals("backbone"))) {
            throw new IllegalArgumentException("--feature-extract freezes the whole backbone; leave out --freeze " + freeze);
        }
        if (featureExtract && unfreezeAt > 0) {
            throw new IllegalArgumentException("--feature-extract trains the head on cached features: it cannot --unfreeze-at (train again, fine-tuning, from its --out)");
        }
    }
}
