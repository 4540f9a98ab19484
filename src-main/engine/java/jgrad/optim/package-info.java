/**
 * Optimizers: they read each parameter's {@code grad} and update the parameter in place. Each
 * states its rule once, as tensor ops in a static {@code update} (its definition); {@code step}
 * does the bookkeeping and calls it, or a fused backend pass checked against it (docs/optim.md).
 * Read first: {@link jgrad.optim.SGD}.
 */
package jgrad.optim;
