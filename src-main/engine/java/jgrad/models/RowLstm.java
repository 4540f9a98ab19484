package jgrad.models;

import jgrad.nn.LSTM;
import jgrad.nn.Linear;
import jgrad.nn.Module;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;

/**
 * Sequential MNIST: an image [N, 1, rows, cols] read one row per time step by an LSTM
 * (rows steps of cols pixels each), and its last hidden state h⁽ᵀ⁾ classified by a Linear layer:
 * scores [N, classes]. The recurrent network has to carry what it saw in the first rows to the end.
 */
public final class RowLstm extends Module {
    private final int rows, cols;
    public final LSTM lstm;
    public final Linear head;

    public RowLstm(int rows, int cols, int hidden, int classes, Generator g) {
        this.rows = rows;
        this.cols = cols;
        lstm = registerModule("lstm", new LSTM(cols, hidden, 1, true, true, 0f, false, g));
        head = registerModule("fc", new Linear(hidden, classes, true, g));
    }

    @Override
    public Tensor forward(Tensor images) {
        int n = images.size(0);
        if (images.numel() != n * rows * cols) {
            throw new IllegalArgumentException("RowLstm: expected images of " + rows + "×" + cols + " pixels, got shape "
                    + java.util.Arrays.toString(images.shape()));
        }
        Tensor h = lstm.forward(images.reshape(n, rows, cols), null).state().h();  // [1, N, H]: the state after the last row
        return head.forward(h.reshape(n, h.size(2)));
    }
}
