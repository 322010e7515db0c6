package io.voidrail.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/** Frame text helpers: tokens, identities and routing keys are UTF-8; JSON is always the last frame. */
public final class Frames {

    public static final byte[] EMPTY = new byte[0];

    private Frames() {
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes strictly; {@code null} when the bytes are not valid UTF-8 (such a frame is malformed). */
    public static @Nullable String strictUtf8(byte[] frame) {
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

    /** Text for log lines: never throws, replaces what is not UTF-8 and cuts long frames. */
    public static String forLog(byte[] frame) {
        String text = new String(frame, 0, Math.min(frame.length, 200), StandardCharsets.UTF_8);
        return frame.length > 200 ? text + "...(" + frame.length + " bytes)" : text;
    }
}
