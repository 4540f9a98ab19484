/**
 * The {@code ./jgrad} command line: {@link jgrad.cli.Main} dispatches subcommands (the MNIST demo
 * lives in mnist-demo/), plus the small terminal helpers they share.
 */
package jgrad.cli;
