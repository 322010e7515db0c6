package io.voidrail.router;

import static io.voidrail.protocol.Protocol.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.voidrail.auth.ApiKeyManager;
import io.voidrail.codec.JsonCodec;
import io.voidrail.protocol.ErrorCode;
import io.voidrail.protocol.Frames;
import io.voidrail.protocol.MessageType;
import io.voidrail.protocol.Messages;
import io.voidrail.protocol.Reply;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The router's decisions, without sockets or clocks: the dealer table, the queues, dispatch (through a
 * {@link DispatchStrategy}), liveness and expiry. Every input comes parsed from {@link RouterLoop} with the
 * monotonic time {@code now} (nanoseconds); everything to send goes to the {@link Outbox}. One thread uses it.
 */
final class RouterCore {

    private static final Logger log = LoggerFactory.getLogger(ServiceRouter.class);

    /** Who sent a message: the routing identity as received, and as text. */
    record Peer(byte[] identity, String id) {
    }

    final ServiceRouter.Settings settings;
    final DispatchStrategy strategy;
    final String address;
    final long startedNanos;
    private final Outbox outbox;
    /** Unix milliseconds, only for what the wire carries as wall-clock time ({@code deadline_ms}, {@code last_heartbeat}). */
    final LongSupplier wallMillis;
    private final JsonCodec codec;
    private final Messages messages;
    private final ApiKeyManager dealerKeys;
    private final ApiKeyManager clientKeys;
    private final RouterReport report;

    /** Every known dealer, in registration order (first registered wins a FIFO dispatch). */
    final Map<String, DealerEntry> dealers = new LinkedHashMap<>();
    /** Public method name -> dealers offering it, in registration order; rebuilt when the table changes. */
    private Map<String, List<DealerEntry>> offers = Map.of();
    /** Calls waiting for a dealer, per method, oldest first. */
    final Map<String, ArrayDeque<QueuedCall>> queues = new LinkedHashMap<>();
    private final Set<String> authenticatedClients = new HashSet<>();
    private final Set<String> refusedDealers = new HashSet<>();

    long totalRequests;
    long totalResponses;

    RouterCore(ServiceRouter.Settings settings, String address, Outbox outbox, long now, LongSupplier wallMillis) {
        this.settings = settings;
        this.wallMillis = wallMillis;
        this.strategy = DispatchStrategy.of(settings.mode());
        this.address = address;
        this.outbox = outbox;
        this.startedNanos = now;
        this.codec = settings.codec();
        this.messages = new Messages(codec);
        this.dealerKeys = new ApiKeyManager(settings.dealerKeys());
        this.clientKeys = new ApiKeyManager(settings.clientKeys());
        this.report = new RouterReport(this, codec);
    }

    List<DealerEntry> offering(String method) {
        return offers.getOrDefault(method, List.of());
    }

    // ---------------------------------------------------------------- any message

    /** Any message from a registered dealer proves it alive (PROTOCOL.md section 6); returns that dealer. */
    @Nullable DealerEntry heardFrom(Peer peer, long now) {
        DealerEntry dealer = dealers.get(peer.id());
        if (dealer != null) {
            dealer.lastSeenNanos = now;
            if (dealer.state == DealerState.INACTIVE) {
                log.info("VoidRail dealer {} is back", dealer.id);
                dealer.state = DealerState.ACTIVE;
                drainAll(dealer, now);
            }
        }
        return dealer;
    }

    void unknownType(Peer peer, String token) {
        sendError(peer.identity(), null, UNKNOWN_MESSAGE_TYPE + token, null);
    }

    // ---------------------------------------------------------------- clients

    void onAuth(Peer peer, @Nullable JsonNode payload) {
        if (payload == null) {
            sendError(peer.identity(), null, ROUTER_ERROR, null);
            return;
        }
        if (settings.requireAuth()) {
            JsonNode key = payload.get(API_KEY);
            if (!payload.isObject() || key == null || !key.isString()) {
                sendError(peer.identity(), null, INVALID_AUTH_FORMAT, ErrorCode.UNAUTHENTICATED);
                return;
            }
            if (!clientKeys.isValid(key.asString())) {
                log.warn("VoidRail router refused client {}: wrong API key {}", peer.id(), ApiKeyManager.redact(key.asString()));
                sendError(peer.identity(), null, AUTHENTICATION_FAILED, ErrorCode.UNAUTHENTICATED);
                return;
            }
            authenticatedClients.add(peer.id());
        }
        ObjectNode result = codec.object().put("status", "authenticated");
        outbox.send(peer.identity(), MessageType.AUTH_ACK, codec.write(messages.ack(result)));
    }

