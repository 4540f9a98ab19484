package jgrad.data;

/**
 * A dataset whose samples depend on the epoch (random augmentation): the loader tells it which
 * epoch is starting, so that epoch e's augmentations are the same in every run and after a resume.
 */
public interface EpochAware {
    void setEpoch(int epoch);
}
