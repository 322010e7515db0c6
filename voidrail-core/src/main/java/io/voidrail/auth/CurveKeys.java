package io.voidrail.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;

import com.neilalexander.jnacl.crypto.curve25519;

/**
 * CURVE key pairs (CurveZMQ, as JeroMQ and libzmq use them): generation, Z85 checks and certificate files.
 *
 * <p>Files are ZeroMQ certificates in the text format of czmq's {@code zcert} and pyzmq's
 * {@code zmq.auth.create_certificates}: {@code NAME.key} holds the public key, {@code NAME.key_secret} both keys.
 * pyzmq's {@code zmq.auth.load_certificate} reads the files written here and this class reads the files pyzmq
 * writes. An allow-list directory holds the {@code *.key} files of the peers a router admits.
 */
public final class CurveKeys {

    /** Suffix of a public certificate, as czmq and pyzmq name them. */
    public static final String PUBLIC_SUFFIX = ".key";
    /** Suffix of a secret certificate (public and secret key). */
    public static final String SECRET_SUFFIX = ".key_secret";

    private static final String Z85_ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

    private CurveKeys() {
    }

    /**
     * A key pair in Z85 (40 characters each). {@link #toString()} never shows the secret key.
     *
     * @param publicKey the public key, shared with peers
     * @param secretKey the secret key, kept by its owner only
     */
    public record Pair(String publicKey, String secretKey) {

        public Pair {
            checkKey(publicKey, "public key");
            checkKey(secretKey, "secret key");
            if (!publicKeyOf(secretKey).equals(publicKey)) {
                throw new IllegalArgumentException("The CURVE public key " + publicKey + " does not belong to the "
                        + "secret key given with it");
            }
        }

        /** The pair of a secret key (the public key follows from it). */
        public static Pair ofSecretKey(String secretKey) {
            checkKey(secretKey, "secret key");
            return new Pair(publicKeyOf(secretKey), secretKey);
        }

        /** A short name for logs: {@code curve#} and 8 hex digits of the public key's SHA-256. */
        public String fingerprint() {
            return CurveKeys.fingerprint(publicKey);
        }

        @Override
        public String toString() {
            return "CurveKeys.Pair[publicKey=" + publicKey + ", secretKey=***]";
        }
    }

    /** A new random key pair. */
    public static Pair generate() {
        ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
        return new Pair(pair.publicKey, pair.secretKey);
    }

    /** Whether the text is a 32-byte key in Z85 (40 characters of the Z85 alphabet). */
    public static boolean isKey(@Nullable String z85) {
        if (z85 == null || z85.length() != ZMQ.Curve.KEY_SIZE_Z85) {
            return false;
        }
        for (int i = 0; i < z85.length(); i++) {
            if (Z85_ALPHABET.indexOf(z85.charAt(i)) < 0) {
                return false;
            }
        }
        // a block of 5 characters above 2^32 - 1 is not Z85: it does not survive the round trip
        return ZMQ.Curve.z85Encode(ZMQ.Curve.z85Decode(z85)).equals(z85);
    }

    /** The key's 32 bytes; throws {@link IllegalArgumentException} when it is not Z85. */
    public static byte[] decode(String z85) {
        checkKey(z85, "key");
        return ZMQ.Curve.z85Decode(z85);
    }

    /** The public key that belongs to a secret key. */
    public static String publicKeyOf(String secretKey) {
        byte[] publicKey = new byte[ZMQ.Curve.KEY_SIZE];
        curve25519.crypto_scalarmult_base(publicKey, decode(secretKey));
        return ZMQ.Curve.z85Encode(publicKey);
    }

    /**
     * A name for a public key in logs: {@code curve#} plus the first 8 hex digits of the SHA-256 of its 32 bytes.
     * Text that is not a key gets the fingerprint of its characters, so logging never fails.
     */
    public static String fingerprint(String publicKey) {
        byte[] bytes = isKey(publicKey) ? ZMQ.Curve.z85Decode(publicKey) : publicKey.getBytes(StandardCharsets.UTF_8);
        return "curve#" + Digests.shortSha256(bytes);
    }

    // ---------------------------------------------------------------- files

