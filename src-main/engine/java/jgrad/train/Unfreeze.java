package jgrad.train;

import java.io.PrintStream;
import java.util.List;
import jgrad.nn.Parameter;

/** At the start of a chosen epoch, sets requiresGrad on frozen parameters: fine-tune the backbone after the head. */
public final class Unfreeze implements Trainer.Callback {
    private final int epoch;
    private final List<Parameter> params;
    private final PrintStream out;

    public Unfreeze(int epoch, List<Parameter> params, PrintStream out) {
        this.epoch = epoch;
        this.params = List.copyOf(params);
        this.out = out;
    }

    @Override
    public void onEpochStart(Trainer trainer, int e) {
        if (e != epoch) return;
        for (Parameter p : params) p.requiresGrad(true);
        if (out != null) out.printf("epoch %d: %d parameter tensors unfrozen%n", e, params.size());
    }

    @Override
    public void onEpochEnd(Trainer trainer, History.Epoch e) {}
}
