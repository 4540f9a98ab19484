package jgrad.nn;

import java.util.Arrays;
import jgrad.tensor.Tensor;

/**
 * A skip connection, as in ResNet: the input goes through a body of layers <em>and</em> around it,
 * and the two are added.
 * <pre>  y = body(x) + shortcut(x)       shortcut = identity by default, or e.g. a 1×1 Conv2d </pre>
 * The body then only has to learn a correction to x, and the gradient has a path that no layer
 * can shrink: by the chain rule through the sum,
 * <pre>  dX = body′(x)ᵀ·dY + shortcut′(x)ᵀ·dY = body′(x)ᵀ·dY + dY   (identity shortcut) </pre>
 * so dY reaches the layers below even where the body's own derivative is small.
 *
 * <p>Shapes: x [N, ...] · body(x) and shortcut(x) must have the same shape, which is y's. When the
 * body changes the shape (more channels, a stride), give a shortcut that changes it the same way.
 *
 * <p>Children are registered as {@code body} and {@code shortcut} (when not the identity), so
 * {@link #parameters()} and the state dict see them: {@code "body.0.weight"}, {@code "shortcut.weight"}.
 * Nothing is saved beyond what the body and shortcut save; the add saves nothing.
 *
 * <h2>Several tensors in and out: the convention</h2>
 * Residual takes and returns one tensor. A module whose computation takes or returns several
 * (a recurrent cell: input and state in, output and new state out) follows this shape, so that the
 * coming RNN/LSTM modules look alike:
 * <ol>
 *   <li>It keeps {@code Tensor forward(Tensor x)} for the common call with the input alone, its other
 *       inputs at their defaults (a zero state), returning its main output. So it still fits in a
 *       {@link Sequential}, as PyTorch's LSTM can be called with the input alone.</li>
 *   <li>It adds a typed overload whose extra inputs and whose outputs are Java records named after
 *       what they hold, declared inside the module:
 *       <pre>{@code
 * public record State(Tensor h, Tensor c) {}
 * public record Output(Tensor y, State state) {}
 * public Output forward(Tensor x, State state) { ... }
 * @Override public Tensor forward(Tensor x) { return forward(x, zeroState(x)).y(); }
 *       }</pre>
 *       Records, not {@code Tensor[]} or {@code List<Tensor>}: the names say which tensor is which,
 *       the compiler checks the count, and a returned state can be passed straight back in.</li>
 *   <li>Every tensor in a record is an ordinary graph tensor: a loss built from any of the outputs
 *       sends gradients to every input that requires them, the state included.</li>
 * </ol>
 * {@code jgrad.nn.SeveralTensorsModuleTest} trains such a module end to end.
 *
 * <p>Checked by: {@code jgrad.nn.ResidualTest} (gradient checks through both paths, identity and a
 * 1×1 convolution shortcut, parameters and state dict).
 */
public class Residual extends Module {
    private final Module body;
    private final Module shortcut;  // null: the identity

    /** y = body(x) + x. */
    public Residual(Module body) {
        this(body, null);
    }

    /** y = body(x) + shortcut(x); a null shortcut is the identity. */
    public Residual(Module body, Module shortcut) {
        if (body == null) throw new IllegalArgumentException("Residual: the body must not be null");
        this.body = registerModule("body", body);
        this.shortcut = shortcut == null ? null : registerModule("shortcut", shortcut);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor main = body.forward(x);
        Tensor skip = shortcut == null ? x : shortcut.forward(x);
        if (!Arrays.equals(main.shape(), skip.shape())) {
            throw new IllegalArgumentException("Residual: body output " + Arrays.toString(main.shape()) + " and shortcut output "
                    + Arrays.toString(skip.shape()) + " differ (input " + Arrays.toString(x.shape()) + "); give a shortcut "
                    + "that maps the input to the body's shape, e.g. a 1×1 Conv2d");
        }
        return main.add(skip);
    }

    public Module body() {
        return body;
    }

    /** The shortcut module, or null for the identity. */
    public Module shortcut() {
        return shortcut;
    }
}
