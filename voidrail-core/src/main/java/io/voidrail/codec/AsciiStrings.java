package io.voidrail.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.util.JsonGeneratorDelegate;
import tools.jackson.core.util.JsonParserDelegate;

/**
 * Long string values that are plain ASCII (no escapes, no control characters: base64 data, most text payloads) read
 * from and written to a frame's bytes as they are. Jackson moves every string through character buffers: decoding
 * into segments, joining them with a {@code StringBuilder} and copying that into the {@code String}, and writing
 * character by character with an escape check. On a 1 MiB argument or result that was most of what a dealer's and a
 * client's loop spent on the message. Every other string (shorter, escaped, not ASCII, or over the parser's bounds,
 * which Jackson then refuses) is Jackson's, unchanged.
 */
final class AsciiStrings {

    /** Shorter strings are Jackson's: its buffers cost little there. */
    static final int MIN_LENGTH = 256;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long QUESTION_MARKS = 0x3F3F3F3F3F3F3F3FL;

    private AsciiStrings() {
    }

    /**
     * Where the run of plain bytes from {@code from} ends: the index of the first quote, backslash, byte below 0x20 or
     * above 0x7F (or question mark, with {@code questionMarks}), or {@code limit}.
     */
    static int plainUntil(byte[] bytes, int from, int limit, boolean questionMarks) {
        int i = from;
        // eight bytes at a time: the payload is most of the frame
        while (i + Long.BYTES <= limit && plain((long) LONGS.get(bytes, i), questionMarks)) {
            i += Long.BYTES;
        }
        for (; i < limit; i++) {
            byte b = bytes[i];
            if (b == '"' || b == '\\' || b < 0x20 || questionMarks && b == '?') { // b < 0: part of a multi-byte character
                return i;
            }
        }
        return limit;
    }

    /**
     * Whether none of eight bytes is special. A byte with its high bit set is; so is one that equals a quote or a
     * backslash (the XOR is zero, and zero minus one borrows into the high bit) or is below a space (subtracting
     * 0x20 borrows). A borrow can flag the byte above a special one too: the byte loop then decides.
     */
    private static boolean plain(long bytes, boolean questionMarks) {
        long quotes = bytes ^ QUOTES;
        long backslashes = bytes ^ BACKSLASHES;
        long special = bytes | (quotes - ONES) & ~quotes | (backslashes - ONES) & ~backslashes | (bytes - SPACES);
        if (questionMarks) {
            long marks = bytes ^ QUESTION_MARKS;
            special |= (marks - ONES) & ~marks;
        }
        return (special & HIGH) == 0;
    }

    /**
     * Reads a whole frame. The delegate skips a value read here when it moves on, as it does one never read (the
     * syntax is still checked).
     */
    static final class Reader extends JsonParserDelegate {

        private final byte[] frame;

        Reader(JsonParser parser, byte[] frame) {
            super(parser);
            this.frame = frame;
        }

        @Override
        public String getString() {
            if (currentToken() == JsonToken.VALUE_STRING) {
                String ascii = ascii();
                if (ascii != null) {
                    return ascii;
                }
            }
            return delegate.getString();
        }

        private @Nullable String ascii() {
            long quote = delegate.currentTokenLocation().getByteOffset();
            if (quote < 0 || quote + MIN_LENGTH + 1 >= frame.length || frame[(int) quote] != '"') {
                return null;
            }
            int from = (int) quote + 1;
            int limit = (int) Math.min(frame.length, from + (long) streamReadConstraints().getMaxStringLength() + 1);
            int end = plainUntil(frame, from, limit, false);
            return end < limit && frame[end] == '"' && end - from >= MIN_LENGTH
                    ? new String(frame, from, end - from, StandardCharsets.ISO_8859_1)
                    : null;
        }
    }

    /**
     * Writes a frame: a long plain ASCII string goes out as its bytes, between quotes. The generators of the default
     * mapper ({@link JsonCodec#defaultMapperBuilder()}); an application's mapper writes as it does.
     */
    static final class Writer extends JsonGeneratorDelegate {

        Writer(JsonGenerator generator) {
            super(generator);
        }

        @Override
        public JsonGenerator writeString(@Nullable String text) {
            if (text != null && text.length() >= MIN_LENGTH) {
                // a character beyond Latin-1 becomes '?' here: a string with one is Jackson's
                byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
                if (plainUntil(bytes, 0, bytes.length, true) == bytes.length) {
                    delegate.writeRawUTF8String(bytes, 0, bytes.length);
                    return this;
                }
            }
            delegate.writeString(text);
            return this;
        }
    }
}
