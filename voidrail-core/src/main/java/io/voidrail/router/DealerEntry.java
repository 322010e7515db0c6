package io.voidrail.router;

import static io.voidrail.internal.protocol.Protocol.CAP_BUSY_HEARTBEATS;
import static io.voidrail.internal.protocol.Protocol.CAP_CANCEL;
import static io.voidrail.internal.protocol.Protocol.CAP_CORRELATION;
import static io.voidrail.internal.protocol.Protocol.CAP_CREDITS;
import static io.voidrail.internal.protocol.Protocol.CAP_TIMEOUT;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.voidrail.internal.protocol.Protocol;
import io.voidrail.internal.protocol.Reply;
import io.voidrail.status.DealerState;
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
    final Set<String> idempotentMethods;
    /** Announced {@code "cancel"}: gets {@code cancel_from_router}. */
    final boolean canCancel;
    /** Announced {@code "busy_heartbeats"}: silent past the heartbeat timeout means lost, busy or not. */
    final boolean busyHeartbeats;
    /** Announced {@code "timeout"}: told the time left of each call at dispatch. */
    final boolean takesTimeout;
    /** Announced {@code "credits"}: stream credits are relayed to it ({@code stream_credit_from_router}). */
    final boolean canCredit;
    /** Announced {@code "correlation"}: its errors carry their call's id and code (else they are a Python dealer's). */
    final boolean correlates;

    DealerState state = DealerState.ACTIVE;
    /** When it last sent anything (liveness), and its last heartbeat (reported). */
    long lastSeenNanos;
    long lastHeartbeatNanos;
    /**
     * It spoke again after its register (a heartbeat, a reply, anything): a dealer, not a one-message identity. One
     * that never did is forgotten as soon as it stops serving, instead of staying listed as inactive.
     */
    boolean confirmed;
    /** Heartbeats since it registered, and the longest recent time between two of them (0 until known). */
    long heartbeats;
    long heartbeatGapNanos;
    /** What clients see of it: the identity without auth, else a public id (routing identities stay secret). */
    String publicId = "";
    /** Its place in the registration order (kept when it registers again): first registered wins a FIFO tie. */
    long order;
    /** The connection it registered on ({@link RouterCore.Peer#connection}): with auth on, the only one it listens to. */
    String connection = "";
    /** {@code ip:port} of its connection as last seen; {@code null} when not over TCP or not known yet. */
    @Nullable String peerAddress;
    /** Its connection closed at this time and it has not spoken since ({@link #disconnected}). */
    long disconnectedNanos;
    boolean disconnected;
    long requestCount;
    long replyCount;
    /** From the registration, for monitoring only: Java dealers announce an implementation, Python ones do not. */
    @Nullable String implementation;
    @Nullable JsonNode hostInfo;
    /** Calls dispatched and not yet answered with a terminal message, oldest first. */
    final Map<CallKey, Call> inFlight = new LinkedHashMap<>();

    DealerEntry(String id, byte[] identity, String group, Map<String, JsonNode> methods, int maxConcurrent, int slots,
            Set<String> idempotentMethods, Set<String> capabilities, long nowNanos) {
        this.id = id;
        this.identity = identity;
        this.group = group;
        this.methods = methods;
        this.maxConcurrent = maxConcurrent;
        this.slots = slots;
        this.idempotentMethods = idempotentMethods;
        this.canCancel = capabilities.contains(CAP_CANCEL);
        this.busyHeartbeats = capabilities.contains(CAP_BUSY_HEARTBEATS);
        this.takesTimeout = capabilities.contains(CAP_TIMEOUT);
        this.canCredit = capabilities.contains(CAP_CREDITS);
        this.correlates = capabilities.contains(CAP_CORRELATION);
        this.lastSeenNanos = nowNanos;
        this.lastHeartbeatNanos = nowNanos;
    }

    void describe(JsonNode register) {
        implementation = Reply.text(register, Protocol.IMPLEMENTATION_KEY);
        JsonNode host = register.get("host_info");
        hostInfo = host != null && host.isObject() ? host : null;
    }

    boolean dispatchable() {
        return state == DealerState.ACTIVE;
    }

    /** Active or overloaded: its methods count as served (a call for them waits for it). */
    boolean serving() {
        return state == DealerState.ACTIVE || state == DealerState.OVERLOAD;
    }

    boolean busy() {
        return !inFlight.isEmpty();
    }

    /** The call an id-less (Python) error answers: this client's only call here; none when it has several. */
    @Nullable Call onlyCallOf(byte[] clientId) {
        Call only = null;
        for (Call call : inFlight.values()) {
            if (Arrays.equals(call.clientId, clientId)) {
                if (only != null) {
                    return null;
                }
                only = call;
            }
        }
        return only;
    }

    /** Removes and returns every in-flight call (the dealer is gone or replaced). */
    List<Call> takeInFlight() {
        List<Call> calls = new ArrayList<>(inFlight.values());
        inFlight.clear();
        calls.forEach(call -> call.dealer = null);
        return calls;
    }

    /** Identifies a call: the client's identity plus its request id (empty when the client sent none). */
    record CallKey(String clientId, String requestId) {
    }
}
