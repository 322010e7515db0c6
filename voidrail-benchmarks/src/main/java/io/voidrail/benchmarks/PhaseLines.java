package io.voidrail.benchmarks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;

import org.HdrHistogram.Histogram;

/**
 * A {@link PhaseResult} as one line of {@code key=value} words, as a {@code --clients} client JVM prints it for its
 * parent: texts and the latency histogram (HdrHistogram's compressed form) in Base64, so that spaces and newlines
 * survive, and the histogram with every recorded value, so that the parent's percentiles are those of all calls.
 */
final class PhaseLines {

    private PhaseLines() {
    }

    static String encode(PhaseResult phase) {
        Histogram latencies = phase.latencies();
        ByteBuffer buffer = ByteBuffer.allocate(latencies.getNeededByteBufferCapacity());
        int length = latencies.encodeIntoCompressedByteBuffer(buffer);
        StringBuilder line = new StringBuilder()
                .append("requested=").append(phase.requested())
                .append(" succeeded=").append(phase.succeeded())
                .append(" failed=").append(phase.failed())
                .append(" abandoned=").append(phase.abandoned())
                .append(" elapsedNanos=").append(phase.elapsedNanos())
                .append(" timedOut=").append(phase.stoppedByTimeLimit())
                .append(" stalled=").append(phase.stalled())
                .append(" cpuNanos=").append(phase.cpuNanos())
                .append(" allocatedBytes=").append(phase.allocatedBytes());
        if (phase.firstError() != null) {
            line.append(" error=").append(encodeText(phase.firstError()));
        }
        return line.append(" histogram=")
                .append(Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length))).toString();
    }

    /** The phase {@link #encode} wrote; {@link IllegalArgumentException} for anything else. */
    static PhaseResult decode(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String word : line.trim().split(" ")) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Not a phase line: '" + line + "'");
            }
            fields.put(word.substring(0, eq), word.substring(eq + 1));
        }
        try {
            Histogram latencies = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(field(fields, "histogram"))), 0);
            String error = fields.get("error");
            return new PhaseResult(Integer.parseInt(field(fields, "requested")),
                    Long.parseLong(field(fields, "succeeded")), Long.parseLong(field(fields, "failed")),
                    Long.parseLong(field(fields, "abandoned")), Long.parseLong(field(fields, "elapsedNanos")), latencies,
                    Boolean.parseBoolean(field(fields, "timedOut")), Boolean.parseBoolean(field(fields, "stalled")),
                    error == null ? null : decodeText(error), Long.parseLong(field(fields, "cpuNanos")),
                    Long.parseLong(field(fields, "allocatedBytes")));
        }
        catch (DataFormatException | RuntimeException ex) {
            throw new IllegalArgumentException("Not a phase line: '" + line + "'", ex);
        }
    }

    private static String field(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no " + name);
        }
        return value;
    }

    /** Any text as one word (Base64 of its UTF-8). */
    static String encodeText(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeText(String word) {
        return new String(Base64.getDecoder().decode(word), StandardCharsets.UTF_8);
    }
}
