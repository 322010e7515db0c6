package io.voidrail.router;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A call as the router holds it: who asked, for what, and the client's frames after the type
 * (routing key and JSON), forwarded unchanged in {@code call_from_router}.
 *
 * @param deadlineNanos {@code System.nanoTime()} after which it must not be dispatched; 0 for none
 */
record QueuedCall(byte[] clientId, String clientKey, String method, @Nullable String requestId,
        List<byte[]> frames, long deadlineNanos, long enqueuedNanos) {

    DealerEntry.CallKey key() {
        return new DealerEntry.CallKey(clientKey, requestId == null ? "" : requestId);
    }

    boolean expired(long nowNanos) {
        return deadlineNanos != 0 && nowNanos - deadlineNanos >= 0;
    }
}
