package io.voidrail.client;

import static io.voidrail.internal.protocol.Protocol.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.voidrail.ErrorCode;
import io.voidrail.VoidRailException;
import io.voidrail.internal.Mailbox;
import io.voidrail.internal.PollLoop;
import io.voidrail.internal.SocketHome;
import io.voidrail.internal.Sockets;
import io.voidrail.internal.protocol.Frames;
import io.voidrail.internal.protocol.MessageType;
import io.voidrail.internal.protocol.Reply;
import tools.jackson.databind.JsonNode;

/**
 * The client's I/O thread: owns one DEALER socket per router and every waiting call; matches replies by
 * {@code request_id}, enforces deadlines, and never runs user code.
 *
 * <p>Calls go to one router, the active one, and only while it is ready (it answered recently); until then they
 * wait here, unsent. When no router has answered for the connect timeout, waiting calls fail with
 * {@code UNAVAILABLE} (never sent, so safe to retry), except those that wait for ready. When the active router falls
 * silent and another one is ready, the client switches to it: calls in flight on the silent one fail with
 * {@code UNAVAILABLE} (they may or may not have run), waiting and new calls go to the other.
 */
final class ClientLoop implements Runnable, PollLoop.Handler<Consumer<ClientLoop>> {

    private static final Logger log = LoggerFactory.getLogger(ClientDealer.class);
    private static final long TICK_NANOS = 25_000_000L;
    /** Items a stream without flow control (a Python or older peer) may buffer before the call fails. */
    static final int UNCREDITED_BUFFER_LIMIT = 65_536;
    /** Lets the cancels sent at close leave before the sockets close. */
    private static final int CLOSE_LINGER_MS = 200;

    private final ClientSettings settings;
    private final RouterConnections connections;
    private final Mailbox<Consumer<ClientLoop>> mailbox = new Mailbox<>();
    /** Everything waiting, oldest first: calls not yet sent and calls sent. */
    private final Map<Long, Pending> waiting = new LinkedHashMap<>();
    private final Map<String, Pending> byRequestId = new HashMap<>();
    /** Waiting for a ready router, oldest first. */
    private final ArrayDeque<Pending> held = new ArrayDeque<>();
    private @Nullable SocketHome home;
    private long nextSeq;
    private long nextTickNanos = System.nanoTime();
    private volatile boolean stopRequested;
    private volatile boolean closed;
    /** The thread running this loop (a direct callback executor runs callbacks on it). */
    private volatile @Nullable Thread runner;

    ClientLoop(ClientSettings settings) {
        this.settings = settings;
        this.connections = new RouterConnections(settings);
    }

    boolean isClosed() {
        return closed;
    }

    ConnectionState state() {
        return closed ? ConnectionState.IDLE : connections.state();
    }

    /** The router calls go to (or will go to once it answers). */
    String activeAddress() {
        return connections.activeAddress();
    }

    boolean routerCanCancel() {
        return connections.active().dialect.canCancel();
    }

    /** Whether the active router tells a call's progress when its request asks ({@code "progress": true}). */
    boolean routerTellsProgress() {
        return connections.active().dialect.tellsProgress();
    }

    /** Any thread: hands a call or question to the loop; fails it at once when the loop is gone. */
    void submit(Pending pending) {
        mailbox.post(loop -> loop.start(pending));
        if (closed) {
            pending.fail(closedError());
        }
    }

    /** Any thread: cancels a call by id (a stream the consumer closed, a cancelled future). */
    void cancel(String requestId) {
        mailbox.post(loop -> loop.cancelNow(requestId));
    }

    /** Any thread: the consumer of a stream took {@code items} more; the dealer may send that many more. */
    void grant(String requestId, int items) {
        mailbox.post(loop -> loop.grantNow(requestId, items));
    }

    void requestStop() {
        stopRequested = true;
        mailbox.post(loop -> { });
    }

