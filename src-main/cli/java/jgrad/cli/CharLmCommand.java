package jgrad.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jgrad.autograd.NoGrad;
import jgrad.data.Batch;
import jgrad.data.TextDataset;
import jgrad.models.CharLm;
import jgrad.nn.ClipGrad;
import jgrad.nn.CrossEntropyLoss;
import jgrad.nn.LSTM;
import jgrad.optim.Adam;
import jgrad.tensor.Device;
import jgrad.tensor.Generator;
import jgrad.tensor.Tensor;
import jgrad.tensor.TensorFile;
import jgrad.train.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jgrad charlm}: a character-level language model on any text file. The text is cut into
 * {@code --batch-size} parallel streams; each step trains on the next {@code --seq-len} characters
 * of every stream, carrying the LSTM's state from step to step but cutting the graph there
 * (truncated backpropagation through time). Each epoch prints the loss, the perplexity e^loss and a
 * sample at {@code --temperature}; the model and its vocabulary are saved to {@code --out}, and
 * {@code --load} samples from a saved one.
 */
@Command(name = "charlm", mixinStandardHelpOptions = true,
        description = "Train a character-level LSTM language model on a text file (--text FILE), printing samples as it learns; or sample from a saved one (--load).")
public final class CharLmCommand implements Callable<Integer> {
    @Option(names = "--text", paramLabel = "FILE", description = "UTF-8 text to learn (e.g. /usr/share/games/fortunes/cookie from Debian's fortunes package)")
    Path text;
    @Option(names = "--max-chars", defaultValue = "1000000", description = "use at most this many characters of the text (default: ${DEFAULT-VALUE})")
    int maxChars;
    @Option(names = "--seq-len", defaultValue = "100", description = "characters per step and stream (default: ${DEFAULT-VALUE})")
    int seqLen;
    @Option(names = "--batch-size", defaultValue = "32", description = "parallel streams (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--embedding", defaultValue = "64", description = "embedding size (default: ${DEFAULT-VALUE})")
    int embedding;
    @Option(names = "--hidden", defaultValue = "256", description = "LSTM hidden size (default: ${DEFAULT-VALUE})")
    int hidden;
    @Option(names = "--layers", defaultValue = "1", description = "LSTM layers (default: ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--epochs", defaultValue = "3", description = "passes over the text (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--lr", defaultValue = "0.002", description = "Adam's learning rate (default: ${DEFAULT-VALUE})")
    float lr;
    @Option(names = "--clip", defaultValue = "5", description = "clip the gradients' total norm to this (default: ${DEFAULT-VALUE})")
    double clip;
    @Option(names = "--temperature", defaultValue = "0.8", description = "sampling temperature: lower is safer, higher more varied (default: ${DEFAULT-VALUE})")
    float temperature;
    @Option(names = "--sample-length", defaultValue = "300", description = "characters to sample (default: ${DEFAULT-VALUE})")
    int sampleLength;
    @Option(names = "--prime", description = "text the samples start from (default: a newline if the text has one)")
    String prime;
    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, reference, opencl or opencl:N (default: ${DEFAULT-VALUE})")
    String device;
    @Option(names = "--out", defaultValue = "charlm.jgrad", description = "where to save the model and its vocabulary (default: ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--load", paramLabel = "MODEL", description = "sample from a model saved by an earlier run instead of training")
    Path load;

    private final PrintStream log = System.out;