    private boolean authorised(Peer peer, @Nullable String requestId) {
        if (!settings.requireAuth() || dealers.containsKey(peer.id()) || authenticatedClients.contains(peer.id())) {
            return true;
        }
        sendError(peer.identity(), requestId, NOT_AUTHENTICATED, ErrorCode.UNAUTHENTICATED);
        return false;
    }

    void onQuery(Peer peer, MessageType type, long now) {
        if (!authorised(peer, null)) {
            return;
        }
        ObjectNode result = switch (type) {
            case METHODS -> report.methodsTable();
            case CLUSTERS -> report.clustersTable(now);
            case QUEUE_STATUS -> report.queueTable();
            default -> report.routerInfo(now);
        };
        MessageType answer = switch (type) {
            case METHODS -> MessageType.METHODS_ACK;
            case CLUSTERS -> MessageType.CLUSTERS_ACK;
            case QUEUE_STATUS -> MessageType.QUEUE_STATUS_ACK;
            default -> MessageType.ROUTER_INFO_ACK;
        };
        outbox.send(peer.identity(), answer, codec.write(messages.ack(result)));
    }

    void onMonitor(Peer peer) {
        outbox.send(peer.identity(), MessageType.HEARTBEAT_ACK, Frames.EMPTY);
    }

    /**
     * A {@code call_from_client}.
     *
     * @param method  the routing key frame as text; {@code null} when not valid UTF-8
     * @param request the JSON request; {@code null} when missing or not JSON
     * @param frames  the client's frames after the type (routing key, JSON), forwarded unchanged
     */
    void onCall(long now, Peer peer, @Nullable String method, @Nullable JsonNode request, List<byte[]> frames) {
        String requestId = request != null && request.isObject() ? Reply.text(request, REQUEST_ID) : null;
        if (!authorised(peer, requestId)) {
            return;
        }
        if (method == null || request == null || !request.isObject()) {
            log.warn("VoidRail router refused a malformed call from {}", peer.id());
            replyError(peer.identity(), requestId, "Invalid call format: expected a method name frame and a JSON request",
                    ErrorCode.BAD_REQUEST);
            return;
        }
        long size = frames.get(frames.size() - 1).length;
        if (settings.maxMessageSize() > 0 && size > settings.maxMessageSize()) {
            log.warn("VoidRail router refused a {}-byte call to {} from {}", size, method, peer.id());
            replyError(peer.identity(), requestId, "Request of " + size + " bytes exceeds the router's limit of "
                    + settings.maxMessageSize() + " bytes", ErrorCode.BAD_REQUEST);
            return;
        }
        totalRequests++;
        long deadline = deadlineNanos(request, now);
        QueuedCall call = new QueuedCall(peer.identity(), peer.id(), method, requestId, List.copyOf(frames), deadline, now);
        if (call.expired(now)) {
            failCall(call, "Deadline exceeded before dispatch of " + method, ErrorCode.DEADLINE_EXCEEDED);
            return;
        }
        admit(call, now);
    }

    private long deadlineNanos(JsonNode request, long nowNanos) {
        JsonNode deadline = request.get(DEADLINE_MS);
        if (deadline == null || !deadline.isNumber()) {
            return 0;
        }
        long remainingMs = deadline.asLong() - wallMillis.getAsLong();
        long at = nowNanos + Math.max(0, remainingMs) * 1_000_000L;
        return at == 0 ? 1 : at;
    }

