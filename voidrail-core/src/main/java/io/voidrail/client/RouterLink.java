package io.voidrail.client;

import static io.voidrail.internal.protocol.Protocol.*;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;

import io.voidrail.VoidRailException;
import io.voidrail.internal.protocol.MessageType;
import tools.jackson.databind.JsonNode;

/**
 * The client's connection to one router: its socket, its liveness, what it announced, and the questions waiting for
 * its answers. Touched by the client's I/O thread only (except the volatile flags).
 */
final class RouterLink {

    final String address;
    final int index;
    final RouterLiveness liveness;
    /** Questions sent on this connection, by the answer they wait for, oldest first. */
    final Map<MessageType, ArrayDeque<Pending.Control>> controls = new EnumMap<>(MessageType.class);
    ZMQ.@Nullable Socket socket;
    /** The connection is to be replaced by a fresh socket (silence, failover). */
    boolean reopen;
    /** The router refused this client's key; cleared when it accepts it. */
    @Nullable VoidRailException authFailure;

    // what the router announced in router_info (a Python router announces nothing)
    volatile boolean canCancel;
    boolean canCredit;
    boolean correlates;
    /** It answers calls past their deadline itself (and says where the call was): worth a short wait. */
    boolean judgesDeadlines;
    /** It sends {@code call_progress} when a request asks for it (read by callers' threads when they encode). */
    volatile boolean tellsProgress;
    /** Its message size limit; 0 when unknown. */
    long maxMessageSize;

    RouterLink(String address, int index, RouterLiveness liveness) {
        this.address = address;
        this.index = index;
        this.liveness = liveness;
    }

    boolean ready(long now) {
        return liveness.state(now) == ConnectionState.READY;
    }

    /** Reads a {@code router_info} result; {@code null} when the router would not say (it refused the question). */
    void describe(@Nullable JsonNode info) {
        JsonNode capabilities = info == null ? null : info.path(CAPABILITIES_KEY);
        canCancel = has(capabilities, CAP_CANCEL);
        canCredit = has(capabilities, CAP_CREDITS);
        correlates = has(capabilities, CAP_CORRELATION);
        judgesDeadlines = has(capabilities, CAP_DEADLINE);
        tellsProgress = has(capabilities, CAP_PROGRESS);
        maxMessageSize = info == null ? 0 : info.path(MAX_MESSAGE_SIZE).asLong(0);
        liveness.described();
    }

    private static boolean has(@Nullable JsonNode capabilities, String capability) {
        if (capabilities != null && capabilities.isArray()) {
            for (JsonNode entry : capabilities) {
                if (capability.equals(entry.asString(""))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return address;
    }
}
