package io.voidrail.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The echoed string, and the JSON the baseline sends: the same fields, in the same order, as a
 * VoidRail {@code request} and {@code reply} carrying that string, so both transports move messages of
 * the same size.
 *
 * <p>The baseline's {@code request_id} is 36 ASCII digits, as long as VoidRail's UUIDs: 18 for the
 * call's index and 18 for its send time, so the client needs no table of calls in flight.
 */
final class Payloads {

    static final int ID_LENGTH = 36;
    private static final int HALF = ID_LENGTH / 2;
    private static final String REQUEST_PREFIX = "{\"type\":\"request\",\"request_id\":\"";
    private static final String REPLY_PREFIX = "{\"type\":\"reply\",\"request_id\":\"";
    static final int REQUEST_ID_OFFSET = REQUEST_PREFIX.length();
    static final int REPLY_ID_OFFSET = REPLY_PREFIX.length();

    final String text;
    final byte[] requestTemplate;
    final byte[] replyTemplate;

    Payloads(int bytes) {
        SplittableRandom random = new SplittableRandom(42);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder text = new StringBuilder(bytes);
        for (int i = 0; i < bytes; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        this.text = text.toString();
        String zeros = "0".repeat(ID_LENGTH);
        // what a VoidRail client sends for echo(text), deadline included
        long deadline = System.currentTimeMillis() + 3_600_000L;
        this.requestTemplate = (REQUEST_PREFIX + zeros + "\",\"func_name\":\"" + BenchEchoService.ECHO
                + "\",\"request_step\":\"READY\",\"args\":[\"" + this.text + "\"],\"kwargs\":{},\"deadline_ms\":"
                + deadline + "}").getBytes(StandardCharsets.US_ASCII);
        this.replyTemplate = (REPLY_PREFIX + zeros + "\",\"result\":\"" + this.text + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes the 36-digit id of call {@code index} sent at {@code sentOffsetNanos} into {@code target}. */
    static void writeId(byte[] target, int offset, long index, long sentOffsetNanos) {
        writeDigits(target, offset, index);
        writeDigits(target, offset + HALF, sentOffsetNanos);
    }

    static String id(long index, long sentOffsetNanos) {
        byte[] id = new byte[ID_LENGTH];
        writeId(id, 0, index, sentOffsetNanos);
        return new String(id, StandardCharsets.US_ASCII);
    }

    static long index(byte[] source, int offset) {
        return readDigits(source, offset);
    }

    static long sentOffset(byte[] source, int offset) {
        return readDigits(source, offset + HALF);
    }

    private static void writeDigits(byte[] target, int offset, long value) {
        long rest = value;
        for (int i = offset + HALF - 1; i >= offset; i--) {
            target[i] = (byte) ('0' + (rest % 10));
            rest /= 10;
        }
    }

    private static long readDigits(byte[] source, int offset) {
        long value = 0;
        for (int i = offset; i < offset + HALF; i++) {
            int digit = source[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