    /** A new call: to a dealer at once if the strategy finds one, else into its method's queue or refused. */
    private void admit(QueuedCall call, long now) {
        // a FIFO router lists a method's queue once it has been called, as the Python one does
        ArrayDeque<QueuedCall> queue = strategy.waitsForCapacity()
                ? queues.computeIfAbsent(call.method(), m -> new ArrayDeque<>()) : queues.get(call.method());
        if (queue == null || queue.isEmpty()) {
            DealerEntry target = strategy.pick(offering(call.method()));
            if (target != null) {
                dispatch(target, call);
                return;
            }
        }
        if (!strategy.waitsForCapacity()) {
            failCall(call, noAvailableService(call.method()), isOffered(call.method()) ? ErrorCode.OVERLOADED
                    : ErrorCode.NOT_FOUND);
            return;
        }
        if (queue.size() >= settings.maxQueueLength()) {
            failCall(call, "Queue for " + call.method() + " is full (" + settings.maxQueueLength() + " calls waiting)",
                    ErrorCode.QUEUE_FULL);
            return;
        }
        queue.addLast(call);
    }

    void onCancel(Peer peer, @Nullable JsonNode payload, byte[] payloadFrame) {
        String requestId = payload == null ? null : Reply.text(payload, REQUEST_ID);
        if (requestId == null) {
            return;
        }
        DealerEntry.CallKey key = new DealerEntry.CallKey(peer.id(), requestId);
        for (ArrayDeque<QueuedCall> queue : queues.values()) {
            for (Iterator<QueuedCall> it = queue.iterator(); it.hasNext();) {
                QueuedCall call = it.next();
                if (call.key().equals(key)) {
                    it.remove();
                    failCall(call, "Call cancelled", ErrorCode.CANCELLED);
                    return;
                }
            }
        }
        for (DealerEntry dealer : dealers.values()) {
            DealerEntry.InFlight running = dealer.inFlight.get(key);
            if (running != null && !running.cancelled) {
                // the client hears CANCELLED now; the slot stays taken until the dealer's terminal reply
                running.cancelled = true;
                failCall(running.call(), "Call cancelled", ErrorCode.CANCELLED);
                if (dealer.canCancel) {
                    outbox.send(dealer.identity, MessageType.CANCEL_FROM_ROUTER, running.clientId(), payloadFrame);
                }
                return;
            }
        }
    }

    // ---------------------------------------------------------------- dealers

    void onRegister(long now, Peer peer, @Nullable JsonNode payload) {
        JsonNode methodsNode = payload == null ? null : payload.get("methods");
        if (payload == null || !payload.isObject() || methodsNode == null || !methodsNode.isObject()) {
            sendError(peer.identity(), null, INVALID_REGISTER_FORMAT, ErrorCode.BAD_REQUEST);
            return;
        }
        if (settings.requireAuth() && !dealerKeys.isValid(Reply.text(payload, API_KEY))) {
            log.warn("VoidRail router refused dealer {}: wrong API key {}", peer.id(),
                    ApiKeyManager.redact(Reply.text(payload, API_KEY)));
            refusedDealers.add(peer.id());
            DealerEntry known = dealers.remove(peer.id());
            if (known != null) {
                rebuildOffers(); // first, so that its calls are not dispatched back to it
                loseInFlight(known, now);
            }
            sendError(peer.identity(), null, REGISTRATION_FAILED, ErrorCode.UNAUTHENTICATED);
            return;
        }
        String group = payload.has("group") && payload.get("group").isString() ? payload.get("group").asString() : "default";
        Map<String, JsonNode> methods = new LinkedHashMap<>();
        Set<String> idempotent = new HashSet<>();
        for (Map.Entry<String, JsonNode> entry : methodsNode.properties()) {
            String publicName = group + "." + entry.getKey();
            methods.put(publicName, entry.getValue());
            JsonNode metadata = entry.getValue().get("metadata");
            if (metadata != null && metadata.path("idempotent").asBoolean(false)) {
                idempotent.add(publicName);
            }
        }
        boolean canCancel = false;
        JsonNode capabilities = payload.get(CAPABILITIES_KEY);
        if (capabilities != null && capabilities.isArray()) {
            for (JsonNode capability : capabilities) {
                canCancel |= CAP_CANCEL.equals(capability.asString(""));
            }
        }
        int maxConcurrent = positiveInt(payload.get("max_concurrent"), 100);
        int slots = positiveInt(payload.get("slots"), 1);
        DealerEntry entry = new DealerEntry(peer.id(), peer.identity(), group, methods, maxConcurrent, slots, canCancel,
                idempotent, now);
        DealerEntry previous = dealers.put(peer.id(), entry); // a known identity keeps its place in the order
        refusedDealers.remove(peer.id());
        rebuildOffers();
        if (previous != null) {
            loseInFlight(previous, now); // re-registration resets the in-flight state (PROTOCOL.md section 3)
        }
        log.info("VoidRail dealer {} registered {} method(s) of group {} (slots {}, max_concurrent {})", peer.id(),
                methods.size(), group, slots, maxConcurrent);
        outbox.send(peer.identity(), MessageType.REGISTER_ACK, Frames.EMPTY);
        drainAll(entry, now);
    }

