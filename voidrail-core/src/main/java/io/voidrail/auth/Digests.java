package io.voidrail.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short digests that tell keys apart in logs without revealing any part of them. */
final class Digests {

    private Digests() {
    }

    /** The first 8 hex digits (32 bits) of the SHA-256 of the bytes. */
    static String shortSha256(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 4);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("Every Java runtime has SHA-256", ex);
        }
    }
}
