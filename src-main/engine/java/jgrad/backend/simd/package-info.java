/**
 * The fast CPU backend on the JDK Vector API: the only package that imports
 * {@code jdk.incubator.vector}. Same primitives as the reference backend, same results (to
 * rounding), much faster: vector loops with scalar tails finished by the reference code, a packed
 * and register-blocked GEMM, and work split across cores above a measured size.
 *
 * <p>Read first: {@link jgrad.backend.simd.Simd} (the species, chosen once), then
 * {@link jgrad.backend.simd.Gemm} (its path choice and blocking) and {@link jgrad.backend.simd.GemmKernel}
 * (the micro-kernel).
 */
package jgrad.backend.simd;