    private static int positiveInt(@Nullable JsonNode node, int fallback) {
        return node != null && node.isIntegralNumber() && node.asInt() > 0 ? node.asInt() : fallback;
    }

    void onHeartbeat(long now, Peer peer) {
        DealerEntry dealer = dealers.get(peer.id());
        if (dealer != null) {
            dealer.lastHeartbeatNanos = now;
            outbox.send(peer.identity(), MessageType.HEARTBEAT_ACK, Frames.EMPTY);
        }
        else if (refusedDealers.contains(peer.id())) {
            sendError(peer.identity(), null, HEARTBEAT_AUTH_FAILED, ErrorCode.UNAUTHENTICATED);
        }
        else {
            outbox.send(peer.identity(), MessageType.REREGISTER_REQUIRED, Frames.EMPTY);
        }
    }

    /** {@code overload} / {@code resume} from older dealers; from anyone else an unknown message. */
    void onLoadSignal(long now, Peer peer, MessageType type) {
        DealerEntry dealer = dealers.get(peer.id());
        if (dealer == null) {
            unknownType(peer, type.token());
            return;
        }
        if (dealer.state == DealerState.SHUTDOWN) {
            return;
        }
        boolean overload = type == MessageType.OVERLOAD;
        dealer.state = overload ? DealerState.OVERLOAD : DealerState.ACTIVE;
        if (!overload) {
            drainAll(dealer, now);
        }
    }

    void onDealerShutdown(Peer peer) {
        DealerEntry dealer = dealers.get(peer.id());
        if (dealer != null) {
            // calls in flight stay tracked: the dealer finishes them before it leaves
            dealer.state = DealerState.SHUTDOWN;
            log.info("VoidRail dealer {} is shutting down", dealer.id);
        }
        outbox.send(peer.identity(), MessageType.SHUTDOWN_ACK);
    }

    /**
     * A {@code reply_from_dealer}: forwarded byte for byte to its client; a terminal one frees the slot.
     *
     * @param frames every frame of the message (identity, type, client id, ..., JSON)
     * @param json   the parsed last frame, {@code null} when it is not JSON
     */
    void onReply(long now, Peer peer, List<byte[]> frames, @Nullable JsonNode json) {
        DealerEntry dealer = dealers.get(peer.id());
        if (dealer == null) {
            unknownType(peer, MessageType.REPLY_FROM_DEALER.token());
            return;
        }
        if (frames.size() < 4) {
            log.warn("VoidRail router dropped a reply_from_dealer with {} frames from {}", frames.size(), dealer.id);
            return;
        }
        byte[] clientId = frames.get(2);
        String clientKey = Frames.strictUtf8(clientId);
        byte[] bytes = frames.get(frames.size() - 1);
        Reply reply = json == null ? null : Reply.parse(json);
        if (clientKey == null || reply == null) {
            log.warn("VoidRail router dropped a malformed reply from dealer {}: {}", dealer.id, Frames.forLog(bytes));
            return;
        }
        DealerEntry.InFlight call = reply.requestId() != null
                ? dealer.inFlight.get(new DealerEntry.CallKey(clientKey, reply.requestId()))
                : dealer.oldestOf(clientId);
        if (call == null) {
            log.debug("VoidRail router dropped a late reply from dealer {} for a call it no longer holds", dealer.id);
            return;
        }
        if (reply.requestId() == null && call.call().requestId() != null) {
            // a Python dealer's id-less error: name the call so Java clients need not guess
            ((ObjectNode) json).put(REQUEST_ID, call.call().requestId());
            bytes = codec.write(json);
        }
        if (!call.cancelled) {
            outbox.send(clientId, MessageType.REPLY_FROM_ROUTER, bytes);
        }
        if (reply.kind().isTerminal()) {
            dealer.inFlight.remove(call.call().key());
            dealer.replyCount++;
            totalResponses++;
            drainAll(dealer, now);
        }
    }

