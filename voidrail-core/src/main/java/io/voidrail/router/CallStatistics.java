package io.voidrail.router;

import static io.voidrail.internal.protocol.Protocol.METHOD_EXECUTION_ERROR;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import io.voidrail.ErrorCode;
import io.voidrail.internal.protocol.Reply;
import io.voidrail.status.RouterStatus;

/**
 * What the router saw of the calls it relayed, per method: counts since start, and over a sliding window of
 * one minute the rate and the latency percentiles (from the call's arrival at the router to its terminal answer,
 * queueing included); plus the last errors with their code and text. Memory is bounded: at most
 * {@link #MAX_METHODS} methods (the least recently used is forgotten), a fixed histogram per 5-second bucket and
 * {@link #MAX_RECENT_ERRORS} errors. Policy only: every input carries {@code now} (nanoseconds, any origin), so
 * tests drive it with a fake clock. Touched only by the router's I/O thread.
 */
final class CallStatistics {

    static final int MAX_METHODS = 256;
    static final int MAX_RECENT_ERRORS = 20;
    static final int MAX_ERROR_TEXT = 300;
    static final long BUCKET_NANOS = 5_000_000_000L;
    static final int BUCKETS = 12;
    static final Duration WINDOW = Duration.ofNanos(BUCKET_NANOS * BUCKETS);

    /** Histogram bins over microseconds: 0..7 exact, then 4 bins per power of two (at most 12.5% wide), to ~9 h. */
    private static final int LINEAR_BINS = 8;
    private static final int BINS = LINEAR_BINS + 33 * 4;

    private final Map<String, Figures> methods = new HashMap<>();
    private final ArrayDeque<Failure> recent = new ArrayDeque<>();
    private final EnumMap<ErrorCode, Long> errorCounts = new EnumMap<>(ErrorCode.class);

    /** A call for {@code method} was accepted (it will end in exactly one terminal answer). */
    void accepted(String method, long now) {
        figures(method, now).calls++;
    }

    /** The dealer's terminal answer ({@code reply}, {@code end} or {@code error}) was forwarded to the client. */
    void answered(Call call, Reply reply, long now) {
        if (reply.kind() != Reply.Kind.ERROR) {
            finished(call, null, null, now);
            return;
        }
        String text = reply.errorText() == null ? "" : reply.errorText();
        // Python dealers send no code; their execution errors carry the text Python clients look for
        ErrorCode code = reply.code() == ErrorCode.UNKNOWN && text.startsWith(METHOD_EXECUTION_ERROR)
                ? ErrorCode.EXECUTION_ERROR : reply.code();
        finished(call, code, text, now);
    }

    /** The router answered the call with an error of its own (deadline, queue full, dealer lost...). */
    void failed(Call call, String text, ErrorCode code, long now) {
        finished(call, code, text, now);
    }

    private void finished(Call call, @Nullable ErrorCode code, @Nullable String text, long now) {
        Figures figures = figures(call.method, now);
        long micros = Math.max(0, (now - call.arrivedNanos) / 1000);
        figures.bucket(now).add(micros);
        if (code == null) {
            figures.succeeded++;
            return;
        }
        figures.failed++;
        errorCounts.merge(code, 1L, Long::sum);
        String message = text == null ? "" : text;
        if (message.length() > MAX_ERROR_TEXT) {
            message = message.substring(0, MAX_ERROR_TEXT - 1) + "\u2026";
        }
        recent.addFirst(new Failure(call.method, code, message, now));
        if (recent.size() > MAX_RECENT_ERRORS) {
            recent.removeLast();
        }
    }

    private Figures figures(String method, long now) {
        Figures figures = methods.get(method);
        if (figures == null) {
            if (methods.size() >= MAX_METHODS) {
                forgetLeastRecentlyUsed();
            }
            figures = new Figures(now);
            methods.put(method, figures);
        }
        figures.lastUsed = now;
        return figures;
    }

    private void forgetLeastRecentlyUsed() {
        String oldest = null;
        long oldestUse = 0;
        for (Map.Entry<String, Figures> entry : methods.entrySet()) {
            if (oldest == null || entry.getValue().lastUsed - oldestUse < 0) {
                oldest = entry.getKey();
                oldestUse = entry.getValue().lastUsed;
            }
        }
        methods.remove(oldest);
    }

