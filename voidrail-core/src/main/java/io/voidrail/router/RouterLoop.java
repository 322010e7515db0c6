package io.voidrail.router;

import static io.voidrail.protocol.Protocol.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.voidrail.auth.ApiKeyManager;
import io.voidrail.codec.JsonCodec;
import io.voidrail.internal.Mailbox;
import io.voidrail.internal.PollLoop;
import io.voidrail.internal.Sockets;
import io.voidrail.protocol.ErrorCode;
import io.voidrail.protocol.Frames;
import io.voidrail.protocol.Messages;
import io.voidrail.protocol.MessageType;
import io.voidrail.protocol.Reply;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The router's I/O thread: owns the ROUTER socket, the dealer table and the queues. Every method here
 * runs on that one thread, so nothing is locked. Whatever a peer sends, the loop logs and carries on.
 */
final class RouterLoop implements Runnable, PollLoop.Handler<Consumer<RouterLoop>> {

    private static final Logger log = LoggerFactory.getLogger(ServiceRouter.class);
    private static final long TICK_NANOS = 50_000_000L;

    private final ServiceRouter.Settings settings;
    private final ZContext context;
    private final ZMQ.Socket socket;
    private final Mailbox<Consumer<RouterLoop>> mailbox;
    private final JsonCodec codec;
    private final Messages messages;
    private final ApiKeyManager dealerKeys;
    private final ApiKeyManager clientKeys;
    private final String address;
    private final long startedNanos = System.nanoTime();

    /** Every known dealer, in registration order (first registered wins a FIFO dispatch). */
    private final Map<String, DealerEntry> dealers = new LinkedHashMap<>();
    /** Public method name -> dealers offering it, in registration order; rebuilt when the table changes. */
    private Map<String, List<DealerEntry>> offers = Map.of();
    private final Map<String, ArrayDeque<QueuedCall>> queues = new LinkedHashMap<>();
    private final Set<String> authenticatedClients = new HashSet<>();
    private final Set<String> refusedDealers = new HashSet<>();

    private long totalRequests;
    private long totalResponses;
    private long nextTickNanos;
    private volatile boolean stopping;

    RouterLoop(ServiceRouter.Settings settings, ZContext context, ZMQ.Socket socket, String address,
            Mailbox<Consumer<RouterLoop>> mailbox) {
        this.settings = settings;
        this.context = context;
        this.socket = socket;
        this.address = address;
        this.mailbox = mailbox;
        this.codec = settings.codec();
        this.messages = new Messages(codec);
        this.dealerKeys = new ApiKeyManager(settings.dealerKeys());
        this.clientKeys = new ApiKeyManager(settings.clientKeys());
    }

    void requestStop() {
        stopping = true;
    }

    @Override
    public void run() {
        try {
            PollLoop.run(context, socket, mailbox, this);
            shutdown();
        }
        catch (RuntimeException ex) {
            if (!stopping) {
                log.error("VoidRail router loop failed", ex);
            }
        }
    }

    @Override
    public void onCommand(Consumer<RouterLoop> command) {
        command.accept(this);
    }

    @Override
    public long afterPoll(long now) {
        if (stopping) {
            return PollLoop.LEAVE;
        }
        if (now - nextTickNanos >= 0) {
            tick(now);
            nextTickNanos = now + TICK_NANOS;
        }
        return nextTickNanos;
    }

    // ---------------------------------------------------------------- receiving

    /** Drains everything waiting before polling again: batching is where the throughput comes from. */
    @Override
    public void onInput() {
        List<byte[]> frames;
        while ((frames = Sockets.receive(socket)) != null) {
            try {
                handle(frames);
            }
            catch (RuntimeException ex) {
                // never let one peer's message stop the router
                log.warn("VoidRail router dropped a message it could not handle ({} frames): {}", frames.size(),
                        ex.toString());
            }
        }
    }