    /**
     * Refuses to wait for an answer on this loop's own thread (a callback run by a direct callback executor): the
     * answer could only come through this thread, so every call of the client would stall until the wait timed out.
     */
    void refuseWaitingHere(String kind, String name) {
        if (runner == Thread.currentThread()) {
            throw new IllegalStateException("A blocking " + kind + " of " + name + " on the client's I/O thread (a "
                    + "callback run by callbackExecutor(Runnable::run)?) would hold up every call of this client: use "
                    + "invokeAsync there");
        }
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        SocketHome home = SocketHome.own();
        this.home = home;
        try {
            long now = System.nanoTime();
            for (RouterLink link : connections.links()) {
                open(link, now);
            }
            while (!stopRequested) {
                PollLoop.run(connections.links().stream().map(link -> link.socket).toList(), null, mailbox, this);
                for (RouterLink link : connections.links()) {
                    if (link.reopen) {
                        home.destroy(link.socket);
                        open(link, System.nanoTime());
                    }
                }
            }
        }
        catch (RuntimeException ex) {
            log.error("VoidRail client loop failed", ex);
        }
        finally {
            closed = true;
            cancelSentCalls();
            VoidRailException error = closedError();
            waiting.values().forEach(pending -> pending.fail(error));
            waiting.clear();
            byRequestId.clear();
            held.clear();
            mailbox.drain(command -> command.accept(this)); // commands left: they fail as closed
            home.close();
            mailbox.close();
        }
    }

    private VoidRailException closedError() {
        return new VoidRailException("The VoidRail client was closed", ErrorCode.CANCELLED);
    }

    /** Closing the client cancels its calls at the router and at the dealers, as a deadline would. */
    private void cancelSentCalls() {
        for (Pending pending : waiting.values()) {
            if (pending.link != null && pending.requestId() != null && pending.link.dialect.canCancel()) {
                sendCancel(pending);
                pending.link.socket.setLinger(CLOSE_LINGER_MS);
            }
        }
    }

    @Override
    public void onCommand(Consumer<ClientLoop> command) {
        command.accept(this);
    }

    @Override
    public long afterPoll(long now) {
        if (stopRequested) {
            return PollLoop.LEAVE;
        }
        if (!held.isEmpty()) {
            flush(now);
        }
        if (now - nextTickNanos >= 0) {
            tick(now);
            nextTickNanos = now + TICK_NANOS;
        }
        connections.updateState(now);
        for (RouterLink link : connections.links()) {
            if (home.replaceable(link.socket)) {
                link.reopen = true; // its co-located router was replaced: connect to the successor
            }
        }
        return connections.reopenRequested() ? PollLoop.LEAVE : nextTickNanos;
    }

    // ---------------------------------------------------------------- connections

    /** A fresh connection: the client introduces itself ({@code auth} with a key) and asks what the router does. */
    private void open(RouterLink link, long now) {
        // what was sent on the old connection will not be answered on this one
        for (Pending pending : new ArrayList<>(waiting.values())) {
            if (pending.link == link) {
                remove(pending);
                if (!(pending instanceof Pending.Control control && control.internal)) {
                    pending.fail(new VoidRailException("The connection to VoidRail router " + link.address
                            + " was replaced while " + pending.what + " was in flight", ErrorCode.UNAVAILABLE));
                }
            }
        }
        connections.open(home, link, now);
        for (Pending.Control introduction : connections.introductions()) {
            introduce(link, introduction, now);
        }
    }

    private void introduce(RouterLink link, Pending.Control control, long now) {
        control.seq = nextSeq++;
        waiting.put(control.seq, control);
        transmit(control, link, now);
    }

    private void tick(long now) {
        // the state is updated before calls fail, so that their callers see the state that failed them
        connections.tick(now, this::failSent);
        if (connections.allUnavailable()) {
            for (Pending pending : new ArrayList<>(held)) {
                if (!pending.waitForReady) {
                    remove(pending);
                    pending.fail(unavailable(pending, now));
                }
            }
        }
        flush(now);
        expire(now);
    }

    /** Fails what was sent on a connection that is given up. */
    private void failSent(RouterLink link, Function<Pending, String> text) {
        for (Pending pending : new ArrayList<>(waiting.values())) {
            if (pending.link == link && !(pending instanceof Pending.Control control && control.internal)) {
                remove(pending);
                pending.fail(new VoidRailException(text.apply(pending), ErrorCode.UNAVAILABLE));
            }
        }
    }

