package jgrad.leaderboard;

/**
 * A refusal with its HTTP status and a one-line message naming the problem: 400 bad input, 401 no
 * or unknown token, 403 closed, 404 not found, 409 name taken, 413 body too large, 429 daily limit.
 * Thrown before anything is stored. An IllegalArgumentException, so the command line shows it as one line too.
 */
public final class ApiError extends IllegalArgumentException {
    private final int status;

    public ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
