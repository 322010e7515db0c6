package io.voidrail.router;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.voidrail.internal.protocol.Protocol;

/**
 * A call as the router holds it, from arrival to its answer: who asked, for what, the client's frames after the type
 * (routing key and JSON, forwarded unchanged in {@code call_from_router}), and where it is now.
 */
final class Call {

    final byte[] clientId;
    final String clientKey;
    final String method;
    final @Nullable String requestId;
    final List<byte[]> frames;
    /** {@code System.nanoTime()} at which its time is over; 0 for none. */
    final long deadlineNanos;
    final long arrivedNanos;
    /** Arrival order: ties between equal deadlines, and the identity of the call in the deadline order. */
    final long seq;
    /** The request has a top-level {@code timeout_ms}. */
    final boolean timeoutField;
    /** Where its number is in the request's JSON ({@link Header}); -1 when it is not a number. */
    final int timeoutFrom;
    final int timeoutTo;
    /** Client and request id: how the dealer table and the queue index find it (made once: it is looked up often). */
    private final DealerEntry.CallKey key;

    /** The client asked for {@code call_progress} (and this router announces it). */
    boolean progress;
    /** Since when it waits in its queue: its arrival, or when it was re-queued. */
    long waitingSinceNanos;
    /** The dealer running it; {@code null} while it is queued. */
    @Nullable DealerEntry dealer;
    long dispatchedNanos;
    /** The client already has its answer (cancelled, or the deadline passed) while the dealer still holds it. */
    boolean abandoned;

    Call(byte[] clientId, String clientKey, String method, @Nullable String requestId, List<byte[]> frames,
            long deadlineNanos, long arrivedNanos, long seq, Header header) {
        this.clientId = clientId;
        this.clientKey = clientKey;
        this.method = method;
        this.requestId = requestId;
        this.frames = frames;
        this.deadlineNanos = deadlineNanos;
        this.arrivedNanos = arrivedNanos;
        this.seq = seq;
        this.timeoutField = header.fields().has(Protocol.TIMEOUT_MS);
        this.timeoutFrom = header.timeoutFrom();
        this.timeoutTo = header.timeoutTo();
        this.waitingSinceNanos = arrivedNanos;
        this.key = new DealerEntry.CallKey(clientKey, requestId == null ? "" : requestId);
    }

    DealerEntry.CallKey key() {
        return key;
    }

    boolean hasDeadline() {
        return deadlineNanos != 0;
    }

    boolean expired(long nowNanos) {
        return hasDeadline() && nowNanos - deadlineNanos >= 0;
    }

    /** Earliest deadline first, then arrival order (total: every call has its own seq). */
    static int byDeadline(Call a, Call b) {
        int order = Long.signum(a.deadlineNanos - b.deadlineNanos);
        return order != 0 ? order : Long.compare(a.seq, b.seq);
    }
}