    /** Per method, sorted by name. */
    Map<String, RouterStatus.MethodStats> methodStats(long now) {
        Map<String, RouterStatus.MethodStats> result = new TreeMap<>();
        methods.forEach((method, figures) -> result.put(method, figures.stats(now)));
        return Collections.unmodifiableMap(new LinkedHashMap<>(result));
    }

    Map<ErrorCode, Long> errorCounts() {
        return Collections.unmodifiableMap(new EnumMap<>(errorCounts));
    }

    /** Newest first. */
    List<RouterStatus.CallError> recentErrors(long now) {
        List<RouterStatus.CallError> result = new ArrayList<>(recent.size());
        for (Failure failure : recent) {
            result.add(new RouterStatus.CallError(failure.method, failure.code, failure.message,
                    Duration.ofNanos(Math.max(0, now - failure.atNanos))));
        }
        return List.copyOf(result);
    }

    static int bin(long micros) {
        if (micros < LINEAR_BINS) {
            return (int) micros;
        }
        int octave = 63 - Long.numberOfLeadingZeros(micros);
        int sub = (int) ((micros >>> (octave - 2)) & 3);
        return Math.min(BINS - 1, LINEAR_BINS + (octave - 3) * 4 + sub);
    }

    /** The middle of a bin, in microseconds. */
    static double binMiddle(int bin) {
        if (bin < LINEAR_BINS) {
            return bin;
        }
        int octave = (bin - LINEAR_BINS) / 4 + 3;
        int sub = (bin - LINEAR_BINS) % 4;
        long width = 1L << (octave - 2);
        return (4 + sub) * (double) width + width / 2.0;
    }

    private record Failure(String method, ErrorCode code, String message, long atNanos) {
    }

    private static final class Figures {

        final long since;
        final Bucket[] buckets = new Bucket[BUCKETS];
        long lastUsed;
        long calls;
        long succeeded;
        long failed;

        Figures(long now) {
            this.since = now;
        }

        Bucket bucket(long now) {
            long index = Math.floorDiv(now, BUCKET_NANOS);
            int slot = (int) Math.floorMod(index, (long) BUCKETS);
            Bucket bucket = buckets[slot];
            if (bucket == null) {
                bucket = new Bucket();
                buckets[slot] = bucket;
            }
            if (bucket.index != index) {
                bucket.reset(index);
            }
            return bucket;
        }

        RouterStatus.MethodStats stats(long now) {
            long current = Math.floorDiv(now, BUCKET_NANOS);
            int[] merged = new int[BINS];
            long count = 0;
            long max = 0;
            for (Bucket bucket : buckets) {
                if (bucket != null && bucket.count > 0 && current - bucket.index < BUCKETS) {
                    for (int i = 0; i < BINS; i++) {
                        merged[i] += bucket.histogram[i];
                    }
                    count += bucket.count;
                    max = Math.max(max, bucket.maxMicros);
                }
            }
            long windowStart = (current - BUCKETS + 1) * BUCKET_NANOS;
            long spanNanos = now - Math.max(windowStart, since);
            double seconds = Math.max(1.0, spanNanos / 1e9);
            return new RouterStatus.MethodStats(calls, succeeded, failed, count / seconds,
                    percentile(merged, count, max, 0.50), percentile(merged, count, max, 0.99));
        }

        /** Milliseconds; 0 when nothing finished in the window. */
        private static double percentile(int[] histogram, long count, long maxMicros, double quantile) {
            if (count == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(quantile * count);
            long seen = 0;
            for (int bin = 0; bin < histogram.length; bin++) {
                seen += histogram[bin];
                if (seen >= rank) {
                    return Math.min(binMiddle(bin), maxMicros) / 1000.0;
                }
            }
            return maxMicros / 1000.0;
        }
    }

    private static final class Bucket {

        long index = Long.MIN_VALUE;
        int count;
        long maxMicros;
        final int[] histogram = new int[BINS];

        void reset(long newIndex) {
            index = newIndex;
            count = 0;
            maxMicros = 0;
            Arrays.fill(histogram, 0);
        }

        void add(long micros) {
            histogram[bin(micros)]++;
            count++;
            maxMicros = Math.max(maxMicros, micros);
        }
    }
}