    private VoidRailException unavailable(Pending pending, long now) {
        return new VoidRailException("Cannot call " + pending.what + ": " + connections.silence(now) + " (not sent)",
                ErrorCode.UNAVAILABLE);
    }

    // ---------------------------------------------------------------- requests

    private void start(Pending pending) {
        if (closed) {
            pending.fail(closedError());
            return;
        }
        pending.seq = nextSeq++;
        waiting.put(pending.seq, pending);
        if (pending.requestId() != null) {
            byRequestId.put(pending.requestId(), pending);
        }
        long now = System.nanoTime();
        RouterLink link = connections.active();
        if (home.replaceable(link.socket)) {
            link.reopen = true; // its co-located router was replaced: the call waits for the new connection
        }
        if (held.isEmpty() && !link.reopen && !home.orphaned(link.socket) && link.ready(now)) {
            transmit(pending, link, now);
        }
        else if (!pending.waitForReady && connections.allUnavailable()) {
            remove(pending);
            pending.fail(unavailable(pending, now));
        }
        else {
            held.add(pending);
        }
    }

    /** Sends what waited for a ready router, in order. */
    private void flush(long now) {
        RouterLink link = connections.active();
        if (link.reopen || home.orphaned(link.socket) || !link.ready(now)) {
            return;
        }
        Pending pending;
        while ((pending = held.poll()) != null) {
            transmit(pending, link, now);
        }
    }

    private void transmit(Pending pending, RouterLink link, long now) {
        // the client's own questions, and pings (a router answers them without a key), go out whatever the key
        boolean exempt = pending instanceof Pending.Control control
                && (control.internal || control.request == MessageType.ROUTER_MONITOR);
        if (link.authFailure != null && !exempt) {
            remove(pending);
            pending.fail(new VoidRailException(link.authFailure.getMessage(), ErrorCode.UNAUTHENTICATED));
            return;
        }
        List<byte[]> frames = new ArrayList<>(4);
        if (pending instanceof Pending.Call call) {
            frames.add(token(MessageType.CALL_FROM_CLIENT));
            frames.addAll(List.of(call.frames));
            if (link.dialect.judgesDeadlines() && !call.graced) {
                call.deadlineNanos += verdictGraceNanos(call.timeoutNanos);
                call.graced = true;
            }
        }
        else if (pending instanceof Pending.Streaming stream) {
            // credits only through a router that relays them; a dealer that honours them numbers its items
            stream.credited = link.dialect.canCredit();
            if (stream.credited) {
                stream.request.put(CREDITS, stream.window.initial());
            }
            frames.add(token(MessageType.CALL_FROM_CLIENT));
            frames.add(stream.method);
            frames.add(settings.codec().write(stream.request));
        }
        else if (pending instanceof Pending.Control control) {
            frames.add(token(control.request));
            frames.add(control.payload != null ? control.payload : Frames.EMPTY);
        }
        long size = frames.get(frames.size() - 1).length;
        long limit = link.dialect.maxMessageSize();
        if (!(pending instanceof Pending.Control) && limit > 0 && size > limit) {
            remove(pending);
            pending.fail(new VoidRailException("The request for " + pending.what + " is " + size
                    + " bytes, more than the router accepts (" + limit + " bytes)", ErrorCode.BAD_REQUEST));
            return;
        }
        pending.link = link;
        pending.progressNanos = now;
        if (pending instanceof Pending.Control control) {
            link.controls.computeIfAbsent(control.answer, t -> new ArrayDeque<>()).add(control);
        }
        if (!Sockets.send(link.socket, frames)) {
            remove(pending);
            pending.fail(new VoidRailException("Cannot send to the VoidRail router at " + link.address
                    + " (send queue full)", ErrorCode.OVERLOADED));
        }
    }

    /**
     * How long a call sent to a router that judges deadlines may wait past its own deadline for the router's
     * verdict (which says where the call was): a quarter of its timeout, between 100 and 250 ms.
     */
    static long verdictGraceNanos(long timeoutNanos) {
        return Math.min(250_000_000L, Math.max(100_000_000L, timeoutNanos / 4));
    }

