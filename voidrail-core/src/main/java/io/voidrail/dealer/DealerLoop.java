package io.voidrail.dealer;

import static io.voidrail.internal.protocol.Protocol.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

import io.voidrail.codec.JsonCodec;
import io.voidrail.internal.LogThrottle;
import io.voidrail.internal.Mailbox;
import io.voidrail.internal.PollLoop;
import io.voidrail.internal.Sockets;
import io.voidrail.ErrorCode;
import io.voidrail.internal.SocketHome;
import io.voidrail.internal.protocol.Frames;
import io.voidrail.internal.protocol.MessageType;
import io.voidrail.internal.protocol.Messages;
import io.voidrail.internal.protocol.Reply;
import io.voidrail.service.MethodHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The dealer's I/O thread for one router: owns the DEALER socket, registers, heartbeats, reconnects, receives calls
 * and sends what the workers produce. A dealer of several routers has one loop per router; they share the worker
 * pool ({@link DealerWorkers}).
 *
 * <p>A quick unary call that finds the dealer idle runs on the loop's own thread ({@link QuickMethods}), while calls
 * come one at a time ({@link OneAtATime}): handing it to a worker and its reply back costs two thread wake-ups, the
 * largest cost of a one-slot dealer. A tiny one (an echo, a lookup) runs there even while others are in flight. If
 * such a call lasts longer than {@link InlineWatchdog#LIMIT_NANOS}, the loop moves to a new thread
 * ({@link LoopBaton}), which goes on heartbeating and taking cancels while the call ends on the old one; so no method
 * holds up the socket for longer than that.
 */
final class DealerLoop implements Runnable, PollLoop.Handler<Consumer<DealerLoop>> {

    private static final Logger log = LoggerFactory.getLogger(ServiceDealer.class);
    private static final long RETRY_NANOS = 10_000_000L;

    private final DealerSettings settings;
    private final String routerAddress;
    private final String identity;
    private final String group;
    private final Map<String, MethodHandler> methods;
    private final JsonCodec codec;
    private final Messages messages;
    private final Mailbox<Consumer<DealerLoop>> mailbox = new Mailbox<>();
    private final DealerWorkers workers;
    /** Terminal messages the socket refused (its queue was full), sent again in order: a slot is never lost. */
    private final ArrayDeque<List<byte[]>> unsentTerminals = new ArrayDeque<>();
    /** Calls running on the workers, by client identity + request id. */
    private final Map<String, CallExecution> running = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final byte[] registerPayload;
    /** Told (previous, current) on every state change, on this thread. */
    private final BiConsumer<RegistrationState, RegistrationState> stateChanges;
    /** Quick calls may run on the loop's thread (one router, and the dealer allows it). */
    private final boolean inlineCalls;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final OneAtATime oneAtATime = new OneAtATime();
    private final QuickMethods quick;
    /**
     * Calls received whose terminal message has not been written yet (counted here, not when a worker ends: a FIFO
     * router sends the next call as soon as it has the reply, maybe before the worker has counted itself out).
     */
    private int unanswered;
    private @Nullable LoopBaton baton;

    private volatile RegistrationState state = RegistrationState.REGISTERING;
    private volatile boolean stopRequested;
    private @Nullable SocketHome home;
    private ZMQ.@Nullable Socket socket;
    private long lastRouterNanos;
    /** A router address that does not resolve is tried again at every reconnect: one warning a minute. */
    private final LogThrottle unresolvedLog = new LogThrottle(TimeUnit.MINUTES.toNanos(1));
    private long nextHeartbeatNanos;
    private long heartbeatCount;
    private long graceDeadlineNanos;
    /**
     * The router of this connection announced {@code connection_auth} in its {@code register_ack}: the key the
     * register carried holds for the connection, heartbeats go without it. Until then (a Python router, which may
     * check it) every heartbeat carries it.
     */
    private boolean keyBoundToConnection;
    /**
     * The router announced {@code no_handover}: its end of a connection the network dropped may stay open and keep
     * the identity, and ZeroMQ would never read a new connection under it. Each later connection takes a new one.
     */
    private boolean identityPerConnection;
    private int connections;
    /** The router asked for, or its silence calls for, a fresh connection. */
    private boolean reconnect;
    private boolean done;

    DealerLoop(DealerSettings settings, String routerAddress, String identity, String group,
            Map<String, MethodHandler> methods, DealerWorkers workers, BiConsumer<RegistrationState, RegistrationState> stateChanges) {
        this.settings = settings;
        this.routerAddress = routerAddress;
        this.stateChanges = stateChanges;
        this.identity = identity;
        this.group = group;
        this.methods = methods;
        this.codec = settings.codec();
        this.messages = new Messages(codec);
        this.workers = workers;
        this.quick = workers.quickMethods();
        this.registerPayload = codec.write(registerJson());
        this.inlineCalls = settings.inlineQuickCalls() && settings.routerAddresses().size() == 1;
        workers.attach(this);
    }

    String routerAddress() {
        return routerAddress;
    }

    String identity() {
        return identity;
    }

    RegistrationState state() {
        return state;
    }

    private void setState(RegistrationState next) {
        RegistrationState previous = state;
        if (previous != next) {
            state = next;
            stateChanges.accept(previous, next);
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    void requestStop() {
        stopRequested = true;
        mailbox.post(loop -> { });
    }

    /** Any thread: queue a message for the router. */
    void post(Consumer<DealerLoop> command) {
        mailbox.post(command);
    }

    /** Waits until the loop has stopped (on whichever thread served it last). */
    boolean awaitStopped(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        home = SocketHome.own();
        baton = new LoopBaton();
        InlineWatchdog.shared().watch(baton, () -> {
            Thread successor = new Thread(this::serve, baton.threadName());
            successor.setDaemon(true);
            return successor;
        });
        try {
            connect();
        }
        catch (RuntimeException ex) {
            log.error("VoidRail dealer {} could not connect", identity, ex);
            finish();
            return;
        }
        serve();
    }

    /** The loop, on its first thread or on a successor (which then owns the socket); ends the dealer when done. */
    private void serve() {
        try {
            while (!done) {
                reconnect = false;
                PollLoop.run(socket, mailbox, this);
                if (handedOver()) {
                    return; // this thread ran a long call; the loop went on without it
                }
                if (!done) {
                    home.destroy(socket);
                    connect(); // a new socket
                }
            }
        }
        catch (RuntimeException ex) {
            if (handedOver()) {
                log.error("VoidRail dealer {}: a thread that had handed over its loop failed", identity, ex);
                return;
            }
            log.error("VoidRail dealer {} loop failed", identity, ex);
        }
        finish();
    }

    @Override
    public void onInput() {
        receiveAll();
    }

    @Override
    public boolean handedOver() {
        return !baton.owned();
    }

    @Override
    public void onCommand(Consumer<DealerLoop> command) {
        command.accept(this);
    }

    @Override
    public long afterPoll(long now) {
        if (stopRequested && state != RegistrationState.STOPPING) {
            setState(RegistrationState.STOPPING);
            send(MessageType.SHUTDOWN, Frames.EMPTY);
            graceDeadlineNanos = now + settings.shutdownGracePeriod().toNanos();
        }
        if (state == RegistrationState.STOPPING) {
            boolean ended = inFlight.get() == 0;
            if (ended) {
                // a worker posts its call's answer, then stops counting: answers posted since this turn's look at
                // the mailbox are in it now, and leave before the dealer does
                mailbox.drain(this::onCommand);
                sendUnsentTerminals();
            }
            if ((ended && unsentTerminals.isEmpty()) || now - graceDeadlineNanos >= 0) {
                done = true;
                return PollLoop.LEAVE;
            }
        }
        if (now - nextHeartbeatNanos >= 0) {
            heartbeat(now);
        }
        sendUnsentTerminals();
        if (state != RegistrationState.STOPPING && now - lastRouterNanos > settings.routerSilenceTimeout().toNanos()) {
            log.warn("VoidRail dealer {}: router {} silent for {} ms, reconnecting", identity, routerAddress,
                    (now - lastRouterNanos) / 1_000_000);
            reconnect = true;
        }
        if (reconnect || home.replaceable(socket)) {
            reconnect = true; // its co-located router was replaced: the successor needs a new connection
            return PollLoop.LEAVE;
        }
        long next = state == RegistrationState.STOPPING ? Math.min(nextHeartbeatNanos, graceDeadlineNanos) : nextHeartbeatNanos;
        return unsentTerminals.isEmpty() ? next : Math.min(next, now + RETRY_NANOS);
    }

    private void connect() {
        String connectionIdentity = connectionIdentity(identity, ++connections, identityPerConnection);
        if (!connectionIdentity.equals(identity)) {
            log.info("VoidRail dealer {}: connecting as {} (the router may still hold the identity of the last connection)",
                    identity, connectionIdentity);
        }
        socket = home.connect(SocketType.DEALER, routerAddress, settings.curve() == null, created -> {
            created.setIdentity(connectionIdentity.getBytes(StandardCharsets.UTF_8));
            Sockets.tune(created, 100_000);
            Sockets.curveClient(created, settings.curve());
        });
        long now = System.nanoTime();
        lastRouterNanos = now;
        String unresolved = home.unresolved(socket);
        if (unresolved != null) {
            // the router's silence makes the loop connect a new socket, which resolves the name again
            unresolvedLog.warn(log, routerAddress, now, "VoidRail dealer {}: the router address {} does not resolve ({});"
                    + " trying again every {} ms", identity, routerAddress, unresolved, settings.routerSilenceTimeout().toMillis());
        }
        keyBoundToConnection = false;
        // not before the register_ack, which says whether the router needs the key in heartbeats
        nextHeartbeatNanos = now + settings.heartbeatInterval().toNanos();
        if (state != RegistrationState.STOPPING) {
            setState(RegistrationState.REGISTERING);
        }
        send(MessageType.REGISTER, registerPayload);
        if (workers.full()) {
            send(MessageType.OVERLOAD, Frames.EMPTY); // busy with another router's calls
        }
    }

    private void finish() {
        if (baton != null) {
            InlineWatchdog.shared().unwatch(baton);
        }
        running.values().forEach(CallExecution::cancel);
        setState(RegistrationState.STOPPED);
        if (home != null) {
            if (socket != null) {
                socket.setLinger(200); // let the last replies leave
            }
            home.close();
        }
        mailbox.close();
        log.info("VoidRail dealer {} stopped", identity);
        stopped.countDown();
    }

    // ---------------------------------------------------------------- receiving

    /** Reads until nothing waits, or until this thread has handed the loop over (then it touches nothing more). */
    private void receiveAll() {
        List<byte[]> frames;
        while (!handedOver() && (frames = Sockets.receive(socket)) != null) {
            lastRouterNanos = System.nanoTime();
            String token = Frames.strictUtf8(frames.get(0));
            MessageType type = token == null ? null : MessageType.fromToken(token);
            if (type == null) {
                log.warn("VoidRail dealer {} ignored an unknown message from the router", identity);
                continue;
            }
            switch (type) {
                case CALL_FROM_ROUTER -> onCall(frames);
                case CANCEL_FROM_ROUTER -> onCancel(frames);
                case STREAM_CREDIT_FROM_ROUTER -> onCredit(frames);
                case REGISTER_ACK -> {
                    keyBoundToConnection = announces(frames, CAP_CONNECTION_AUTH);
                    identityPerConnection = announces(frames, CAP_NO_HANDOVER);
                    if (state == RegistrationState.REGISTERING || state == RegistrationState.REFUSED) {
                        // at once, as the Python dealer: the router then knows this is a dealer, not a lone register
                        nextHeartbeatNanos = lastRouterNanos;
                        setState(RegistrationState.REGISTERED);
                        log.info("VoidRail dealer {} registered with {}", identity, routerAddress);
                    }
                }
                case REREGISTER_REQUIRED -> {
                    log.info("VoidRail dealer {}: router asks to register again", identity);
                    send(MessageType.REGISTER, registerPayload);
                }
                case ROUTER_SHUTDOWN -> {
                    log.info("VoidRail dealer {}: router is shutting down; will reconnect", identity);
                    // over inproc, only to its successor on the port (or, after the usual silence, over TCP)
                    reconnect |= state != RegistrationState.STOPPING && !home.isColocated(socket);
                }
                case ERROR -> onRouterError(frames);
                default -> {
                    // heartbeat_ack, shutdown_ack: proof of life, nothing more
                }
            }
        }
    }

    /** The message's JSON frame lists the capability (a Java router's {@code register_ack}; a Python one sends ""). */
    private boolean announces(List<byte[]> frames, String capability) {
        JsonNode info = frames.size() > 1 ? codec.readOrNull(frames.get(frames.size() - 1)) : null;
        JsonNode capabilities = info == null ? null : info.get(CAPABILITIES_KEY);
        if (capabilities != null && capabilities.isArray()) {
            for (JsonNode announced : capabilities) {
                if (capability.equals(announced.asString(""))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void onRouterError(List<byte[]> frames) {
        JsonNode error = codec.readOrNull(frames.get(frames.size() - 1));
        String text = error == null ? "?" : String.valueOf(Reply.text(error, ERROR));
        if (REGISTRATION_FAILED.equals(text) || HEARTBEAT_AUTH_FAILED.equals(text) || CLIENTS_CANNOT_REGISTER.equals(text)) {
            if (state != RegistrationState.REFUSED) {
                log.error("VoidRail dealer {}: the router refused its key: {}", identity, text);
            }
            setState(RegistrationState.REFUSED);
        }
        else {
            log.warn("VoidRail dealer {}: router error: {}", identity, Frames.forLog(text));
        }
    }

    private void onCall(List<byte[]> frames) {
        if (frames.size() < 3) {
            log.warn("VoidRail dealer {} dropped a call with {} frames", identity, frames.size());
            return;
        }
        byte[] clientId = frames.get(1);
        JsonNode request = frames.size() > 3 ? codec.readOrNull(frames.get(frames.size() - 1)) : null;
        String requestId = request != null ? Reply.text(request, REQUEST_ID)
                : frames.size() > 3 ? codec.topLevelText(frames.get(frames.size() - 1), REQUEST_ID) : null;
        if (request == null || !request.isObject()) {
            sendReply(clientId, messages.callError(requestId, "Invalid call format: the request is not a JSON object",
                    ErrorCode.BAD_REQUEST));
            return;
        }
        String funcName = Reply.text(request, FUNC_NAME);
        if (funcName == null) {
            funcName = Frames.strictUtf8(frames.get(2));
        }
        MethodHandler handler = funcName == null ? null : methods.get(funcName);
        if (handler == null) {
            sendReply(clientId, messages.callError(requestId, methodNotFound(funcName), ErrorCode.NOT_FOUND));
            return;
        }
        if (state == RegistrationState.STOPPING) {
            sendReply(clientId, messages.callError(requestId, "Dealer " + identity + " is shutting down",
                    ErrorCode.DEALER_LOST));
            return;
        }
        CallExecution call = new CallExecution(this, handler, clientId, requestId, request);
        if (call.deadlineError() != null) {
            sendReply(clientId, messages.callError(requestId, call.deadlineError(), ErrorCode.BAD_REQUEST));
            return;
        }
        if (call.expired()) {
            sendReply(clientId, messages.callError(requestId, "Deadline exceeded before " + funcName + " ran",
                    ErrorCode.DEADLINE_EXCEEDED));
            return;
        }
        running.put(call.key(), call);
        inFlight.incrementAndGet();
        boolean alone = unanswered++ == 0;
        oneAtATime.arrived(alone);
        if (inlineCalls && (quick.tiny(handler)
                || alone && oneAtATime.holds() && quick.runsInline(handler) && !PollLoop.hasInput(socket))) {
            runHere(call, handler);
        }
        else {
            workers.submit(call);
        }
    }

    /**
     * Runs the call on this thread: one with nothing else running or waiting, or a {@linkplain QuickMethods#tiny tiny}
     * one. Its reply leaves once the loop has read what arrived meanwhile (at most the router's calls in flight); if
     * the watchdog gave the loop to another thread meanwhile, that thread sends it.
     */
    private void runHere(CallExecution call, MethodHandler handler) {
        LoopBaton current = baton;
        long number = current.beginInline();
        InlineWatchdog.shared().callBegan();
        long start = System.nanoTime();
        workers.runHere(call);
        quick.ranInline(handler.name(), System.nanoTime() - start);
        if (!current.endInline(number)) {
            quick.outlasted(handler.name());
            log.debug("VoidRail dealer {}: a call of {} outlasted {} ms on the I/O thread, which then handed the loop "
                    + "to another thread; its next calls run on workers until they are quick again", identity,
                    handler.publicName(), InlineWatchdog.LIMIT_NANOS / 1_000_000);
        }
    }

    private void onCancel(List<byte[]> frames) {
        CallExecution call = runningCall(frames);
        if (call != null) {
            call.cancel();
        }
    }

    /** {@code ["stream_credit_from_router", CLIENT_ID, {"request_id": R, "credits": N}]}: N more items allowed. */
    private void onCredit(List<byte[]> frames) {
        CallExecution call = runningCall(frames);
        JsonNode credits = call == null ? null : codec.readOrNull(frames.get(frames.size() - 1)).get(CREDITS);
        if (credits != null && credits.isIntegralNumber() && credits.asLong() > 0) {
            call.grant(credits.asLong());
        }
    }

    /** The running call a {@code [type, CLIENT_ID, {"request_id": R, ...}]} message is about. */
    private @Nullable CallExecution runningCall(List<byte[]> frames) {
        if (frames.size() < 3) {
            return null;
        }
        JsonNode payload = codec.readOrNull(frames.get(frames.size() - 1));
        String requestId = payload == null ? null : Reply.text(payload, REQUEST_ID);
        return requestId == null ? null : running.get(CallExecution.key(frames.get(1), requestId));
    }

    // ---------------------------------------------------------------- called from workers

    JsonCodec codec() {
        return codec;
    }

    Messages messages() {
        return messages;
    }

    DealerSettings settings() {
        return settings;
    }

    /** Any thread: the call sent its terminal message. */
    void finished(CallExecution call) {
        running.remove(call.key(), call);
        workers.release(call);
        if (inFlight.decrementAndGet() == 0 && state == RegistrationState.STOPPING) {
            mailbox.post(loop -> { }); // wake the loop: the stopping dealer is done
        }
    }

    // ---------------------------------------------------------------- writing what workers produce (I/O thread)

    /** A stream item: a refused send ends the call with an explicit error instead of leaving a gap. */
    void writeItem(CallExecution call, byte[] clientId, byte[] json) {
        if (call.stopped()) {
            return; // cancelled or failed: its terminal message says so
        }
        if (!Sockets.send(socket, replyFrames(clientId, json))) {
            log.warn("VoidRail dealer {}: router {} refused a stream item (send queue full); failing the call",
                    identity, routerAddress);
            call.sendRefused();
            return;
        }
        call.written();
    }

    /** A call's terminal message: the call no longer counts as unanswered. */
    void writeCallTerminal(byte[] clientId, byte[] json) {
        unanswered--;
        writeTerminal(clientId, json);
    }

    /** A terminal message (reply, end, error) always leaves: refused now, it is sent again shortly. */
    void writeTerminal(byte[] clientId, byte[] json) {
        List<byte[]> frames = replyFrames(clientId, json);
        if (!unsentTerminals.isEmpty() || !Sockets.send(socket, frames)) {
            unsentTerminals.add(frames);
        }
    }

    private void sendUnsentTerminals() {
        while (!unsentTerminals.isEmpty() && Sockets.send(socket, unsentTerminals.peekFirst())) {
            unsentTerminals.pollFirst();
        }
    }

    private static List<byte[]> replyFrames(byte[] clientId, byte[] json) {
        return List.of(MessageType.REPLY_FROM_DEALER.token().getBytes(StandardCharsets.US_ASCII), clientId, json);
    }

    /** {@code overload} / {@code resume}: the shared places of a dealer of several routers are all taken / free. */
    void announce(MessageType type) {
        if (state != RegistrationState.STOPPING) {
            send(type, Frames.EMPTY);
        }
    }

    // ---------------------------------------------------------------- sending

    private void sendReply(byte[] clientId, ObjectNode reply) {
        writeTerminal(clientId, codec.write(reply));
    }

    private void heartbeat(long now) {
        ObjectNode beat = codec.object();
        if (!keyBoundToConnection) {
            beat.put(API_KEY, settings.apiKey());
        }
        beat.put("processing_requests", inFlight.get());
        ObjectNode info = beat.putObject("dealer_info");
        info.put("service_name", group);
        info.put("group", group);
        info.put("pid", ProcessHandle.current().pid());
        info.put("heartbeat_count", heartbeatCount++);
        info.put("connection_state", state == RegistrationState.REGISTERED ? "CONNECTED" : "CONNECTING");
        send(MessageType.HEARTBEAT, codec.write(beat));
        nextHeartbeatNanos = now + settings.heartbeatInterval().toNanos();
    }

    private void send(MessageType type, byte[]... payload) {
        List<byte[]> frames = new ArrayList<>(payload.length + 1);
        frames.add(type.token().getBytes(StandardCharsets.US_ASCII));
        frames.addAll(List.of(payload));
        if (!Sockets.send(socket, frames)) {
            log.debug("VoidRail dealer {} could not send {} (router unreachable)", identity, type.token());
        }
    }

    private ObjectNode registerJson() {
        ObjectNode register = codec.object();
        register.put("group", group);
        ObjectNode table = register.putObject("methods");
        methods.values().forEach(handler -> table.set(handler.name(), handler.describe(codec)));
        register.put("max_concurrent", settings.maxConcurrent());
        register.put("current_load", 0);
        register.put("request_count", 0);
        register.put("reply_count", 0);
        register.put(API_KEY, settings.apiKey());
        Map<String, Object> host = ServiceDealer.hostInfo();
        register.put("remote_addr", host.get("ip") + " [PID:" + host.get("pid") + ", ID:"
                + identity.substring(identity.lastIndexOf('-') + 1) + "]");
        register.set("host_info", codec.toTree(host));
        register.put("slots", settings.slots());
        register.put(IMPLEMENTATION_KEY, IMPLEMENTATION);
        DEALER_CAPABILITIES.forEach(register.putArray(CAPABILITIES_KEY)::add);
        return register;
    }
}
