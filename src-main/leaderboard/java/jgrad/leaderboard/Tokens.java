package jgrad.leaderboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Participants' tokens and join codes. A token is 32 random bytes (256 bits, base64url, 43
 * characters) from {@link SecureRandom}; the storage keeps only its SHA-256. A plain hash (no salt, no
 * slow KDF) suffices because a token is random, not chosen by a person: nothing guesses 2²⁵⁶.
 * A join code is chosen by the organiser and is hashed the same way.
 */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    public static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** SHA-256 of the text's UTF-8 bytes, in hex. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