    private void cancelNow(String requestId) {
        Pending pending = byRequestId.get(requestId);
        if (pending != null) {
            remove(pending);
            pending.fail(new VoidRailException("Call cancelled", ErrorCode.CANCELLED));
            sendCancel(pending);
        }
    }

    private void sendCancel(Pending pending) {
        RouterLink link = pending.link;
        if (link != null && link.dialect.canCancel() && pending.requestId() != null) {
            byte[] payload = settings.codec().write(settings.codec().object().put(REQUEST_ID, pending.requestId()));
            Sockets.send(link.socket, token(MessageType.CANCEL), payload);
        }
    }

    private void grantNow(String requestId, int items) {
        if (!(byRequestId.get(requestId) instanceof Pending.Streaming stream) || !stream.credited || stream.link == null) {
            return;
        }
        long more = stream.window.taken(items);
        if (more == 0) {
            return;
        }
        byte[] payload = settings.codec().write(settings.codec().object().put(REQUEST_ID, requestId).put(CREDITS, more));
        if (!Sockets.send(stream.link.socket, token(MessageType.STREAM_CREDIT), payload)) {
            failStream(stream, "Cannot send stream credits for " + stream.what + " to " + stream.link.address
                    + " (send queue full)");
        }
    }

    /** A stream that cannot go on without losing items ends with an explicit error, and is cancelled upstream. */
    private void failStream(Pending.Streaming stream, String text) {
        remove(stream);
        stream.fail(new VoidRailException(text, ErrorCode.OVERLOADED));
        sendCancel(stream);
    }

