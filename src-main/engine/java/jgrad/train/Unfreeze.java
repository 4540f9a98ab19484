package jgrad.train;

import java.io.PrintStream;
import java.util.List;
import jgrad.nn.Parameter;

/**
 * At the start of a chosen epoch, sets requiresGrad on frozen parameters: fine-tune the backbone
 * after the head. A run resumed after that epoch unfreezes them at its first epoch, so it goes on
 * as the uninterrupted run did.
 */
public final class Unfreeze implements Trainer.Callback {
    private final int epoch;
    private final List<Parameter> params;
    private final PrintStream out;
    private boolean done;

    public Unfreeze(int epoch, List<Parameter> params, PrintStream out) {
        this.epoch = epoch;
        this.params = List.copyOf(params);
        this.out = out;
    }

    @Override
    public void onFitStart(Trainer trainer) {
        done = false;
    }

    @Override
    public void onEpochStart(Trainer trainer, int e) {
        if (done || e < epoch) return;
        for (Parameter p : params) p.requiresGrad(true);
        done = true;
        if (out != null) out.printf("epoch %d: %d parameter tensors unfrozen%n", e, params.size());
    }

    @Override
    public void onEpochEnd(Trainer trainer, History.Epoch e) {}
}
