package io.voidrail.internal.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/** Frame text helpers: tokens, identities and routing keys are UTF-8; JSON is always the last frame. */
public final class Frames {

    public static final byte[] EMPTY = new byte[0];

    private static final int LOG_LIMIT = 200;
    private static final String HEX = "0123456789abcdef";

    private Frames() {
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes strictly; {@code null} when the bytes are not valid UTF-8 (such a frame is malformed). Tokens, identities
     * and method names are ASCII: those skip the decoder (a new one per frame, three per call in the router).
     */
    public static @Nullable String strictUtf8(byte[] frame) {
        if (ascii(frame)) {
            return new String(frame, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(frame))
                    .toString();
        }
        catch (CharacterCodingException ex) {
            return null;
        }
    }

    private static boolean ascii(byte[] frame) {
        for (byte b : frame) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A peer's frame as log text: printable ASCII as is, a backslash doubled, every other byte (control characters,
     * line breaks, non-ASCII, binary) as {@code \xNN}; frames over 200 bytes are cut. Whatever a peer sends, it
     * stays on one line and cannot imitate another log line.
     */
    public static String forLog(byte[] frame) {
        return escape(frame, frame.length, "bytes");
    }

    /** Peer-supplied text (identities, method names, tokens, error texts) as log text, escaped as its UTF-8 bytes. */
    public static String forLog(@Nullable String text) {
        if (text == null) {
            return "null";
        }
        // cut before encoding, so that a huge text costs no more than a short one
        return escape(utf8(text.length() > LOG_LIMIT ? text.substring(0, LOG_LIMIT) : text), text.length(), "chars");
    }

    private static String escape(byte[] bytes, int total, String unit) {
        int shown = Math.min(bytes.length, LOG_LIMIT);
        StringBuilder text = new StringBuilder(shown + 24);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\\') {
                text.append("\\\\");
            }
            else if (b >= 0x20 && b < 0x7f) {
                text.append((char) b);
            }
            else {
                text.append("\\x").append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xf));
            }
        }
        if (bytes.length > LOG_LIMIT || total > LOG_LIMIT) {
            text.append("...(").append(total).append(' ').append(unit).append(')');
        }
        return text.toString();
    }
}