    private void handle(List<byte[]> frames) {
        if (frames.size() < 2) {
            log.warn("VoidRail router dropped a message with too few frames ({})", frames.size());
            return;
        }
        byte[] identity = frames.get(0);
        String sender = Frames.strictUtf8(identity);
        String token = Frames.strictUtf8(frames.get(1));
        if (sender == null || sender.isEmpty() || token == null) {
            log.warn("VoidRail router dropped a message with a non-UTF-8 identity or type frame");
            return;
        }
        DealerEntry dealer = dealers.get(sender);
        if (dealer != null) {
            touch(dealer);
        }
        MessageType type = MessageType.fromToken(token);
        if (type == null) {
            sendError(identity, null, UNKNOWN_MESSAGE_TYPE + token, null);
            return;
        }
        switch (type) {
            case AUTH -> onAuth(identity, sender, frames);
            case METHODS, CLUSTERS, QUEUE_STATUS, ROUTER_INFO -> onQuery(identity, sender, dealer, type);
            case ROUTER_MONITOR -> send(identity, MessageType.HEARTBEAT_ACK, Frames.EMPTY);
            case CALL_FROM_CLIENT -> onCall(identity, sender, dealer, frames);
            case CANCEL -> onCancel(sender, frames);
            case STREAM_CREDIT -> onStreamCredit(sender, frames);
            case REGISTER -> onRegister(identity, sender, frames);
            case HEARTBEAT -> onHeartbeat(identity, sender, dealer);
            case REPLY_FROM_DEALER, OVERLOAD, RESUME -> {
                if (dealer == null) {
                    sendError(identity, null, UNKNOWN_MESSAGE_TYPE + token, null);
                }
                else if (type == MessageType.REPLY_FROM_DEALER) {
                    onReply(dealer, frames);
                }
                else {
                    onLoadSignal(dealer, type == MessageType.OVERLOAD);
                }
            }
            case SHUTDOWN -> onDealerShutdown(identity, dealer);
            default -> sendError(identity, null, UNKNOWN_MESSAGE_TYPE + token, null);
        }
    }

    private void touch(DealerEntry dealer) {
        dealer.lastSeenNanos = System.nanoTime();
        if (dealer.state == DealerState.INACTIVE) {
            log.info("VoidRail dealer {} is back", dealer.id);
            dealer.state = DealerState.ACTIVE;
            drainAll(dealer);
        }
    }

    // ---------------------------------------------------------------- clients

    private void onAuth(byte[] identity, String sender, List<byte[]> frames) {
        JsonNode payload = frames.size() > 2 ? codec.readOrNull(last(frames)) : null;
        if (payload == null) {
            sendError(identity, null, ROUTER_ERROR, null);
            return;
        }
        if (settings.requireAuth()) {
            JsonNode key = payload.get(API_KEY);
            if (!payload.isObject() || key == null || !key.isString()) {
                sendError(identity, null, INVALID_AUTH_FORMAT, ErrorCode.UNAUTHENTICATED);
                return;
            }
            if (!clientKeys.isValid(key.asString())) {
                log.warn("VoidRail router refused client {}: wrong API key {}", sender, ApiKeyManager.redact(key.asString()));
                sendError(identity, null, AUTHENTICATION_FAILED, ErrorCode.UNAUTHENTICATED);
                return;
            }
            authenticatedClients.add(sender);
        }
        ObjectNode result = codec.object().put("status", "authenticated");
        send(identity, MessageType.AUTH_ACK, codec.write(messages.ack(result)));
    }

    private boolean authorised(byte[] identity, String sender, @Nullable DealerEntry dealer, @Nullable String requestId) {
        if (!settings.requireAuth() || dealer != null || authenticatedClients.contains(sender)) {
            return true;
        }
        sendError(identity, requestId, NOT_AUTHENTICATED, ErrorCode.UNAUTHENTICATED);
        return false;
    }

