/**
 * Workloads measured by {@code ./jgrad bench} and by the JMH benchmarks in jmh/: defined once here
 * so that both measure exactly the same code. No timing here; see {@link jgrad.cli.BenchCommand}.
 */
package jgrad.bench;
