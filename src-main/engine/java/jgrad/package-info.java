/**
 * jgrad: deep learning from scratch in pure Java, written to be read next to the math
 * (3Blue1Brown's notation: a⁽ˡ⁾ = σ(W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾), C₀ = Σⱼ(aⱼ − yⱼ)²) and fast enough to use.
 *
 * <p>Reading order for learners (the README's):
 * <ol>
 *   <li>docs/backprop.md with the slides: the network, the cost, the chain rule.</li>
 *   <li>{@link jgrad.nn.Linear}: z = W·a + b, and its backward next to it: dW = dZᵀ·A, db = Σₙ dZ, dA = dZ·W.</li>
 *   <li>{@link jgrad.ops.Elementwise}: each op's derivative next to its forward (start with {@code Sigmoid}).</li>
 *   <li>{@link jgrad.ops.MatMul}, then {@link jgrad.autograd.Engine}: how the chain rule runs over a
 *       whole graph (order, seed, loop, accumulate; memory is {@link jgrad.autograd.MemoryPolicy}'s business).</li>
 *   <li>mnist-demo's {@code jgrad.mnist.MnistCommand}, method {@code train}: the training loop in a
 *       screenful; {@link jgrad.train.Trainer} is the same loop with callbacks.</li>
 *   <li>{@link jgrad.autograd.GradCheck} and the tests under src-test/engine/java/jgrad/ops/: how we
 *       know the derivatives are right.</li>
 *   <li>docs/architecture.md: the units, the seam between the calculus and the kernels
 *       ({@link jgrad.backend.Backend}), the backend registry, the memory policy.</li>
 * </ol>
 *
 * <p>This unit, the engine ({@code jgrad-engine}), needs nothing but the JDK. Above the seam:
 * {@link jgrad.tensor}, {@link jgrad.autograd}, {@link jgrad.ops}, {@link jgrad.nn},
 * {@link jgrad.optim}, {@link jgrad.data}, {@link jgrad.vision}, {@link jgrad.models},
 * {@link jgrad.metrics}, {@link jgrad.train}. Below it: {@link jgrad.backend.reference} (the
 * oracle) and {@link jgrad.backend.simd} (the Vector API); the OpenCL backend, the MNIST demo and
 * the command line are units of their own.
 */
package jgrad;