    @Override
    public Integer call() throws IOException {
        validate();
        Device dev = Device.of(device);
        Device.setDefault(dev);
        if (load != null) {
            Saved s = Saved.read(load);
            log.println(sample(s.model, s.vocabulary, new Generator(seed)));
            return 0;
        }
        jgrad.tensor.AtomicFile.checkWritableFile(out, "--out");  // before training, not after
        String all = readText();
        TextDataset data;
        try {
            data = new TextDataset(all, seqLen);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--text " + text + ": " + e.getMessage());
        }
        int streams = Math.min(batchSize, data.size());
        int steps = data.size() / streams;
        if (steps < 1) throw new IllegalArgumentException("--text: " + all.length() + " characters are too few for one step of "
                + streams + " streams of " + seqLen);
        CharLm model = new CharLm(data.vocabularySize(), embedding, hidden, layers, 0f, new Generator(seed));
        Adam optimizer = new Adam(model.parameters(), lr);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Generator sampling = new Generator(seed + 1);
        log.printf(Locale.ROOT, "%s: %,d characters, vocabulary %d; %d streams × %d steps of %d characters per epoch; %,d parameters; device %s%n",
                text, all.length(), data.vocabularySize(), streams, steps, seqLen, model.parameterCount(false), dev);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long t0 = System.nanoTime();
            double lossSum = 0;
            LSTM.State state = null;
            ProgressBar bar = new ProgressBar(log, steps);
            model.train();
            for (int step = 0; step < steps; step++) {
                int[] idx = new int[streams];
                for (int n = 0; n < streams; n++) idx[n] = n * steps + step;  // stream n's next chunk
                Batch b = data.batch(idx, dev);
                CharLm.Output o = model.forward(b.inputs(), state);
                Tensor cost = loss.forward(o.scores().reshape(-1, data.vocabularySize()), b.targets().reshape(-1));
                optimizer.zeroGrad();
                cost.backward();
                ClipGrad.clipGradNorm_(model.parameters(), clip);
                optimizer.step();
                state = new LSTM.State(o.state().h().detach(), o.state().c().detach());  // carried on, the graph cut
                lossSum += cost.item();
                double mean = lossSum / (step + 1), seconds = (System.nanoTime() - t0) / 1e9;
                bar.update(step + 1, String.format(Locale.ROOT, "epoch %d  loss %.4f  %,.0f chars/s", epoch, mean,
                        (step + 1) * (double) streams * seqLen / seconds));
            }
            bar.finish();
            double mean = lossSum / steps, seconds = (System.nanoTime() - t0) / 1e9;
            log.printf(Locale.ROOT, "epoch %d/%d  loss %.4f  perplexity %.2f  (%.1f s, %,.0f sequences/s)%n", epoch, epochs, mean,
                    Math.exp(mean), seconds, steps * (double) streams / seconds);
            log.println(indent(sample(model, data.vocabulary(), sampling)));
            new Saved(model, data.vocabulary()).write(out, embedding, hidden, layers);
        }
        log.println("Model saved to " + out + " (sample from it with ./jgrad charlm --load " + out + ")");
        return 0;
    }

    private String readText() throws IOException {
        String all = TextDataset.readText(text);
        return all.length() > maxChars ? all.substring(0, maxChars) : all;
    }

    /** {@code --sample-length} characters after {@code --prime}, drawn from softmax(scores / T). */
    private String sample(CharLm model, String vocabulary, Generator g) {
        String start = prime != null ? prime : vocabulary.indexOf('\n') >= 0 ? "\n" : vocabulary.substring(0, 1);
        for (char c : start.toCharArray()) {
            if (vocabulary.indexOf(c) < 0) throw new IllegalArgumentException("--prime: character '" + c + "' is not in the model's vocabulary");
        }
        model.eval();
        StringBuilder sb = new StringBuilder(start);
        try (NoGrad off = NoGrad.enter()) {
            LSTM.State state = null;
            float[] ids = new float[start.length()];
            for (int i = 0; i < ids.length; i++) ids[i] = vocabulary.indexOf(start.charAt(i));
            Tensor input = Tensor.of(ids, 1, ids.length);
            for (int i = 0; i < sampleLength; i++) {
                CharLm.Output o = model.forward(input, state);
                state = o.state();
                int t = o.scores().size(1);
                float[] scores = o.scores().slice(1, t - 1, t).toFloatArray();
                int next = draw(scores, temperature, g);
                sb.append(vocabulary.charAt(next));
                input = Tensor.of(new float[] {next}, 1, 1);
            }
        }
        return sb.toString();
    }

    /** A class drawn with probability softmax(scores / temperature). */
    static int draw(float[] scores, float temperature, Generator g) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) max = Math.max(max, s / temperature);
        double[] p = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(scores[i] / temperature - max);
        double u = g.nextFloat() * sum;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0) return i;
        }
        return p.length - 1;
    }

    private static String indent(String s) {
        return "  | " + s.replace("\n", "\n  | ");
    }

    private void validate() {
        if (load == null && text == null) throw new IllegalArgumentException("give --text FILE to train, or --load MODEL to sample");
        if (seqLen < 1) throw new IllegalArgumentException("--seq-len must be ≥ 1, got " + seqLen);
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be ≥ 1, got " + batchSize);
        if (embedding < 1 || hidden < 1 || layers < 1) throw new IllegalArgumentException("--embedding, --hidden and --layers must be ≥ 1");
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be ≥ 1, got " + epochs);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        if (!(clip > 0)) throw new IllegalArgumentException("--clip must be > 0, got " + clip);
        if (!(temperature > 0)) throw new IllegalArgumentException("--temperature must be > 0, got " + temperature);
        if (sampleLength < 0) throw new IllegalArgumentException("--sample-length must be ≥ 0, got " + sampleLength);
        if (maxChars < 2) throw new IllegalArgumentException("--max-chars must be ≥ 2, got " + maxChars);
    }

    /** A model with its vocabulary and sizes, in one tensor file. */
    private record Saved(CharLm model, String vocabulary) {
        void write(Path file, int embedding, int hidden, int layers) throws IOException {
            Map<String, Tensor> all = new LinkedHashMap<>();
            model.stateDict().forEach((k, v) -> all.put("model." + k, v));
            float[] chars = new float[vocabulary.length()];
            for (int i = 0; i < chars.length; i++) chars[i] = vocabulary.charAt(i);
            all.put("meta.vocabulary", Tensor.of(chars, chars.length));
            all.put("meta.sizes", Tensor.of(new float[] {embedding, hidden, layers}, 3));
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            TensorFile.save(all, file);
        }

        static Saved read(Path file) throws IOException {
            if (!Files.exists(file)) throw new IllegalArgumentException("--load: " + file + " does not exist");
            Map<String, Tensor> all = TensorFile.load(file);
            if (!all.containsKey("meta.vocabulary") || !all.containsKey("meta.sizes")) {
                throw new IllegalArgumentException("--load: " + file + " is not a model saved by ./jgrad charlm");
            }
            float[] chars = all.get("meta.vocabulary").toFloatArray(), sizes = all.get("meta.sizes").toFloatArray();
            StringBuilder v = new StringBuilder();
            for (float c : chars) v.append((char) c);
            CharLm model = new CharLm(v.length(), (int) sizes[0], (int) sizes[1], (int) sizes[2], 0f, new Generator(0));
            Map<String, Tensor> state = new LinkedHashMap<>();
            all.forEach((k, t) -> { if (k.startsWith("model.")) state.put(k.substring(6), t); });
            model.loadStateDict(state);
            return new Saved(model, v.toString());
        }
    }
}