    private void expire(long now) {
        List<Pending> expired = null;
        for (Pending pending : waiting.values()) {
            if (pending instanceof Pending.Streaming stream && stream.channel.buffered() > 0) {
                // the consumer has items to take: the wait for the next one starts when it has taken them
                stream.deadlineNanos = now + stream.timeoutNanos;
                continue;
            }
            if (!(pending instanceof Pending.Control control && control.internal) && now - pending.deadlineNanos >= 0) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(pending);
            }
        }
        if (expired == null) {
            return;
        }
        for (Pending pending : expired) {
            remove(pending);
            pending.fail(new VoidRailException(timedOut(pending, now), ErrorCode.DEADLINE_EXCEEDED));
            sendCancel(pending);
        }
    }

    /** What the client knows about a call that got no answer in time: never sent, router silent, or router alive. */
    private String timedOut(Pending pending, long now) {
        RouterLink link = pending.link;
        if (link == null) {
            RouterLink current = connections.active();
            return pending.what + " was never sent before its deadline (" + seconds(pending.timeoutNanos) + "): "
                    + current.silence(now);
        }
        String what = pending instanceof Pending.Streaming
                ? "No stream item from " + pending.what + " via " + link.address + " within " + seconds(pending.timeoutNanos)
                : "No answer from " + pending.what + " via " + link.address + " before the deadline ("
                        + seconds(pending.timeoutNanos) + ")";
        if (link.liveness.heardAfter(pending.progressNanos)) {
            return what + ": the router is alive (heard " + millis(link.liveness.silentNanos(now))
                    + " ago) but neither it nor a dealer answered";
        }
        return what + ": never acknowledged, the router has been silent for " + millis(link.liveness.silentNanos(now));
    }

    private void remove(Pending pending) {
        waiting.remove(pending.seq);
        if (pending.requestId() != null) {
            byRequestId.remove(pending.requestId(), pending);
        }
        if (pending.link == null) {
            held.remove(pending);
        }
        else if (pending instanceof Pending.Control control) {
            ArrayDeque<Pending.Control> queue = pending.link.controls.get(control.answer);
            if (queue != null) {
                queue.remove(control);
            }
        }
    }

    // ---------------------------------------------------------------- replies

    @Override
    public void onInput() {
        for (RouterLink link : connections.links()) {
            List<byte[]> frames;
            while ((frames = Sockets.receive(link.socket)) != null) {
                try {
                    handle(link, frames);
                }
                catch (RuntimeException ex) {
                    log.warn("VoidRail client dropped a message it could not read: {}", Frames.forLog(ex.toString()));
                }
            }
        }
    }

    private void handle(RouterLink link, List<byte[]> frames) {
        long now = System.nanoTime();
        link.liveness.heard(now);
        try {
            dispatch(link, frames);
        }
        finally {
            connections.updateState(now);
        }
    }

    private void dispatch(RouterLink link, List<byte[]> frames) {
        String token = Frames.strictUtf8(frames.get(0));
        MessageType type = token == null ? null : MessageType.fromToken(token);
        JsonNode json = frames.size() > 1 ? settings.codec().readOrNull(frames.get(frames.size() - 1)) : null;
        if (type == null) {
            log.warn("VoidRail client ignored an unknown message type from the router");
            return;
        }
        switch (type) {
            case REPLY_FROM_ROUTER -> {
                Reply reply = json == null ? null : Reply.parse(json);
                if (reply != null) {
                    onReply(link, reply, json, frames.get(frames.size() - 1).length);
                }
                else {
                    log.warn("VoidRail client ignored a malformed reply");
                }
            }
            case ERROR -> onError(link, json);
            case CALL_PROGRESS -> onProgress(link, json);
            case HEARTBEAT_ACK, AUTH_ACK, METHODS_ACK, CLUSTERS_ACK, QUEUE_STATUS_ACK, ROUTER_INFO_ACK ->
                answerControl(link, type, json);
            default -> log.debug("VoidRail client ignored {}", Frames.forLog(token));
        }
    }

    private void onReply(RouterLink link, Reply reply, JsonNode json, int size) {
        Pending pending = reply.requestId() != null ? byRequestId.get(reply.requestId()) : null;
        if (pending == null && link.dialect.answersOldestCall(reply)) {
            pending = oldestCallOn(link);
        }
        if (pending == null || pending.link != link) {
            log.debug("VoidRail client dropped a late reply for a call it no longer waits for");
            return;
        }
        if (pending instanceof Pending.Call call) {
            remove(call);
            if (reply.kind() == Reply.Kind.ERROR) {
                call.fail(remoteError(link, reply));
            }
            else if (reply.kind() == Reply.Kind.REPLY) {
                call.complete(reply.value());
            }
            else {
                call.fail(new VoidRailException(call.what + " answered with a stream; call it with stream()",
                        ErrorCode.BAD_REQUEST));
            }
        }
        else if (pending instanceof Pending.Streaming stream) {
            switch (reply.kind()) {
                case STREAMING -> onItem(stream, reply, json, size);
                case END -> {
                    remove(stream);
                    stream.channel.end();
                }
                case REPLY -> {
                    // a plain result to a stream() call: one item, then the end
                    remove(stream);
                    stream.channel.item(reply.value());
                    stream.channel.end();
                }
                case ERROR -> {
                    remove(stream);
                    stream.fail(remoteError(link, reply));
                }
            }
        }
    }

    /**
     * A stream item: numbered items must come in order without a gap, and the buffer stays within the window
     * (a dealer that numbers its items honours the credits) or, without flow control, within a fixed bound.
     */
    private void onItem(Pending.Streaming stream, Reply reply, JsonNode json, int size) {
        long now = System.nanoTime();
        stream.deadlineNanos = now + stream.timeoutNanos;
        stream.progressNanos = now;
        JsonNode seq = json.get(SEQ);
        if (seq != null && seq.isIntegralNumber()) {
            stream.sequenced = true;
            if (seq.asLong() != stream.nextSeq) {
                failStream(stream, "Stream " + stream.what + " lost items on the way: expected item " + stream.nextSeq
                        + ", got item " + seq.asLong() + " (a queue on the way was full)");
                return;
            }
            stream.nextSeq++;
            stream.window.received(size);
        }
        long limit = stream.sequenced ? stream.window.bufferLimit() : UNCREDITED_BUFFER_LIMIT;
        if (stream.channel.buffered() >= limit) {
            failStream(stream, "Stream " + stream.what + " overflows the client's buffer (" + limit + " items): "
                    + (stream.sequenced ? "the dealer sent more than it was granted"
                            : "the consumer is too slow and the dealer or router does not support flow control"));
            return;
        }
        stream.channel.item(reply.value());
    }

    /** The oldest call sent on that router: what a Python router's reply without the call's id answers. */
    private @Nullable Pending oldestCallOn(RouterLink link) {
        return oldestOn(link, pending -> !(pending instanceof Pending.Control));
    }

    private @Nullable Pending oldestOn(RouterLink link, Predicate<Pending> which) {
        for (Pending pending : waiting.values()) {
            if (pending.link == link && which.test(pending)) {
                return pending;
            }
        }
        return null;
    }

    /** {@code ["call_progress", {"request_id": R, "state": "queued"|"dispatched", "queued_ms": T}]}, for the listener. */
    private void onProgress(RouterLink link, @Nullable JsonNode json) {
        String requestId = json == null ? null : Reply.text(json, REQUEST_ID);
        Pending pending = requestId == null ? null : byRequestId.get(requestId);
        if (pending == null || pending.link != link) {
            return; // answered already, or not ours
        }
        String state = Reply.text(json, STATE);
        if (PROGRESS_QUEUED.equals(state)) {
            pending.observation().queued();
        }
        else if (PROGRESS_DISPATCHED.equals(state)) {
            JsonNode waited = json.path(QUEUED_MS);
            double millis = waited.isNumber() ? Math.max(0, waited.doubleValue()) : 0;
            pending.observation().dispatched(Duration.ofNanos((long) (millis * 1_000_000)));
        }
    }

    private void onError(RouterLink link, @Nullable JsonNode json) {
        Reply reply = json == null ? null : Reply.parse(json);
        String text = reply != null && reply.errorText() != null ? reply.errorText() : ROUTER_ERROR;
        VoidRailException error = new VoidRailException(text, link.dialect.codeOf(reply, text));
        Pending target = reply != null && reply.requestId() != null ? byRequestId.get(reply.requestId()) : null;
        if (target == null || target.link != link) {
            // an error about no known call: the oldest question to the router, or (a Python router, whose errors carry
            // an id it made up) the oldest of anything waiting
            target = oldestOn(link, link.dialect.routerErrorsMayAnswerCalls() ? pending -> true
                    : pending -> pending instanceof Pending.Control);
        }
        if (target == null) {
            log.warn("VoidRail router {} error with nothing waiting: {}", link.address, Frames.forLog(text));
            return;
        }
        remove(target);
        if (connections.refused(link, target, text, error)) {
            // the router restarted and forgot us: it refused the request unseen, so authenticate and send it again
            long now = System.nanoTime();
            if (!connections.authenticating(link)) {
                introduce(link, connections.authentication(), now);
            }
            waiting.put(target.seq, target);
            if (target.requestId() != null) {
                byRequestId.put(target.requestId(), target);
            }
            transmit(target, link, now);
            return;
        }
        target.fail(error);
    }

    private void answerControl(RouterLink link, MessageType answer, @Nullable JsonNode json) {
        ArrayDeque<Pending.Control> queue = link.controls.get(answer);
        Pending.Control control = queue == null ? null : queue.peekFirst();
        if (control == null) {
            return; // e.g. the answer to the client's own liveness ping
        }
        remove(control);
        JsonNode result = json == null ? settings.codec().object() : json.path(RESULT);
        connections.answered(link, control, result);
        control.result.complete(result);
    }

    private static VoidRailException remoteError(RouterLink link, Reply reply) {
        String text = reply.errorText() == null ? "Unknown error" : reply.errorText();
        return new VoidRailException(text, link.dialect.codeOf(reply, text));
    }

    private static byte[] token(MessageType type) {
        return type.token().getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code 5 s}, {@code 5.2 s}. */
    static String seconds(long nanos) {
        double seconds = Math.round(nanos / 100_000_000.0) / 10.0;
        return (seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.format(Locale.ROOT, "%.1f", seconds))
                + " s";
    }

    private static String millis(long nanos) {
        return (nanos / 1_000_000) + " ms";
    }
}