    /**
     * Writes {@code NAME.key} (public) and {@code NAME.key_secret} (both keys, readable by the owner only where
     * the file system has POSIX permissions) into {@code directory}, creating it if needed. Existing files are
     * never overwritten.
     *
     * @return the two files, public first
     */
    public static List<Path> save(Pair pair, Path directory, String name) {
        if (name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("A certificate name must be a plain file name, was '" + name + "'");
        }
        Path publicFile = directory.resolve(name + PUBLIC_SUFFIX);
        Path secretFile = directory.resolve(name + SECRET_SUFFIX);
        try {
            Files.createDirectories(directory);
            for (Path file : List.of(publicFile, secretFile)) {
                if (Files.exists(file)) {
                    throw new FileAlreadyExistsException(file.toString(), null, "a certificate is never overwritten");
                }
            }
            write(secretFile, certificate(pair.publicKey(), pair.secretKey()), true);
            write(publicFile, certificate(pair.publicKey(), null), false);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write the CURVE certificate " + name + " into " + directory + ": "
                    + ex.getMessage(), ex);
        }
        return List.of(publicFile, secretFile);
    }

    /** Reads a secret certificate ({@code NAME.key_secret}): its public and secret key. */
    public static Pair loadPair(Path secretCertificate) {
        String[] keys = read(secretCertificate);
        if (keys[1] == null) {
            throw new IllegalArgumentException("The CURVE certificate " + secretCertificate + " holds no secret-key "
                    + "(a public certificate? the secret one is NAME" + SECRET_SUFFIX + ")");
        }
        try {
            return new Pair(keys[0], keys[1]);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("The CURVE certificate " + secretCertificate + " is not valid: "
                    + ex.getMessage(), ex);
        }
    }

    /** Reads the public key of a certificate (public or secret). */
    public static String loadPublicKey(Path certificate) {
        return read(certificate)[0];
    }

    /**
     * {@code public-key} and {@code secret-key} (or {@code null}) of a certificate, read as pyzmq's
     * {@code load_certificate} does: the first line starting with each name, the value after {@code =} without
     * blanks and quotes. The key names alone identify the lines, so both czmq and pyzmq files read the same.
     */
    private static String[] read(Path certificate) {
        List<String> lines;
        try {
            lines = Files.readAllLines(certificate, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the CURVE certificate " + certificate + ": " + ex, ex);
        }
        String publicKey = null;
        String secretKey = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (publicKey == null && line.startsWith("public-key")) {
                publicKey = value(line);
            }
            else if (secretKey == null && line.startsWith("secret-key")) {
                secretKey = value(line);
            }
        }
        if (publicKey == null || !isKey(publicKey)) {
            throw new IllegalArgumentException("The CURVE certificate " + certificate + " has no valid public-key line");
        }
        if (secretKey != null && !isKey(secretKey)) {
            throw new IllegalArgumentException("The CURVE certificate " + certificate + " has an invalid secret-key line");
        }
        return new String[] { publicKey, secretKey };
    }

    private static String value(String line) {
        int equals = line.indexOf('=');
        return equals < 0 ? "" : strip(line.substring(equals + 1));
    }

    private static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && " \t'\"".indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && " \t'\"".indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(start, end);
    }

    private static String certificate(String publicKey, @Nullable String secretKey) {
        String generated = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString();
        StringBuilder text = new StringBuilder();
        text.append("#   ****  Generated on ").append(generated).append(" by VoidRail  ****\n");
        if (secretKey == null) {
            text.append("#   ZeroMQ CURVE Public Certificate\n")
                    .append("#   Exchange securely, or use a secure mechanism to verify the contents\n")
                    .append("#   of this file after exchange. Store public certificates in your home\n")
                    .append("#   directory, in the .curve subdirectory.\n");
        }
        else {
            text.append("#   ZeroMQ CURVE **Secret** Certificate\n")
                    .append("#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n");
        }
        text.append("\nmetadata\ncurve\n    public-key = \"").append(publicKey).append("\"\n");
        if (secretKey != null) {
            text.append("    secret-key = \"").append(secretKey).append("\"\n");
        }
        return text.toString();
    }

    private static void write(Path file, String text, boolean secret) throws IOException {
        if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // created owner-only, so the secret key is never readable by others, not even for a moment
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        }
        else {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        }
    }

    static void checkKey(@Nullable String z85, String what) {
        if (!isKey(z85)) {
            throw new IllegalArgumentException("A CURVE " + what + " must be 40 characters of Z85"
                    + (z85 == null ? ", was none" : ", was " + z85.length() + " characters that are not a Z85 key"));
        }
    }
}