    // ---------------------------------------------------------------- dispatch

    private void rebuildOffers() {
        Map<String, List<DealerEntry>> index = new HashMap<>();
        for (DealerEntry dealer : dealers.values()) {
            for (String method : dealer.methods.keySet()) {
                index.computeIfAbsent(method, m -> new ArrayList<>()).add(dealer);
            }
        }
        offers = index;
    }

    /** Some dealer offering the method is active or overloaded, so the method is served. */
    boolean isOffered(String method) {
        for (DealerEntry dealer : offering(method)) {
            if (dealer.state == DealerState.ACTIVE || dealer.state == DealerState.OVERLOAD) {
                return true;
            }
        }
        return false;
    }

    /** A dealer may take calls again: each of its methods' queues gets a chance, while it has room. */
    private void drainAll(DealerEntry dealer, long now) {
        for (String method : dealer.methods.keySet()) {
            if (!strategy.hasRoom(dealer)) {
                return;
            }
            drain(method, now);
        }
    }

    /** Hands a method's queued calls to dealers the strategy picks, oldest first. */
    private void drain(String method, long now) {
        ArrayDeque<QueuedCall> queue = queues.get(method);
        if (queue == null || queue.isEmpty()) {
            return;
        }
        List<DealerEntry> candidates = offering(method);
        while (!queue.isEmpty()) {
            DealerEntry target = strategy.pick(candidates);
            if (target == null) {
                return;
            }
            QueuedCall call = queue.pollFirst();
            if (call.expired(now)) {
                failCall(call, "Deadline exceeded while queued for " + method, ErrorCode.DEADLINE_EXCEEDED);
                continue;
            }
            dispatch(target, call);
        }
    }

    private void dispatch(DealerEntry dealer, QueuedCall call) {
        outbox.dispatch(dealer, call, call.frames());
        dealer.inFlight.put(call.key(), new DealerEntry.InFlight(call));
        dealer.requestCount++;
    }

    /** The socket could not deliver a dispatch (the dealer's connection is gone, or its pipe is full). */
    void undeliverable(long now, DealerEntry dealer, QueuedCall call) {
        DealerEntry.InFlight lost = dealer.inFlight.remove(call.key());
        if (lost == null) {
            return;
        }
        dealer.requestCount--;
        log.warn("VoidRail router could not reach dealer {}; marking it inactive", dealer.id);
        dealer.state = DealerState.INACTIVE;
        if (strategy.waitsForCapacity()) {
            queues.computeIfAbsent(call.method(), m -> new ArrayDeque<>()).addFirst(call);
            drain(call.method(), now);
        }
        else {
            failCall(call, noAvailableService(call.method()), ErrorCode.OVERLOADED);
        }
    }

    /** The dealer is gone or replaced: its calls are re-queued (idempotent methods) or failed. */
    private void loseInFlight(DealerEntry dealer, long now) {
        for (DealerEntry.InFlight lost : dealer.takeInFlight()) {
            QueuedCall call = lost.call();
            if (lost.cancelled) {
                continue;
            }
            if (strategy.waitsForCapacity() && dealer.idempotentMethods.contains(call.method())) {
                queues.computeIfAbsent(call.method(), m -> new ArrayDeque<>()).addFirst(call);
            }
            else {
                failCall(call, "Dealer " + dealer.id + " was lost while running " + call.method(), ErrorCode.DEALER_LOST);
            }
        }
        for (String method : dealer.methods.keySet()) {
            drain(method, now);
        }
    }

    // ---------------------------------------------------------------- timers

