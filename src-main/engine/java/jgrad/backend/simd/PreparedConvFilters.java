package jgrad.backend.simd;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.ref.Cleaner;
import java.util.function.Supplier;
import jgrad.backend.Buffer;
import jgrad.backend.PreparedFilters;

/**
 * Filters prepared for many forward convolutions ({@code SimdBackend.prepareFilters}): the weights
 * where they lie, and, made at the first call that needs each, the forms the paths rearrange them
 * into at every call otherwise: Winograd's transformed filters U (whole, or block after block for a
 * bank it transforms in blocks) and the small-map path's packed taps. Each form is keyed by what it
 * depends on (the path, K, C and the taps), so one prepared object serves inputs of any batch or size.
 */
final class PreparedConvFilters implements PreparedFilters {
    /**
     * The most floats all prepared filters of the process keep together (an eighth of the maximum
     * heap, 64 MB at the launcher's 512 MB; {@code -Djgrad.conv.preparedMax} floats); a form that
     * would pass it is not kept, and its path makes it at every call as without preparation.
     * Winograd's U is four times its filters: ResNet-18's 512 → 512 layers alone would keep 113 MB.
     */
    static final long MAX_FLOATS = Long.getLong("jgrad.conv.preparedMax", Runtime.getRuntime().maxMemory() / 8 / Float.BYTES);
    private static final AtomicLong KEPT = new AtomicLong();
    private static final Cleaner CLEANER = Cleaner.create();

    final Buffer w;
    final int offset;
    private final Map<Object, float[]> forms = new HashMap<>();
    /** Floats this object keeps, given back to the process's count when it is collected. */
    private final AtomicLong held = new AtomicLong();

    PreparedConvFilters(Buffer w, int offset) {
        this.w = w;
        this.offset = offset;
        AtomicLong mine = held;
        CLEANER.register(this, () -> KEPT.addAndGet(-mine.get()));
    }

    /**
     * The form named by key, made by make the first time; null if a form of {@code floats} floats
     * would pass {@link #MAX_FLOATS} (the caller then makes it as if unprepared).
     */
    synchronized float[] form(Object key, long floats, Supplier<float[]> make) {
        float[] f = forms.get(key);
        if (f != null) return f;
        if (KEPT.addAndGet(floats) > MAX_FLOATS) {
            KEPT.addAndGet(-floats);
            return null;
        }
        try {
            f = make.get();
        } catch (RuntimeException | Error e) {
            KEPT.addAndGet(-floats);  // nothing kept: the count goes back
            throw e;
        }
        held.addAndGet(floats);
        forms.put(key, f);
        return f;
    }

    /** Floats held in the forms made so far. */
    synchronized long floats() {
        long n = 0;
        for (float[] f : forms.values()) n += f.length;
        return n;
    }
}
