package jgrad.autograd;

/**
 * A scope in which ops record nothing, like {@code torch.no_grad()}:
 * <pre>{@code try (var scope = NoGrad.enter()) { predictions = model.forward(x); }}</pre>
 * Scopes nest; recording is per thread.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private boolean closed;

    private NoGrad() {
        DEPTH.get()[0]++;
    }

    public static NoGrad enter() {
        return new NoGrad();
    }

    public static boolean isGradEnabled() {
        return DEPTH.get()[0] == 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DEPTH.get()[0]--;
        }
    }
}