    void onTimer(long now) {
        boolean changed = false;
        for (Iterator<DealerEntry> it = dealers.values().iterator(); it.hasNext();) {
            DealerEntry dealer = it.next();
            long silent = now - dealer.lastSeenNanos;
            boolean busy = !dealer.inFlight.isEmpty();
            if ((dealer.state == DealerState.ACTIVE || dealer.state == DealerState.OVERLOAD)
                    && silent > settings.heartbeatTimeout().toNanos() && !busy) {
                log.warn("VoidRail dealer {} silent for {} ms: inactive", dealer.id, silent / 1_000_000);
                dealer.state = DealerState.INACTIVE;
            }
            if (busy && silent > settings.busyHeartbeatTimeout().toNanos()) {
                log.warn("VoidRail dealer {} silent for {} ms with {} call(s) in flight: lost", dealer.id,
                        silent / 1_000_000, dealer.inFlight.size());
                dealer.state = dealer.state == DealerState.SHUTDOWN ? DealerState.SHUTDOWN : DealerState.INACTIVE;
                loseInFlight(dealer, now);
            }
            if (dealer.state != DealerState.ACTIVE && dealer.state != DealerState.OVERLOAD && dealer.inFlight.isEmpty()
                    && silent > settings.forgetAfter().toNanos()) {
                it.remove();
                changed = true;
            }
        }
        if (changed) {
            rebuildOffers();
        }
        expireQueued(now);
    }

    private void expireQueued(long now) {
        long maxWait = settings.maxQueueWait().toNanos();
        for (Iterator<Map.Entry<String, ArrayDeque<QueuedCall>>> it = queues.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, ArrayDeque<QueuedCall>> entry = it.next();
            ArrayDeque<QueuedCall> queue = entry.getValue();
            boolean offered = isOffered(entry.getKey());
            if (queue.isEmpty()) {
                if (!offered) {
                    it.remove(); // keeps the table bounded however many names clients invent
                }
                continue;
            }
            for (Iterator<QueuedCall> calls = queue.iterator(); calls.hasNext();) {
                QueuedCall call = calls.next();
                if (call.expired(now)) {
                    calls.remove();
                    failCall(call, offered ? "Deadline exceeded while queued for " + call.method()
                            : methodNotFound(call.method()), offered ? ErrorCode.DEADLINE_EXCEEDED : ErrorCode.NOT_FOUND);
                }
                else if (!offered && now - call.enqueuedNanos() > maxWait) {
                    calls.remove();
                    failCall(call, methodNotFound(call.method()), ErrorCode.NOT_FOUND);
                }
            }
        }
    }

    // ---------------------------------------------------------------- monitoring

    RouterStatus status(long now) {
        return report.status(now);
    }

    // ---------------------------------------------------------------- stop

    /** The router stops: dealers are told, every call still held gets an error. */
    void shutdown() {
        for (DealerEntry dealer : dealers.values()) {
            if (dealer.state != DealerState.SHUTDOWN) {
                outbox.send(dealer.identity, MessageType.ROUTER_SHUTDOWN, Frames.EMPTY);
            }
            for (DealerEntry.InFlight call : dealer.takeInFlight()) {
                if (!call.cancelled) {
                    failCall(call.call(), "Router is shutting down", ErrorCode.DEALER_LOST);
                }
            }
        }
        for (ArrayDeque<QueuedCall> queue : queues.values()) {
            for (QueuedCall call : queue) {
                failCall(call, "Router is shutting down", ErrorCode.CANCELLED);
            }
            queue.clear();
        }
    }

    // ---------------------------------------------------------------- sending

    private void failCall(QueuedCall call, String text, ErrorCode code) {
        replyError(call.clientId(), call.requestId(), text, code);
    }

    /** A call-level error travels like a dealer reply, so every client reads it as the call's answer. */
    private void replyError(byte[] clientId, @Nullable String requestId, String text, ErrorCode code) {
        outbox.send(clientId, MessageType.REPLY_FROM_ROUTER, codec.write(messages.callError(requestId, text, code)));
    }

    private void sendError(byte[] identity, @Nullable String requestId, String text, @Nullable ErrorCode code) {
        outbox.send(identity, MessageType.ERROR, codec.write(messages.routerError(requestId, text, code)));
    }
}
