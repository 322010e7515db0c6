package io.voidrail.router;

import static io.voidrail.internal.protocol.Protocol.*;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.voidrail.ErrorCode;
import io.voidrail.auth.ApiKeyManager;
import io.voidrail.auth.CurveKeys;
import io.voidrail.codec.JsonCodec;
import io.voidrail.internal.CurveRole;
import io.voidrail.internal.Deadlines;
import io.voidrail.internal.protocol.Fields;
import io.voidrail.internal.protocol.Frames;
import io.voidrail.internal.protocol.MessageType;
import io.voidrail.internal.protocol.Messages;
import io.voidrail.internal.protocol.PythonErrors;
import io.voidrail.internal.protocol.Reply;
import io.voidrail.status.DealerState;
import io.voidrail.status.RouterStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The router's decisions, without sockets or clocks: the dealer table, the queues, dispatch (through a
 * {@link DispatchStrategy}), dealer liveness, deadlines and grace periods. Every input comes parsed from
 * {@link RouterLoop} with the monotonic time {@code now} (nanoseconds); everything to send goes to the
 * {@link Outbox}; {@link #nextTimer()} says when {@link #onTimer} wants to run. One thread uses it.
 *
 * <p>Every call the router accepts ends with exactly one terminal message to its client: the dealer's reply, or a
 * router error (NOT_FOUND, QUEUE_FULL, OVERLOADED, DEADLINE_EXCEEDED, CANCELLED, DEALER_LOST, UNAVAILABLE, BAD_REQUEST).
 */
final class RouterCore {

    private static final Logger log = LoggerFactory.getLogger(ServiceRouter.class);

    /**
     * After its connection closed, a dealer that heartbeats regularly must speak again within this many of its
     * heartbeat gaps (and at least {@link #MIN_DISCONNECT_GRACE_NANOS}): a live one reconnects within a fraction of a
     * second and its next heartbeat follows; a dead one is lost long before its heartbeat timeout.
     */
    private static final int DISCONNECT_GRACE_BEATS = 3;
    /** Covers a reconnect whose handshake stalls once (see {@code Sockets.HANDSHAKE_IVL_MS}) plus one heartbeat. */
    private static final long MIN_DISCONNECT_GRACE_NANOS = 2_000_000_000L;

    /**
     * Who sent a message: its routing identity, where its connection comes from, the CURVE public key that
     * connection proved and the role the allow-list that admitted it grants ({@code null} without CURVE).
     */
    record Peer(byte[] identity, String id, @Nullable String address, @Nullable String key, @Nullable CurveRole role) {

        Peer(byte[] identity, String id, @Nullable String address, @Nullable String key) {
            this(identity, id, address, key, key == null ? null : CurveRole.ANY);
        }

        Peer(byte[] identity, String id) {
            this(identity, id, null, null);
        }

        /** Its CURVE key was admitted for the other role only: it may not do what {@code role} does. */
        boolean curveForbids(CurveRole wanted) {
            return role != null && role != CurveRole.ANY && role != wanted;
        }

        /** Tells this connection apart from a later one under the same identity: its origin and its proved key. */
        String connection() {
            return address + " " + key;
        }
    }

    private static final String DEALERS_CANNOT_CALL = "Not authenticated: dealer keys cannot call";
    private static final String OTHER_CONNECTION = "Not authenticated: this identity belongs to another connection";

    final ServiceRouter.Settings settings;
    final DispatchStrategy strategy;
    final String address;
    final long startedNanos;
    /** Unix milliseconds, only for what the wire carries as wall-clock time ({@code deadline_ms}, {@code last_heartbeat}). */
    final LongSupplier wallMillis;
    private final long graceEndNanos;
    private final Outbox outbox;
    private final JsonCodec codec;
    private final Messages messages;
    private final ApiKeyManager dealerKeys;
    private final ApiKeyManager clientKeys;
    private final RouterReport report;
    /** The {@code register_ack} payload for dealers that announced capabilities: what this router is. */
    private final byte[] registerAckInfo;

    /** Every known dealer, in registration order (first registered wins a FIFO dispatch). */
    final Map<String, DealerEntry> dealers = new LinkedHashMap<>();
    /**
     * Public method name -> dealers offering it (any state), in registration order; updated for the one dealer that
     * registers or leaves, so that a registration costs what it announces, not what the whole table holds.
     */
    private final Map<String, List<DealerEntry>> offers = new HashMap<>();
    /** Bounds on what registrations may announce: one hostile dealer cannot bloat the table for everyone. */
    static final int MAX_METHODS_PER_REGISTRATION = 1_000;
    static final int MAX_METHODS = 10_000;
    /** Dealers listed at most (and connections remembered as refused): a flood of registrations cannot grow it. */
    static final int MAX_DEALERS = 10_000;
    private long nextOrder;
    /** Calls waiting for a dealer, per method, oldest first. */
    final Map<String, ArrayDeque<Call>> queues = new LinkedHashMap<>();
    /**
     * The queued calls by client and request id, so that a cancel finds its call without scanning every queue (a
     * client sending cancels of unknown ids would otherwise cost the router all its queued calls each). A request id
     * a client reuses while its first call waits maps to the later call.
     */
    private final Map<DealerEntry.CallKey, Call> queuedByKey = new HashMap<>();
    /** The calls dealers run, by client and request id: cancels and stream credits find theirs at once, too. */
    private final Map<DealerEntry.CallKey, Call> runningByKey = new HashMap<>();
    /** Every call with a deadline, queued or running, earliest first: the deadline timer. */
    private final TreeSet<Call> deadlines = new TreeSet<>(Call::byDeadline);
    /** With auth on: authenticated client identity -> the connection that authenticated ({@link Peer#connection}). */
    private final Map<String, String> authenticatedClients = new HashMap<>();
    /** Mixed into public dealer ids, so that they cannot be guessed from identities. */
    private final long publicIdSecret = new SecureRandom().nextLong();
    private long registrations;
    /** Connections whose register was refused (auth on): their heartbeats are refused too. */
    private final Set<String> refusedDealers = new LinkedHashSet<>();
    /** Per-method figures and recent errors, for monitoring ({@code router_info} and the dashboard). */
    final CallStatistics callStats = new CallStatistics();

    /** When dealer liveness and queue waits need a look next; only ever moved earlier between two looks. */
    private long housekeepingNanos;
    private long nextSeq;
    long totalRequests;
    long totalResponses;

    RouterCore(ServiceRouter.Settings settings, String address, Outbox outbox, long now, LongSupplier wallMillis) {
        this.settings = settings;
        this.strategy = DispatchStrategy.of(settings.mode());
        this.address = address;
        this.outbox = outbox;
        this.startedNanos = now;
        this.wallMillis = wallMillis;
        this.graceEndNanos = now + settings.startupGrace().toNanos();
        this.housekeepingNanos = now + settings.heartbeatTimeout().toNanos();
        this.codec = settings.codec();
        this.messages = new Messages(codec);
        this.dealerKeys = settings.dealerKeys();
        this.clientKeys = settings.clientKeys();
        this.report = new RouterReport(this, codec);
        ObjectNode info = codec.object().put(IMPLEMENTATION_KEY, IMPLEMENTATION);
        routerCapabilities(settings.requireAuth()).forEach(info.putArray(CAPABILITIES_KEY)::add);
        this.registerAckInfo = codec.write(info);
    }

    List<DealerEntry> offering(String method) {
        return offers.getOrDefault(method, List.of());
    }

    /** Some dealer in the table registered the method, whatever its state now. */
    boolean isKnown(String method) {
        return offers.containsKey(method);
    }

    /** Some dealer offering the method is active or overloaded: a call for it waits for that dealer. */
    boolean isServed(String method) {
        for (DealerEntry dealer : offering(method)) {
            if (dealer.serving()) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- any message

    /** Any message from a registered dealer proves it alive (PROTOCOL.md section 6); returns that dealer. */
    @Nullable DealerEntry heardFrom(Peer peer, long now) {
        DealerEntry dealer = ownDealer(peer);
        if (dealer != null) {
            dealer.lastSeenNanos = now;
            dealer.confirmed = true;
            dealer.disconnected = false;
            if (peer.address() != null) {
                dealer.peerAddress = peer.address();
            }
            if (dealer.state == DealerState.INACTIVE) {
                log.info("VoidRail dealer {} is back", Frames.forLog(dealer.id));
                dealer.state = DealerState.ACTIVE;
                watch(dealer);
                drainAll(dealer, now);
            }
        }
        return dealer;
    }

    /**
     * The dealer registered under the peer's identity, if the message comes from the connection it registered on (any
     * connection without auth). With auth on, ZeroMQ's handover is off: another connection can hold a dealer's
     * identity only after the dealer's own connection ended, and it inherits nothing until it registers with a key.
     */
    private @Nullable DealerEntry ownDealer(Peer peer) {
        DealerEntry dealer = dealers.get(peer.id());
        return dealer == null || !settings.requireAuth() || dealer.connection.equals(peer.connection()) ? dealer : null;
    }

    /** A dealer message under a registered dealer's identity from another connection: refused, the dealer untouched. */
    private boolean fromOtherConnection(Peer peer, MessageType type) {
        if (!dealers.containsKey(peer.id()) || ownDealer(peer) != null) {
            return false;
        }
        log.warn("VoidRail router refused {} under dealer {}'s identity from another connection ({})", type.token(),
                Frames.forLog(peer.id()), Frames.forLog(String.valueOf(peer.address())));
        sendError(peer.identity(), null, OTHER_CONNECTION, ErrorCode.UNAUTHENTICATED);
        return true;
    }

    /** With auth on: this connection authenticated as a client. */
    private boolean isClient(Peer peer) {
        return peer.connection().equals(authenticatedClients.get(peer.id()));
    }

    /** The peer for a log line: its escaped identity, and its CURVE key's fingerprint and role when it has one. */
    private static String describe(Peer peer) {
        return Frames.forLog(peer.id()) + (peer.key() == null ? ""
                : " (CURVE key " + CurveKeys.fingerprint(peer.key()) + ", " + peer.role().name().toLowerCase() + " role)");
    }

    void unknownType(Peer peer, String token) {
        sendError(peer.identity(), null, UNKNOWN_MESSAGE_TYPE + token, null);
    }

    /**
     * The TCP connection from {@code ip:port} closed (a hint from the socket monitor). If it was a dealer's, the
     * dealer must speak again within a short grace, else it is lost at once instead of after its heartbeat timeout.
     */
    void connectionClosed(long now, String peerAddress) {
        for (DealerEntry dealer : dealers.values()) {
            if (peerAddress.equals(dealer.peerAddress) && !dealer.disconnected) {
                dealer.disconnected = true;
                dealer.disconnectedNanos = now;
                log.info("VoidRail dealer {}: connection from {} closed; lost unless it speaks within {} ms", Frames.forLog(dealer.id),
                        peerAddress, (silenceLimit(dealer) - now) / 1_000_000);
                watch(dealer);
            }
        }
        if (!authenticatedClients.isEmpty() || !refusedDealers.isEmpty()) {
            // a client that connects again authenticates again; both tables stay as small as the open connections
            String prefix = peerAddress + " ";
            authenticatedClients.values().removeIf(connection -> connection.startsWith(prefix));
            refusedDealers.removeIf(connection -> connection.startsWith(prefix));
        }
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
            if (peer.curveForbids(CurveRole.CLIENT)) {
                log.warn("VoidRail router refused the auth of {}: dealer keys cannot call", describe(peer));
                sendError(peer.identity(), null, AUTHENTICATION_FAILED, ErrorCode.UNAUTHENTICATED);
                return;
            }
            if (!clientKeys.isValid(key.asString())) {
                log.warn("VoidRail router refused client {}: wrong API key {}", Frames.forLog(peer.id()), ApiKeyManager.redact(key.asString()));
                sendError(peer.identity(), null, AUTHENTICATION_FAILED, ErrorCode.UNAUTHENTICATED);
                return;
            }
            authenticatedClients.put(peer.id(), peer.connection());
        }
        ObjectNode result = codec.object().put("status", "authenticated");
        outbox.send(peer.identity(), MessageType.AUTH_ACK, codec.write(messages.ack(result)));
    }

    private boolean authorised(Peer peer, @Nullable String requestId) {
        if (!settings.requireAuth() || ownDealer(peer) != null || isClient(peer)) {
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
            case QUEUE_STATUS -> report.queueTable(now);
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
     * @param header  what the router reads of the JSON request; {@code null} when missing or not JSON
     * @param frames  the client's frames after the type (routing key, JSON), forwarded unchanged
     */
    void onCall(long now, Peer peer, @Nullable String method, @Nullable Header header, List<byte[]> frames) {
        JsonNode request = header != null ? header.fields() : null;
        String requestId = request != null && request.isObject() ? Reply.text(request, REQUEST_ID)
                : frames.size() > 1 ? codec.topLevelText(frames.get(frames.size() - 1), REQUEST_ID) : null; // too deep or long
        if (settings.requireAuth() && ownDealer(peer) != null || peer.curveForbids(CurveRole.CLIENT)) {
            log.warn("VoidRail router refused a call from {}: dealer keys cannot call", describe(peer));
            sendError(peer.identity(), requestId, DEALERS_CANNOT_CALL, ErrorCode.UNAUTHENTICATED);
            return;
        }
        if (!authorised(peer, requestId)) {
            return;
        }
        if (method == null || request == null || !request.isObject() || !Reply.hasTextOrNoId(request)) {
            log.warn("VoidRail router refused a malformed call from {}", Frames.forLog(peer.id()));
            replyError(peer.identity(), requestId, request != null && request.isObject()
                    ? "Invalid call format: request_id must be a string"
                    : "Invalid call format: expected a method name frame and a JSON request", ErrorCode.BAD_REQUEST);
            return;
        }
        long size = frames.get(frames.size() - 1).length;
        if (settings.maxMessageSize() > 0 && size > settings.maxMessageSize()) {
            log.warn("VoidRail router refused a {}-byte call to {} from {}", size, Frames.forLog(method), Frames.forLog(peer.id()));
            replyError(peer.identity(), requestId, "Request of " + size + " bytes exceeds the router's limit of "
                    + settings.maxMessageSize() + " bytes", ErrorCode.BAD_REQUEST);
            return;
        }
        Deadlines.Parsed deadline = Deadlines.parse(request, now, wallMillis.getAsLong());
        if (deadline.error() != null) {
            replyError(peer.identity(), requestId, deadline.error(), ErrorCode.BAD_REQUEST);
            return;
        }
        totalRequests++;
        Call call = new Call(peer.identity(), peer.id(), method, requestId, List.copyOf(frames), deadline.deadlineNanos(),
                now, nextSeq++, header);
        call.progress = request.path(PROGRESS).isBoolean() && request.path(PROGRESS).asBoolean();
        callStats.accepted(method, now);
        if (call.expired(now)) {
            failCall(call, "Deadline exceeded for " + method + ": no time left when it reached the router",
                    ErrorCode.DEADLINE_EXCEEDED, now);
            return;
        }
        if (call.hasDeadline()) {
            deadlines.add(call);
        }
        admit(call, now);
    }

    /**
     * A new call: to a dealer at once when the strategy finds one with room; NOT_FOUND at once when no dealer has
     * registered the method (after the start-up grace); OVERLOADED at once in LOAD_BALANCE when its dealers are
     * full; else into its method's queue.
     */
    private void admit(Call call, long now) {
        String method = call.method;
        boolean known = isKnown(method);
        if (!known && now - graceEndNanos >= 0) {
            failCall(call, strategy.notFoundText(method), ErrorCode.NOT_FOUND, now);
            return;
        }
        // a FIFO router lists a method's queue once it has been called, as the Python one does
        ArrayDeque<Call> queue = strategy.waitsForCapacity()
                ? queues.computeIfAbsent(method, m -> new ArrayDeque<>()) : queues.get(method);
        if (queue == null || queue.isEmpty()) {
            DealerEntry target = strategy.pick(offering(method));
            if (target != null) {
                dispatch(target, call, now);
                return;
            }
        }
        boolean served = isServed(method);
        if (served && !strategy.waitsForCapacity()) {
            failCall(call, noAvailableService(method), ErrorCode.OVERLOADED, now);
            return;
        }
        if (queue == null) {
            queue = queues.computeIfAbsent(method, m -> new ArrayDeque<>());
        }
        if (queue.size() >= settings.maxQueueLength()) {
            failCall(call, "Queue for " + method + " is full (" + settings.maxQueueLength() + " calls waiting)",
                    ErrorCode.QUEUE_FULL, now);
            return;
        }
        queue.addLast(call);
        enqueued(call);
        progress(call, PROGRESS_QUEUED, now);
        if (!served) {
            wakeBy(waitLimit(call, known));
        }
    }

    /** When a call for a method without an active dealer stops waiting. */
    private long waitLimit(Call call, boolean known) {
        long limit = call.arrivedNanos + settings.maxQueueWait().toNanos();
        return known || limit - graceEndNanos < 0 ? limit : graceEndNanos;
    }

    void onCancel(long now, Peer peer, @Nullable JsonNode payload, byte[] payloadFrame) {
        String requestId = payload == null ? null : Reply.text(payload, REQUEST_ID);
        if (requestId == null || settings.requireAuth() && !isClient(peer)) {
            return;
        }
        DealerEntry.CallKey key = new DealerEntry.CallKey(peer.id(), requestId);
        Call queued = queuedByKey.get(key);
        if (queued != null) {
            removeQueued(queued);
            failCall(queued, "Call cancelled", ErrorCode.CANCELLED, now);
            return;
        }
        Call running = running(key);
        if (running != null && !running.abandoned) {
            abandon(running, "Call cancelled", ErrorCode.CANCELLED, payloadFrame, now);
        }
    }

    /** A client grants a stream more items: relayed to the dealer running the call, if it takes credits. */
    void onStreamCredit(Peer peer, @Nullable JsonNode payload, byte[] payloadFrame) {
        String requestId = payload == null ? null : Reply.text(payload, REQUEST_ID);
        Call running = requestId == null || settings.requireAuth() && !isClient(peer) ? null : running(new DealerEntry.CallKey(peer.id(), requestId));
        DealerEntry dealer = running == null ? null : running.dealer;
        if (dealer != null && dealer.canCredit && !running.abandoned) {
            outbox.send(dealer.identity, MessageType.STREAM_CREDIT_FROM_ROUTER, running.clientId, payloadFrame);
        }
    }

    private @Nullable Call running(DealerEntry.CallKey key) {
        return runningByKey.get(key);
    }

    /**
     * The client hears its answer now; the dealer is told to stop (if it understands {@code cancel}) and the slot
     * stays taken until its terminal reply, so a worker never runs two calls where it has room for one.
     */
    private void abandon(Call call, String text, ErrorCode code, byte[] cancelPayload, long now) {
        failCall(call, text, code, now);
        call.abandoned = true;
        DealerEntry dealer = call.dealer;
        if (dealer != null && dealer.canCancel) {
            outbox.send(dealer.identity, MessageType.CANCEL_FROM_ROUTER, call.clientId, cancelPayload);
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
            log.warn("VoidRail router refused dealer {}: wrong API key {}", Frames.forLog(peer.id()),
                    ApiKeyManager.redact(Reply.text(payload, API_KEY)));
            refusedDealers.add(peer.connection()); // not its identity: a later connection may use it
            if (refusedDealers.size() > MAX_DEALERS) {
                // the oldest goes: at worst a refused dealer's heartbeat then gets reregister_required, and it is
                // refused again when it registers
                refusedDealers.remove(refusedDealers.iterator().next());
            }
            // only the dealer's own connection can take it out of the table
            DealerEntry known = ownDealer(peer) != null ? dealers.remove(peer.id()) : null;
            if (known != null) {
                unindex(known); // first, so that its calls are not dispatched back to it
                loseInFlight(known, now);
                wakeBy(now); // its methods may have no dealer left
            }
            sendError(peer.identity(), null, REGISTRATION_FAILED, ErrorCode.UNAUTHENTICATED);
            return;
        }
        if (settings.requireAuth() && isClient(peer) || peer.curveForbids(CurveRole.DEALER)) {
            log.warn("VoidRail router refused a register from {}: client keys cannot register", describe(peer));
            sendError(peer.identity(), null, CLIENTS_CANNOT_REGISTER, ErrorCode.UNAUTHENTICATED);
            return;
        }
        if (dealers.size() >= MAX_DEALERS && !dealers.containsKey(peer.id())) {
            log.warn("VoidRail router refused dealer {}: it lists {} dealers, its limit", Frames.forLog(peer.id()), MAX_DEALERS);
            sendError(peer.identity(), null, "Registration failed: the router already lists its limit of " + MAX_DEALERS
                    + " dealers", ErrorCode.OVERLOADED);
            return;
        }
        if (methodsNode.size() > MAX_METHODS_PER_REGISTRATION) {
            log.warn("VoidRail router refused dealer {}: {} methods", Frames.forLog(peer.id()), methodsNode.size());
            sendError(peer.identity(), null, INVALID_REGISTER_FORMAT + ": methods holds " + methodsNode.size()
                    + " entries, more than the router's limit of " + MAX_METHODS_PER_REGISTRATION, ErrorCode.BAD_REQUEST);
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
        long added = methods.keySet().stream().filter(method -> !offers.containsKey(method)).count();
        if (offers.size() + added > MAX_METHODS) {
            log.warn("VoidRail router refused dealer {}: {} new methods with {} known", Frames.forLog(peer.id()), added,
                    offers.size());
            sendError(peer.identity(), null, INVALID_REGISTER_FORMAT + ": " + added + " new methods would exceed the "
                    + "router's limit of " + MAX_METHODS + " distinct methods (" + offers.size() + " known)",
                    ErrorCode.BAD_REQUEST);
            return;
        }
        Set<String> capabilities = new HashSet<>();
        JsonNode announced = payload.get(CAPABILITIES_KEY);
        if (announced != null && announced.isArray()) {
            announced.forEach(capability -> capabilities.add(capability.asString("")));
        }
        int maxConcurrent;
        int slots;
        try {
            maxConcurrent = Fields.intIn(payload, "max_concurrent", 1, Integer.MAX_VALUE, 100);
            slots = Fields.intIn(payload, "slots", 1, Integer.MAX_VALUE, 1);
        }
        catch (Fields.BadField ex) {
            sendError(peer.identity(), null, INVALID_REGISTER_FORMAT + ": " + ex.getMessage(), ErrorCode.BAD_REQUEST);
            return;
        }
        DealerEntry entry = new DealerEntry(peer.id(), peer.identity(), group, methods, maxConcurrent, slots, idempotent,
                capabilities, now);
        entry.peerAddress = peer.address();
        entry.connection = peer.connection();
        entry.publicId = settings.requireAuth() ? publicId(group, peer.id()) : peer.id();
        entry.describe(payload);
        DealerEntry previous = dealers.put(peer.id(), entry); // a known identity keeps its place in the order
        refusedDealers.remove(peer.connection());
        entry.order = previous != null ? previous.order : nextOrder++;
        if (previous != null) {
            unindex(previous);
        }
        index(entry);
        if (previous != null) {
            loseInFlight(previous, now); // re-registration resets the in-flight state (PROTOCOL.md section 3)
        }
        log.info("VoidRail dealer {} registered {} method(s) of group {} (slots {}, max_concurrent {}{})",
                Frames.forLog(peer.id()), methods.size(), Frames.forLog(group), slots, maxConcurrent,
                peer.key() == null ? "" : ", CURVE key " + CurveKeys.fingerprint(peer.key()));
        // a Python dealer gets the recorded empty frame; a Java one learns that its heartbeats need no key
        outbox.send(peer.identity(), MessageType.REGISTER_ACK, announced != null && announced.isArray() ? registerAckInfo : Frames.EMPTY);
        watch(entry);
        drainAll(entry, now);
    }

    /** Stable for one registration, different for the next; reveals nothing of the identity. */
    private String publicId(String group, String id) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((publicIdSecret + " " + registrations++ + " " + id).getBytes(StandardCharsets.UTF_8));
            return group + "-" + HexFormat.of().formatHex(sha.digest(), 0, 4);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every JVM", ex);
        }
    }

    void onHeartbeat(long now, Peer peer) {
        // from another connection: a dealer that reconnected registers again, with its key
        DealerEntry dealer = ownDealer(peer);
        if (dealer != null) {
            if (dealer.heartbeats++ > 0) {
                // the longest recent gap, slowly forgotten; the first heartbeat follows the register at once
                long gap = now - dealer.lastHeartbeatNanos;
                dealer.heartbeatGapNanos = Math.max(gap, dealer.heartbeatGapNanos - dealer.heartbeatGapNanos / 8);
            }
            dealer.lastHeartbeatNanos = now;
            outbox.send(peer.identity(), MessageType.HEARTBEAT_ACK, Frames.EMPTY);
        }
        else if (refusedDealers.contains(peer.connection())) {
            sendError(peer.identity(), null, HEARTBEAT_AUTH_FAILED, ErrorCode.UNAUTHENTICATED);
        }
        else {
            outbox.send(peer.identity(), MessageType.REREGISTER_REQUIRED, Frames.EMPTY);
        }
    }

    /** {@code overload} / {@code resume} from older dealers; from anyone else an unknown message. */
    void onLoadSignal(long now, Peer peer, MessageType type) {
        if (fromOtherConnection(peer, type)) {
            return;
        }
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

    void onDealerShutdown(long now, Peer peer) {
        if (fromOtherConnection(peer, MessageType.SHUTDOWN)) {
            return;
        }
        DealerEntry dealer = dealers.get(peer.id());
        if (dealer != null) {
            // calls in flight stay tracked: the dealer finishes them before it leaves
            dealer.state = DealerState.SHUTDOWN;
            log.info("VoidRail dealer {} is shutting down", Frames.forLog(dealer.id));
            watch(dealer);
            wakeBy(now); // its methods may have no dealer left
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
        if (fromOtherConnection(peer, MessageType.REPLY_FROM_DEALER)) {
            return;
        }
        DealerEntry dealer = dealers.get(peer.id());
        if (dealer == null) {
            unknownType(peer, MessageType.REPLY_FROM_DEALER.token());
            return;
        }
        if (frames.size() < 4) {
            log.warn("VoidRail router dropped a reply_from_dealer with {} frames from {}", frames.size(), Frames.forLog(dealer.id));
            return;
        }
        byte[] clientId = frames.get(2);
        String clientKey = Frames.strictUtf8(clientId);
        byte[] bytes = frames.get(frames.size() - 1);
        Reply reply = json == null ? null : Reply.parse(json);
        if (clientKey == null || reply == null) {
            log.warn("VoidRail router dropped a malformed reply from dealer {}: {}", Frames.forLog(dealer.id), Frames.forLog(bytes));
            return;
        }
        Call call = reply.requestId() != null
                ? dealer.inFlight.get(new DealerEntry.CallKey(clientKey, reply.requestId()))
                : dealer.onlyCallOf(clientId);
        if (call != null && reply.requestId() == null && call.requestId != null && reply.kind() != Reply.Kind.ERROR) {
            // Python dealers leave the id out of errors only: an id-less result for a call that has one is forged
            log.warn("VoidRail router dropped an id-less {} from dealer {} for a call with an id", reply.kind(),
                    Frames.forLog(dealer.id));
            return;
        }
        if (call == null) {
            log.debug("VoidRail router dropped a late reply from dealer {} for a call it no longer holds", Frames.forLog(dealer.id));
            return;
        }
        boolean unnamed = reply.requestId() == null && call.requestId != null;
        boolean uncoded = reply.kind() == Reply.Kind.ERROR && !json.has(CODE) && !dealer.correlates;
        if (unnamed || uncoded) {
            // a Python dealer's error (no id, no code, PROTOCOL.md section 4): the router names the call, and the code
            // its text means, so that Java clients need not guess
            // the whole reply this time: the loop read it without its result
            JsonNode whole = codec.readOrNull(bytes);
            ObjectNode named = (ObjectNode) (whole != null && whole.isObject() ? whole : json);
            if (unnamed) {
                named.put(REQUEST_ID, call.requestId);
            }
            ErrorCode code = uncoded ? PythonErrors.codeOf(String.valueOf(reply.errorText())) : ErrorCode.UNKNOWN;
            if (code != ErrorCode.UNKNOWN) {
                named.put(CODE, code.name());
            }
            reply = Reply.parse(named);
            bytes = codec.write(named);
        }
        if (!call.abandoned) {
            outbox.send(clientId, MessageType.REPLY_FROM_ROUTER, bytes);
        }
        if (reply.kind().isTerminal()) {
            if (!call.abandoned) {
                callStats.answered(call, reply, now);
            }
            leftDealer(dealer, call);
            call.dealer = null;
            deadlines.remove(call);
            dealer.replyCount++;
            totalResponses++;
            if (!dealer.busy()) {
                watch(dealer); // an idle dealer's allowance may be shorter than a busy one's
            }
            drainAll(dealer, now);
        }
    }

    // ---------------------------------------------------------------- dispatch

    /** Lists the dealer under each of its methods, at its place in the registration order (usually the end). */
    private void index(DealerEntry dealer) {
        for (String method : dealer.methods.keySet()) {
            List<DealerEntry> list = offers.computeIfAbsent(method, m -> new ArrayList<>(2));
            int at = list.size();
            while (at > 0 && list.get(at - 1).order > dealer.order) {
                at--;
            }
            list.add(at, dealer);
        }
    }

    private void unindex(DealerEntry dealer) {
        for (String method : dealer.methods.keySet()) {
            List<DealerEntry> list = offers.get(method);
            if (list != null && list.remove(dealer) && list.isEmpty()) {
                offers.remove(method);
            }
        }
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
        ArrayDeque<Call> queue = queues.get(method);
        if (queue == null || queue.isEmpty()) {
            return;
        }
        List<DealerEntry> candidates = offering(method);
        while (!queue.isEmpty()) {
            DealerEntry target = strategy.pick(candidates);
            if (target == null) {
                break;
            }
            Call call = queue.pollFirst();
            unqueued(call);
            if (call.expired(now)) {
                expiredInQueue(call, now, 0); // its timer is due in this very turn of the loop
                continue;
            }
            dispatch(target, call, now);
        }
        if (!strategy.waitsForCapacity()) {
            // LOAD_BALANCE queues only while no dealer of the method is active; now that one is, what it has no room
            // for is refused, as any call would be
            if (isServed(method)) {
                for (Call call : queue) {
                    unqueued(call);
                    failCall(call, noAvailableService(method), ErrorCode.OVERLOADED, now);
                }
                queue.clear();
            }
            if (queue.isEmpty()) {
                queues.remove(method);
            }
        }
    }

    private void dispatch(DealerEntry dealer, Call call, long now) {
        call.dealer = dealer;
        call.dispatchedNanos = now;
        startsOn(dealer, call);
        dealer.requestCount++;
        List<byte[]> frames = call.frames;
        if (dealer.takesTimeout && call.hasDeadline()) {
            frames = new ArrayList<>(frames);
            int last = frames.size() - 1;
            long leftMs = Math.max(0, (call.deadlineNanos - now) / 1_000_000L);
            frames.set(last, TimeLeft.set(frames.get(last), call.timeoutField, call.timeoutFrom, call.timeoutTo, leftMs, codec));
        }
        outbox.dispatch(dealer, call, frames);
        progress(call, PROGRESS_DISPATCHED, now);
    }

    /** The socket could not deliver a dispatch (the dealer's connection is gone, or its pipe is full). */
    void undeliverable(long now, DealerEntry dealer, Call call) {
        if (!leftDealer(dealer, call)) {
            return;
        }
        call.dealer = null;
        dealer.requestCount--;
        log.warn("VoidRail router could not reach dealer {}; marking it inactive", Frames.forLog(dealer.id));
        if (dealer.state != DealerState.SHUTDOWN) {
            dealer.state = DealerState.INACTIVE;
        }
        watch(dealer);
        wakeBy(now); // its methods may have no dealer left
        if (call.abandoned) {
            return;
        }
        requeue(call, now); // it never reached the dealer: safe to place again, idempotent or not
    }

    /** Back at the head of its queue, then to whichever dealer has room. */
    private void requeue(Call call, long now) {
        queues.computeIfAbsent(call.method, m -> new ArrayDeque<>()).addFirst(call);
        enqueued(call);
        call.waitingSinceNanos = now;
        drain(call.method, now);
        if (call.dealer == null) {
            progress(call, PROGRESS_QUEUED, now);
        }
        if (call.dealer == null && !isServed(call.method)) {
            wakeBy(waitLimit(call, isKnown(call.method)));
        }
    }

    /** The dealer is gone or replaced: its calls are re-queued at the head (idempotent methods) or fail. */
    private void loseInFlight(DealerEntry dealer, long now) {
        for (Call call : takeInFlight(dealer)) {
            if (call.abandoned) {
                deadlines.remove(call);
            }
            else if (dealer.idempotentMethods.contains(call.method)) {
                requeue(call, now);
            }
            else {
                failCall(call, "Dealer " + dealer.publicId + " was lost while running " + call.method + " (for "
                        + (now - call.dispatchedNanos) / 1_000_000L + " ms)", ErrorCode.DEALER_LOST, now);
            }
        }
    }

    // ---------------------------------------------------------------- timers

    /** The {@code System.nanoTime()} at which {@link #onTimer} has something to do. */
    long nextTimer() {
        long next = housekeepingNanos;
        if (!deadlines.isEmpty() && deadlines.first().deadlineNanos - next < 0) {
            next = deadlines.first().deadlineNanos;
        }
        return next;
    }

    void onTimer(long now) {
        while (!deadlines.isEmpty() && deadlines.first().expired(now)) {
            expire(deadlines.pollFirst(), now);
        }
        if (now - housekeepingNanos >= 0) {
            housekeeping(now);
        }
    }

    /** A call's deadline passed: the router answers DEADLINE_EXCEEDED itself, saying where the call was. */
    private void expire(Call call, long now) {
        DealerEntry dealer = call.dealer;
        if (dealer == null) {
            expiredInQueue(call, now, removeQueued(call));
            return;
        }
        byte[] cancel = call.requestId == null ? Frames.EMPTY : codec.write(codec.object().put(REQUEST_ID, call.requestId));
        abandon(call, "Deadline exceeded for " + call.method + ": running on dealer " + dealer.publicId + " for "
                + (now - call.dispatchedNanos) / 1_000_000L + " ms", ErrorCode.DEADLINE_EXCEEDED, cancel, now);
    }

    private void expiredInQueue(Call call, long now, int ahead) {
        failCall(call, "Deadline exceeded for " + call.method + ": queued for " + (now - call.arrivedNanos) / 1_000_000L
                + " ms behind " + ahead + (ahead == 1 ? " call" : " calls")
                + (isServed(call.method) ? "" : " (no active dealer offers it)"), ErrorCode.DEADLINE_EXCEEDED, now);
    }

    /** Takes a call out of its queue; returns how many calls were ahead of it. */
    private int removeQueued(Call call) {
        ArrayDeque<Call> queue = queues.get(call.method);
        int ahead = 0;
        if (queue != null) {
            for (Iterator<Call> it = queue.iterator(); it.hasNext(); ahead++) {
                if (it.next() == call) {
                    it.remove();
                    unqueued(call);
                    break;
                }
            }
        }
        return ahead;
    }

    private void startsOn(DealerEntry dealer, Call call) {
        dealer.inFlight.put(call.key(), call);
        runningByKey.put(call.key(), call);
    }

    /** A call no longer runs on its dealer; returns whether it did. */
    private boolean leftDealer(DealerEntry dealer, Call call) {
        runningByKey.remove(call.key(), call);
        return dealer.inFlight.remove(call.key(), call);
    }

    /** Every call of a dealer that is gone or replaced, no longer running there. */
    private List<Call> takeInFlight(DealerEntry dealer) {
        List<Call> calls = dealer.takeInFlight();
        calls.forEach(call -> runningByKey.remove(call.key(), call));
        return calls;
    }

    private void enqueued(Call call) {
        queuedByKey.put(call.key(), call);
    }

    /** A call left its queue: it is no longer found by its key (unless a later call of the same key took its place). */
    private void unqueued(Call call) {
        queuedByKey.remove(call.key(), call);
    }

    /** The calls a cancel can find in the queues; for tests, which check it against the queues themselves. */
    int indexedQueuedCalls() {
        return queuedByKey.size();
    }

    /** The calls a cancel can find at dealers; for tests, which check it against the dealers' tables. */
    int indexedRunningCalls() {
        return runningByKey.size();
    }

    /** Looks at every dealer's silence and at calls waiting for a method without an active dealer. */
    private void housekeeping(long now) {
        long next = now + settings.heartbeatTimeout().toNanos();
        for (Iterator<DealerEntry> it = dealers.values().iterator(); it.hasNext();) {
            DealerEntry dealer = it.next();
            if (now - silenceLimit(dealer) >= 0) {
                if (dealer.busy()) {
                    log.warn("VoidRail dealer {} silent for {} ms{} with {} call(s) in flight: lost", Frames.forLog(dealer.id),
                            (now - dealer.lastSeenNanos) / 1_000_000, dealer.disconnected ? " after its connection closed"
                                    : "", dealer.inFlight.size());
                    if (dealer.state != DealerState.SHUTDOWN) {
                        dealer.state = DealerState.INACTIVE;
                    }
                    loseInFlight(dealer, now);
                }
                else if (dealer.serving()) {
                    log.warn("VoidRail dealer {} silent for {} ms{}: inactive", Frames.forLog(dealer.id),
                            (now - dealer.lastSeenNanos) / 1_000_000, dealer.disconnected ? " after its connection closed" : "");
                    dealer.state = DealerState.INACTIVE;
                }
            }
            if (!dealer.serving() && !dealer.busy()
                    && (!dealer.confirmed || now - dealer.lastSeenNanos - settings.forgetAfter().toNanos() >= 0)) {
                it.remove();
                unindex(dealer);
                continue;
            }
            next = earlier(next, nextCheck(dealer));
        }
        for (Iterator<Map.Entry<String, ArrayDeque<Call>>> it = queues.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, ArrayDeque<Call>> entry = it.next();
            String method = entry.getKey();
            ArrayDeque<Call> queue = entry.getValue();
            boolean known = isKnown(method);
            if (!isServed(method)) {
                for (Iterator<Call> calls = queue.iterator(); calls.hasNext();) {
                    Call call = calls.next();
                    long limit = waitLimit(call, known);
                    if (now - limit >= 0) {
                        calls.remove();
                        unqueued(call);
                        failCall(call, known ? "No dealer offering " + method + " became active within "
                                + settings.maxQueueWait().toMillis() + " ms (" + offering(method).size()
                                + " inactive or stopping)" : strategy.notFoundText(method), ErrorCode.NOT_FOUND, now);
                    }
                    else {
                        next = earlier(next, limit);
                    }
                }
            }
            if (queue.isEmpty() && (!known || !strategy.waitsForCapacity())) {
                it.remove(); // keeps the table bounded however many names clients invent
            }
        }
        housekeepingNanos = next;
    }

    /**
     * When a dealer's silence ends its service: the heartbeat timeout, or the longer busy allowance while it runs
     * calls without having announced heartbeats while busy; shortened after its connection closed.
     */
    private long silenceLimit(DealerEntry dealer) {
        boolean silentWhileBusy = dealer.busy() && !dealer.busyHeartbeats;
        long limit = dealer.lastSeenNanos
                + (silentWhileBusy ? settings.busyHeartbeatTimeout() : settings.heartbeatTimeout()).toNanos();
        if (dealer.disconnected && !silentWhileBusy) {
            // a dealer silent while busy would not speak again before its method ends, connection or not
            long grace = Math.max(MIN_DISCONNECT_GRACE_NANOS, DISCONNECT_GRACE_BEATS * dealer.heartbeatGapNanos);
            limit = earlier(limit, dealer.disconnectedNanos + grace);
        }
        return limit;
    }

    /** When the dealer needs a look next: its silence limit while it serves or runs calls, else when it is forgotten. */
    private long nextCheck(DealerEntry dealer) {
        return dealer.serving() || dealer.busy() ? silenceLimit(dealer)
                : dealer.lastSeenNanos + (dealer.confirmed ? settings.forgetAfter().toNanos() : 0); // never confirmed: at once
    }

    private void watch(DealerEntry dealer) {
        wakeBy(nextCheck(dealer));
    }

    private void wakeBy(long at) {
        housekeepingNanos = earlier(housekeepingNanos, at);
    }

    private static long earlier(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    // ---------------------------------------------------------------- monitoring

    RouterStatus status(long now) {
        return report.status(now);
    }

    // ---------------------------------------------------------------- stop

    /** The router stops: dealers are told, every call still held gets UNAVAILABLE saying whether it ran. */
    void shutdown(long now) {
        for (DealerEntry dealer : dealers.values()) {
            if (dealer.state != DealerState.SHUTDOWN) {
                outbox.send(dealer.identity, MessageType.ROUTER_SHUTDOWN, Frames.EMPTY);
            }
            for (Call call : takeInFlight(dealer)) {
                if (!call.abandoned) {
                    failCall(call, "Router " + address + " stopped while " + call.method + " was running on dealer "
                            + dealer.publicId + "; its outcome is unknown", ErrorCode.UNAVAILABLE, now);
                }
            }
        }
        for (ArrayDeque<Call> queue : queues.values()) {
            for (Call call : queue) {
                failCall(call, "Router " + address + " stopped before " + call.method + " reached a dealer; it never ran",
                        ErrorCode.UNAVAILABLE, now);
            }
            queue.clear();
        }
        queuedByKey.clear();
        deadlines.clear();
    }

    // ---------------------------------------------------------------- sending

    /** Ends a call with a router error (its one terminal message). */
    private void failCall(Call call, String text, ErrorCode code, long now) {
        deadlines.remove(call);
        callStats.failed(call, text, code, now);
        replyError(call.clientId, call.requestId, text, code);
    }

    /** {@code call_progress} to a client that asked for it (PROTOCOL.md section 9); never a terminal message. */
    private void progress(Call call, String state, long now) {
        if (!call.progress || call.requestId == null) {
            return;
        }
        ObjectNode payload = codec.object().put(REQUEST_ID, call.requestId).put(STATE, state);
        if (state.equals(PROGRESS_DISPATCHED)) {
            payload.put(QUEUED_MS, (now - call.waitingSinceNanos) / 1e6);
        }
        outbox.send(call.clientId, MessageType.CALL_PROGRESS, codec.write(payload));
    }

    /** A call-level error travels like a dealer reply, so every client reads it as the call's answer. */
    private void replyError(byte[] clientId, @Nullable String requestId, String text, ErrorCode code) {
        outbox.send(clientId, MessageType.REPLY_FROM_ROUTER, codec.write(messages.callError(requestId, text, code)));
    }

    private void sendError(byte[] identity, @Nullable String requestId, String text, @Nullable ErrorCode code) {
        outbox.send(identity, MessageType.ERROR, codec.write(messages.routerError(requestId, text, code)));
    }
}
