/**
 * Neural-network building blocks with PyTorch's names: {@link jgrad.nn.Module}, {@link jgrad.nn.Linear},
 * {@link jgrad.nn.Sequential}, activations, and losses; recurrent layers {@link jgrad.nn.RNN},
 * {@link jgrad.nn.LSTM} and {@link jgrad.nn.GRU} over whole sequences, and their one-step cells
 * {@link jgrad.nn.RNNCell}, {@link jgrad.nn.LSTMCell} and {@link jgrad.nn.GRUCell}.
 *
 * <p>Read first: {@link jgrad.nn.Linear} (3Blue1Brown's z = W·a + b), then {@link jgrad.nn.Module}.
 * For recurrent networks: {@link jgrad.nn.RNNCell}, then {@link jgrad.nn.LSTMCell#gates} (one
 * step's gate arithmetic, each derivative beside its line), then {@link jgrad.nn.LSTM}
 * (docs/ops/rnn.md and docs/ops/lstm.md derive them).
 */
package jgrad.nn;
