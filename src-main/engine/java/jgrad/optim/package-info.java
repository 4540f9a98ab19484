/**
 * Optimizers: they read each parameter's {@code grad} and update the parameter in place.
 * Read first: {@link jgrad.optim.SGD}.
 */
package jgrad.optim;
