package io.voidrail.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * API keys: generation in the original's format and constant-time checks. A manager holds one set of
 * accepted keys (the router keeps one for dealers and one for clients), and never gives them back: it tells how
 * many it holds, their {@linkplain #redact fingerprints}, and whether a candidate is one of them. Keys are never
 * logged.
 */
public final class ApiKeyManager {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyMMdd");

    private final List<byte[]> keys;
    private final List<String> fingerprints;

    public ApiKeyManager(Collection<String> keys) {
        Set<String> unique = new LinkedHashSet<>();
        for (String key : keys) {
            if (key != null && !key.isBlank()) {
                unique.add(key.strip());
            }
        }
        this.keys = unique.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        this.fingerprints = unique.stream().map(ApiKeyManager::redact).toList();
    }

    /**
     * A new key {@code <prefix>_<YYMMDD>_<22 url-safe chars>}: 16 random bytes (128 bits) from a
     * {@link SecureRandom}, base64url without padding.
     */
    public static String generateKey(String prefix) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return prefix + "_" + LocalDate.now(ZoneOffset.UTC).format(DAY) + "_"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** Whether the key is one of ours; every stored key is compared in constant time. */
    public boolean isValid(@Nullable String candidate) {
        if (candidate == null) {
            return false;
        }
        byte[] given = candidate.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : keys) {
            match |= MessageDigest.isEqual(key, given);
        }
        return match;
    }

    /** How many distinct keys it accepts (blank ones are left out). */
    public int size() {
        return keys.size();
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The {@linkplain #redact fingerprint} of each key, in the order given: safe to show or log. */
    public List<String> fingerprints() {
        return fingerprints;
    }

    @Override
    public String toString() {
        return "ApiKeyManager" + fingerprints;
    }

    /**
     * A key as it may appear in logs: its role prefix when it is {@code dealer_} or {@code client_}, then
     * {@code key#} and the first 8 hex digits of its SHA-256, e.g. {@code dealer_key#3f2a9c1d}. No character of
     * the key after the prefix is shown (a key's random part may itself hold {@code _}).
     */
    public static String redact(@Nullable String key) {
        if (key == null) {
            return "<none>";
        }
        String role = key.startsWith("dealer_") ? "dealer_" : key.startsWith("client_") ? "client_" : "";
        return role + "key#" + Digests.shortSha256(key.getBytes(StandardCharsets.UTF_8));
    }
}
