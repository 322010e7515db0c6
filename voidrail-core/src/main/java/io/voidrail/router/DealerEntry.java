package io.voidrail.router;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/** The router's record of one registered dealer. Touched only by the router's I/O thread. */
final class DealerEntry {

    final String id;
    final byte[] identity;
    final String group;
    /** Public method name -> the metadata object from its registration, in registration order. */
    final Map<String, JsonNode> methods;
    final int maxConcurrent;
    final int slots;
    final boolean canCancel;
    final Set<String> idempotentMethods;
    /** It announced "credits": stream credits are relayed to it ({@code stream_credit_from_router}). */
    boolean canCredit;

    DealerState state = DealerState.ACTIVE;
    long lastSeenNanos;
    double lastHeartbeatEpochSeconds;
    long requestCount;
    long replyCount;
    /** Calls dispatched and not yet answered with a terminal message, oldest first. */
    final Map<CallKey, InFlight> inFlight = new LinkedHashMap<>();

    DealerEntry(String id, byte[] identity, String group, Map<String, JsonNode> methods, int maxConcurrent, int slots,
            boolean canCancel, Set<String> idempotentMethods, long nowNanos) {
        this.id = id;
        this.identity = identity;
        this.group = group;
        this.methods = methods;
        this.maxConcurrent = maxConcurrent;
        this.slots = slots;
        this.canCancel = canCancel;
        this.idempotentMethods = idempotentMethods;
        this.lastSeenNanos = nowNanos;
        this.lastHeartbeatEpochSeconds = System.currentTimeMillis() / 1000.0;
    }

    boolean dispatchable() {
        return state == DealerState.ACTIVE;
    }

    boolean hasFreeSlot(RouterMode mode) {
        return inFlight.size() < (mode == RouterMode.FIFO ? slots : maxConcurrent);
    }

    /** The call an id-less (Python) error answers: this client's only call here, else its oldest. */
    @Nullable InFlight oldestOf(byte[] clientId) {
        for (InFlight call : inFlight.values()) {
            if (Arrays.equals(call.clientId(), clientId)) {
                return call;
            }
        }
        return null;
    }

    /** Removes and returns every in-flight call (the dealer is gone or replaced). */
    List<InFlight> takeInFlight() {
        List<InFlight> calls = new ArrayList<>(inFlight.values());
        inFlight.clear();
        return calls;
    }

    /** Identifies a call: the client's identity plus its request id (empty when the client sent none). */
    record CallKey(String clientId, String requestId) {
    }

    /** A dispatched call; {@code frames} are the client's frames after the type, kept for re-queueing. */
    static final class InFlight {
        private final QueuedCall call;
        boolean cancelled;

        InFlight(QueuedCall call) {
            this.call = call;
        }

        QueuedCall call() {
            return call;
        }

        byte[] clientId() {
            return call.clientId();
        }
    }
}
