package jgrad.nn;

import java.util.List;

/**
 * What {@link Module#loadStateDict(java.util.Map, boolean)} could not match, as PyTorch's
 * {@code _IncompatibleKeys}: {@code missing} are the module's parameter and buffer names the state
 * dict lacked (they kept their values), {@code unexpected} the state dict's names the module does not
 * have (ignored). Both are in order (the module's, then the state dict's); both are empty after a
 * strict load, which throws instead.
 */
public record IncompatibleKeys(List<String> missing, List<String> unexpected) {
    public IncompatibleKeys {
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
    }

    /** True when every key matched. */
    public boolean isEmpty() {
        return missing.isEmpty() && unexpected.isEmpty();
    }
}