    private void onQuery(byte[] identity, String sender, @Nullable DealerEntry dealer, MessageType type) {
        if (!authorised(identity, sender, dealer, null)) {
            return;
        }
        switch (type) {
            case METHODS -> send(identity, MessageType.METHODS_ACK, codec.write(messages.ack(methodsTable())));
            case CLUSTERS -> send(identity, MessageType.CLUSTERS_ACK, codec.write(messages.ack(clustersTable())));
            case QUEUE_STATUS -> send(identity, MessageType.QUEUE_STATUS_ACK, codec.write(messages.ack(queueTable())));
            default -> send(identity, MessageType.ROUTER_INFO_ACK, codec.write(messages.ack(routerInfo())));
        }
    }

    private void onCall(byte[] identity, String sender, @Nullable DealerEntry dealer, List<byte[]> frames) {
        if (frames.size() < 3) {
            log.warn("VoidRail router dropped a call_from_client without a method frame from {}", sender);
            return;
        }
        JsonNode request = frames.size() > 3 ? codec.readOrNull(last(frames)) : null;
        String requestId = request != null && request.isObject() ? Reply.text(request, REQUEST_ID) : null;
        if (!authorised(identity, sender, dealer, requestId)) {
            return;
        }
        String method = Frames.strictUtf8(frames.get(2));
        if (method == null || request == null || !request.isObject()) {
            log.warn("VoidRail router refused a malformed call from {}", sender);
            replyError(identity, requestId, "Invalid call format: expected a method name frame and a JSON request",
                    ErrorCode.BAD_REQUEST);
            return;
        }
        long size = last(frames).length;
        if (settings.maxMessageSize() > 0 && size > settings.maxMessageSize()) {
            log.warn("VoidRail router refused a {}-byte call to {} from {}", size, method, sender);
            replyError(identity, requestId, "Request of " + size + " bytes exceeds the router's limit of "
                    + settings.maxMessageSize() + " bytes", ErrorCode.BAD_REQUEST);
            return;
        }
        totalRequests++;
        long now = System.nanoTime();
        long deadline = deadlineNanos(request, now);
        QueuedCall call = new QueuedCall(identity, sender, method, requestId, List.copyOf(frames.subList(2, frames.size())),
                deadline, now);
        if (call.expired(now)) {
            failCall(call, "Deadline exceeded before dispatch of " + method, ErrorCode.DEADLINE_EXCEEDED);
            return;
        }
        if (settings.mode() == RouterMode.LOAD_BALANCE) {
            DealerEntry target = leastLoaded(method);
            if (target == null) {
                boolean offered = isOffered(method);
                ObjectNode error = messages.callError(requestId, noAvailableService(method),
                        offered ? ErrorCode.OVERLOADED : ErrorCode.NOT_FOUND);
                send(identity, MessageType.REPLY_FROM_ROUTER, codec.write(error));
                return;
            }
            dispatch(target, call);
            return;
        }
        ArrayDeque<QueuedCall> queue = queues.computeIfAbsent(method, m -> new ArrayDeque<>());
        if (queue.size() >= settings.maxQueueLength()) {
            failCall(call, "Queue for " + method + " is full (" + settings.maxQueueLength() + " calls waiting)",
                    ErrorCode.QUEUE_FULL);
            return;
        }
        queue.addLast(call);
        drain(method);
    }

    private long deadlineNanos(JsonNode request, long nowNanos) {
        JsonNode deadline = request.get(DEADLINE_MS);
        if (deadline == null || !deadline.isNumber()) {
            return 0;
        }
        long remainingMs = deadline.asLong() - System.currentTimeMillis();
        long at = nowNanos + Math.max(0, remainingMs) * 1_000_000L;
        return at == 0 ? 1 : at;
    }

    private void onCancel(String sender, List<byte[]> frames) {
        JsonNode payload = codec.readOrNull(last(frames));
        String requestId = payload == null ? null : Reply.text(payload, REQUEST_ID);
        if (requestId == null) {
            return;
        }
        DealerEntry.CallKey key = new DealerEntry.CallKey(sender, requestId);
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
                    send(dealer.identity, MessageType.CANCEL_FROM_ROUTER, running.clientId(), last(frames));
                }
                return;
            }
        }
    }

    /**
     * {@code ["stream_credit", {"request_id": R, "credits": N}]}: relayed as {@code stream_credit_from_router} to the
     * dealer running that call, when it announced "credits" (other dealers never wait for credits).
     */
    private void onStreamCredit(String sender, List<byte[]> frames) {
        JsonNode payload = codec.readOrNull(last(frames));
        String requestId = payload == null ? null : Reply.text(payload, REQUEST_ID);
        if (requestId == null) {
            return;
        }
        DealerEntry.CallKey key = new DealerEntry.CallKey(sender, requestId);
        for (DealerEntry dealer : dealers.values()) {
            DealerEntry.InFlight running = dealer.inFlight.get(key);
            if (running != null) {
                if (dealer.canCredit && !running.cancelled) {
                    send(dealer.identity, MessageType.STREAM_CREDIT_FROM_ROUTER, running.clientId(), last(frames));
                }
                return;
            }
        }
    }

    // ---------------------------------------------------------------- dealers

    private void onRegister(byte[] identity, String sender, List<byte[]> frames) {
        JsonNode payload = frames.size() > 2 ? codec.readOrNull(last(frames)) : null;
        JsonNode methodsNode = payload == null ? null : payload.get("methods");
        if (payload == null || !payload.isObject() || methodsNode == null || !methodsNode.isObject()) {
            sendError(identity, null, INVALID_REGISTER_FORMAT, ErrorCode.BAD_REQUEST);
            return;
        }
        if (settings.requireAuth() && !dealerKeys.isValid(Reply.text(payload, API_KEY))) {
            log.warn("VoidRail router refused dealer {}: wrong API key {}", sender,
                    ApiKeyManager.redact(Reply.text(payload, API_KEY)));
            refusedDealers.add(sender);
            DealerEntry known = dealers.remove(sender);
            if (known != null) {
                rebuildOffers(); // first, so that its calls are not dispatched back to it
                loseInFlight(known);
            }
            sendError(identity, null, REGISTRATION_FAILED, ErrorCode.UNAUTHENTICATED);
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
        boolean canCredit = false;
        JsonNode capabilities = payload.get(CAPABILITIES_KEY);
        if (capabilities != null && capabilities.isArray()) {
            for (JsonNode capability : capabilities) {
                canCancel |= CAP_CANCEL.equals(capability.asString(""));
                canCredit |= CAP_CREDITS.equals(capability.asString(""));
            }
        }
        int maxConcurrent = positiveInt(payload.get("max_concurrent"), 100);
        int slots = positiveInt(payload.get("slots"), 1);
        DealerEntry entry = new DealerEntry(sender, identity, group, methods, maxConcurrent, slots, canCancel, idempotent,
                System.nanoTime());
        entry.canCredit = canCredit;
        DealerEntry previous = dealers.put(sender, entry); // a known identity keeps its place in the order
        refusedDealers.remove(sender);
        rebuildOffers();
        if (previous != null) {
            loseInFlight(previous); // re-registration resets the in-flight state (PROTOCOL.md section 3)
        }
        log.info("VoidRail dealer {} registered {} method(s) of group {} (slots {}, max_concurrent {})", sender,
                methods.size(), group, slots, maxConcurrent);
        send(identity, MessageType.REGISTER_ACK, Frames.EMPTY);
        drainAll(entry);
    }

    private static int positiveInt(@Nullable JsonNode node, int fallback) {
        return node != null && node.isIntegralNumber() && node.asInt() > 0 ? node.asInt() : fallback;
    }

    private void onHeartbeat(byte[] identity, String sender, @Nullable DealerEntry dealer) {
        if (dealer != null) {
            dealer.lastHeartbeatEpochSeconds = System.currentTimeMillis() / 1000.0;
            send(identity, MessageType.HEARTBEAT_ACK, Frames.EMPTY);
        }
        else if (refusedDealers.contains(sender)) {
            sendError(identity, null, HEARTBEAT_AUTH_FAILED, ErrorCode.UNAUTHENTICATED);
        }
        else {
            send(identity, MessageType.REREGISTER_REQUIRED, Frames.EMPTY);
        }
    }

    private void onLoadSignal(DealerEntry dealer, boolean overload) {
        if (dealer.state == DealerState.SHUTDOWN) {
            return;
        }
        dealer.state = overload ? DealerState.OVERLOAD : DealerState.ACTIVE;
        if (!overload) {
            drainAll(dealer);
        }
    }

    private void onDealerShutdown(byte[] identity, @Nullable DealerEntry dealer) {
        if (dealer != null) {
            // calls in flight stay tracked: the dealer finishes them before it leaves
            dealer.state = DealerState.SHUTDOWN;
            log.info("VoidRail dealer {} is shutting down", dealer.id);
        }
        send(identity, MessageType.SHUTDOWN_ACK);
    }

    private void onReply(DealerEntry dealer, List<byte[]> frames) {
        if (frames.size() < 4) {
            log.warn("VoidRail router dropped a reply_from_dealer with {} frames from {}", frames.size(), dealer.id);
            return;
        }
        byte[] clientId = frames.get(2);
        String clientKey = Frames.strictUtf8(clientId);
        byte[] json = last(frames);
        JsonNode node = codec.readOrNull(json);
        Reply reply = node == null ? null : Reply.parse(node);
        if (clientKey == null || reply == null) {
            log.warn("VoidRail router dropped a malformed reply from dealer {}: {}", dealer.id, Frames.forLog(json));
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
            ((ObjectNode) node).put(REQUEST_ID, call.call().requestId());
            json = codec.write(node);
        }
        if (!call.cancelled) {
            send(clientId, MessageType.REPLY_FROM_ROUTER, json);
        }
        if (reply.kind().isTerminal()) {
            dealer.inFlight.remove(call.call().key());
            dealer.replyCount++;
            totalResponses++;
            drainAll(dealer);
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

    private boolean isOffered(String method) {
        for (DealerEntry dealer : offers.getOrDefault(method, List.of())) {
            if (dealer.state == DealerState.ACTIVE || dealer.state == DealerState.OVERLOAD) {
                return true;
            }
        }
        return false;
    }

    private void drainAll(DealerEntry dealer) {
        if (settings.mode() == RouterMode.FIFO) {
            for (String method : dealer.methods.keySet()) {
                if (!dealer.dispatchable() || !dealer.hasFreeSlot(RouterMode.FIFO)) {
                    return;
                }
                drain(method);
            }
        }
    }

    /** FIFO: hands queued calls of one method to free dealers, first registered first. */
    private void drain(String method) {
        ArrayDeque<QueuedCall> queue = queues.get(method);
        if (queue == null || queue.isEmpty()) {
            return;
        }
        List<DealerEntry> candidates = offers.getOrDefault(method, List.of());
        long now = System.nanoTime();
        while (!queue.isEmpty()) {
            DealerEntry target = null;
            for (DealerEntry dealer : candidates) {
                if (dealer.dispatchable() && dealer.hasFreeSlot(RouterMode.FIFO)) {
                    target = dealer;
                    break;
                }
            }
            if (target == null) {
                return;
            }
            QueuedCall call = queue.pollFirst();
            if (call.expired(now)) {
                failCall(call, "Deadline exceeded while queued for " + method, ErrorCode.DEADLINE_EXCEEDED);
                continue;
            }
            if (!dispatch(target, call)) {
                queue.addFirst(call);
            }
        }
    }

    private @Nullable DealerEntry leastLoaded(String method) {
        DealerEntry best = null;
        for (DealerEntry dealer : offers.getOrDefault(method, List.of())) {
            if (dealer.dispatchable() && dealer.hasFreeSlot(RouterMode.LOAD_BALANCE)
                    && (best == null || dealer.inFlight.size() < best.inFlight.size())) {
                best = dealer;
            }
        }
        return best;
    }

    private boolean dispatch(DealerEntry dealer, QueuedCall call) {
        List<byte[]> out = new ArrayList<>(call.frames().size() + 3);
        out.add(dealer.identity);
        out.add(MessageType.CALL_FROM_ROUTER.token().getBytes(StandardCharsets.US_ASCII));
        out.add(call.clientId());
        out.addAll(call.frames());
        if (!Sockets.send(socket, out)) {
            log.warn("VoidRail router could not reach dealer {}; marking it inactive", dealer.id);
            dealer.state = DealerState.INACTIVE;
            if (settings.mode() == RouterMode.LOAD_BALANCE) {
                failCall(call, noAvailableService(call.method()), ErrorCode.OVERLOADED);
            }
            return false;
        }
        dealer.inFlight.put(call.key(), new DealerEntry.InFlight(call));
        dealer.requestCount++;
        return true;
    }

    /** The dealer is gone or replaced: its calls are re-queued (idempotent methods) or failed. */
    private void loseInFlight(DealerEntry dealer) {
        for (DealerEntry.InFlight lost : dealer.takeInFlight()) {
            QueuedCall call = lost.call();
            if (lost.cancelled) {
                continue;
            }
            if (settings.mode() == RouterMode.FIFO && dealer.idempotentMethods.contains(call.method())) {
                queues.computeIfAbsent(call.method(), m -> new ArrayDeque<>()).addFirst(call);
            }
            else {
                failCall(call, "Dealer " + dealer.id + " was lost while running " + call.method(), ErrorCode.DEALER_LOST);
            }
        }
        for (String method : dealer.methods.keySet()) {
            drain(method);
        }
    }

    // ---------------------------------------------------------------- timers

    private void tick(long now) {
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
                loseInFlight(dealer);
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

    private ObjectNode methodsTable() {
        ObjectNode result = codec.object();
        for (DealerEntry dealer : dealers.values()) {
            if (dealer.state == DealerState.ACTIVE) {
                for (Map.Entry<String, JsonNode> method : dealer.methods.entrySet()) {
                    if (!result.has(method.getKey())) {
                        result.set(method.getKey(), method.getValue());
                    }
                }
            }
        }
        return result;
    }

    private ObjectNode clustersTable() {
        ObjectNode result = codec.object();
        for (DealerEntry dealer : dealers.values()) {
            ObjectNode entry = result.putObject(dealer.id);
            entry.put("service_id", dealer.id);
            entry.put("group", dealer.group);
            ObjectNode methods = entry.putObject("methods");
            dealer.methods.forEach(methods::set);
            entry.put("state", dealer.state.wireName());
            entry.put("max_concurrent", dealer.maxConcurrent);
            entry.put("current_load", dealer.inFlight.size());
            entry.put("request_count", dealer.requestCount);
            entry.put("reply_count", dealer.replyCount);
            entry.put("last_heartbeat", dealer.lastHeartbeatEpochSeconds);
        }
        return result;
    }

    private ObjectNode queueTable() {
        ObjectNode result = codec.object();
        queueStatus().forEach((method, queue) -> result.putObject(method)
                .put("queue_length", queue.queueLength())
                .put("available_services", queue.availableServices())
                .put("busy_services", queue.busyServices()));
        return result;
    }

    private Map<String, RouterStatus.Queue> queueStatus() {
        Map<String, RouterStatus.Queue> result = new LinkedHashMap<>();
        for (Map.Entry<String, ArrayDeque<QueuedCall>> entry : queues.entrySet()) {
            int available = 0;
            int busy = 0;
            for (DealerEntry dealer : offers.getOrDefault(entry.getKey(), List.of())) {
                if (dealer.dispatchable() && dealer.hasFreeSlot(settings.mode())) {
                    available++;
                }
                else if (dealer.dispatchable() || dealer.state == DealerState.OVERLOAD) {
                    busy++;
                }
            }
            result.put(entry.getKey(), new RouterStatus.Queue(entry.getValue().size(), available, busy));
        }
        return result;
    }

    private ObjectNode routerInfo() {
        RouterStatus status = status();
        long busy = status.dealers().stream()
                .filter(d -> d.state() == DealerState.ACTIVE && d.inFlight() > 0).count();
        long active = status.dealerCount(DealerState.ACTIVE);
        ObjectNode info = codec.object();
        info.put("mode", settings.mode().wireName());
        info.put("address", address);
        info.put("heartbeat_timeout", seconds(settings.heartbeatTimeout()));
        info.put("active_services", active);
        info.put("total_services", status.dealers().size());
        ObjectNode queueStats = info.putObject("queue_stats");
        status.queues().forEach((method, queue) -> queueStats.put(method, queue.queueLength()));
        info.put("auth_required", settings.requireAuth());
        info.put("idle_heartbeat_timeout", seconds(settings.heartbeatTimeout()));
        info.put("busy_heartbeat_timeout", seconds(settings.busyHeartbeatTimeout()));
        info.put("max_busy_without_heartbeat", seconds(settings.busyHeartbeatTimeout()));
        info.put("active_services_count", active);
        info.put("busy_services_count", busy);
        info.put("idle_services_count", active - busy);
        info.put("inactive_services_count", status.dealerCount(DealerState.INACTIVE));
        info.put("total_services_count", status.dealers().size());
        info.put("uptime", seconds(status.uptime()));
        info.put("total_requests", totalRequests);
        info.put("total_responses", totalResponses);
        info.put("requests_in_process", status.requestsInProcess());
        info.put("requests_in_queue", status.requestsInQueue());
        info.put(MAX_MESSAGE_SIZE, settings.maxMessageSize());
        info.put(IMPLEMENTATION_KEY, IMPLEMENTATION);
        CAPABILITIES.forEach(info.putArray(CAPABILITIES_KEY)::add);
        return info;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    RouterStatus status() {
        List<RouterStatus.Dealer> table = new ArrayList<>();
        for (DealerEntry dealer : dealers.values()) {
            table.add(new RouterStatus.Dealer(dealer.id, dealer.group, List.copyOf(dealer.methods.keySet()), dealer.state,
                    dealer.maxConcurrent, dealer.slots, dealer.inFlight.size(), dealer.requestCount, dealer.replyCount,
                    Instant.ofEpochMilli((long) (dealer.lastHeartbeatEpochSeconds * 1000))));
        }
        return new RouterStatus(settings.mode(), address, settings.requireAuth(),
                Duration.ofNanos(System.nanoTime() - startedNanos), totalRequests, totalResponses,
                Collections.unmodifiableMap(queueStatus()), List.copyOf(table));
    }

    void status(CompletableFuture<RouterStatus> result) {
        result.complete(status());
    }

    // ---------------------------------------------------------------- stop

    private void shutdown() {
        socket.setLinger(200); // lets router_shutdown and the errors below leave before the socket closes
        for (DealerEntry dealer : dealers.values()) {
            if (dealer.state != DealerState.SHUTDOWN) {
                send(dealer.identity, MessageType.ROUTER_SHUTDOWN, Frames.EMPTY);
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
        send(clientId, MessageType.REPLY_FROM_ROUTER, codec.write(messages.callError(requestId, text, code)));
    }

    private void sendError(byte[] identity, @Nullable String requestId, String text, @Nullable ErrorCode code) {
        send(identity, MessageType.ERROR, codec.write(messages.routerError(requestId, text, code)));
    }

    private void send(byte[] identity, MessageType type, byte[]... payload) {
        List<byte[]> out = new ArrayList<>(payload.length + 2);
        out.add(identity);
        out.add(type.token().getBytes(StandardCharsets.US_ASCII));
        out.addAll(List.of(payload));
        if (!Sockets.send(socket, out)) {
            log.debug("VoidRail router could not deliver {} to {}", type.token(), Frames.forLog(identity));
        }
    }

    private static byte[] last(List<byte[]> frames) {
        return frames.get(frames.size() - 1);
    }
}
