package io.voidrail.client;

import static io.voidrail.protocol.Protocol.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.voidrail.VoidRailException;
import io.voidrail.auth.CurveClientConfig;
import io.voidrail.codec.JsonCodec;
import io.voidrail.internal.Mailbox;
import io.voidrail.internal.PollLoop;
import io.voidrail.internal.Sockets;
import io.voidrail.protocol.ErrorCode;
import io.voidrail.protocol.Frames;
import io.voidrail.protocol.MessageType;
import io.voidrail.protocol.Reply;
import tools.jackson.databind.JsonNode;

/**
 * The client's I/O thread: owns the DEALER socket and every waiting call; matches replies by
 * {@code request_id}, enforces deadlines, and never runs user code.
 */
final class ClientLoop implements Runnable, PollLoop.Handler<Consumer<ClientLoop>> {

    private static final Logger log = LoggerFactory.getLogger(ClientDealer.class);
    private static final long TICK_NANOS = 25_000_000L;

    private final String routerAddress;
    private final byte[] identity;
    private final JsonCodec codec;
    private final byte @Nullable [] authPayload;
    private final Duration timeout;
    private final @Nullable CurveClientConfig curve;
    private final Mailbox<Consumer<ClientLoop>> mailbox = new Mailbox<>();
    /** Everything waiting, oldest first. */
    private final Map<Long, Pending> waiting = new LinkedHashMap<>();
    private final Map<String, Pending> byRequestId = new HashMap<>();
    private final Map<MessageType, ArrayDeque<Pending.Control>> controls = new EnumMap<>(MessageType.class);
    private ZMQ.@Nullable Socket socket;
    private long nextSeq;
    private long nextTickNanos = System.nanoTime();
    private volatile boolean stopRequested;
    private volatile boolean closed;
    private volatile boolean routerCanCancel;
    /** The router's announced message size limit; 0 when unknown (Python routers announce none). */
    private long routerMaxMessageSize;
    /** The router announced "correlation": its errors about a call carry that call's request_id. */
    private boolean routerCorrelates;
    private @Nullable VoidRailException authFailure;

    /**
     * @param authPayload the {@code auth} message when the client has a key: sent first, and again whenever
     *                    the router has forgotten this client (a restarted router answers "Not authenticated")
     */
    ClientLoop(String routerAddress, byte[] identity, JsonCodec codec, byte @Nullable [] authPayload, Duration timeout,
            @Nullable CurveClientConfig curve) {
        this.routerAddress = routerAddress;
        this.identity = identity;
        this.codec = codec;
        this.authPayload = authPayload;
        this.timeout = timeout;
        this.curve = curve;
        if (authPayload != null) {
            submit(authentication());
        }
        // learn whether the router understands cancel (extensions go only to peers that announce them)
        Pending.Control info = new Pending.Control(MessageType.ROUTER_INFO, MessageType.ROUTER_INFO_ACK, null);
        info.deadlineNanos = System.nanoTime() + timeout.toNanos();
        submit(info);
    }

    private Pending.Control authentication() {
        Pending.Control auth = new Pending.Control(MessageType.AUTH, MessageType.AUTH_ACK, authPayload);
        auth.deadlineNanos = System.nanoTime() + timeout.toNanos();
        return auth;
    }

    boolean isClosed() {
        return closed;
    }

    boolean routerCanCancel() {
        return routerCanCancel;
    }

    /** Any thread: hands a call or question to the loop; fails it at once when the loop is gone. */
    void submit(Pending pending) {
        mailbox.post(loop -> loop.start(pending));
        if (closed) {
            pending.fail(closedError());
        }
    }

    /** Any thread: cancels a call by id (a stream the consumer closed, a timed-out call). */
    void cancel(String requestId) {
        mailbox.post(loop -> loop.cancelNow(requestId));
    }

    void requestStop() {
        stopRequested = true;
        mailbox.post(loop -> { });
    }

    @Override
    public void run() {
        ZContext context = new ZContext(1);
        ZMQ.Socket socket = context.createSocket(SocketType.DEALER);
        try {
            socket.setIdentity(identity);
            Sockets.tune(socket, 100_000);
            Sockets.curveClient(socket, curve);
            socket.connect(routerAddress);
            this.socket = socket;
            PollLoop.run(context, socket, mailbox, this);
        }
        catch (RuntimeException ex) {
            log.error("VoidRail client loop failed", ex);
        }
        finally {
            closed = true;
            VoidRailException error = closedError();
            waiting.values().forEach(pending -> pending.fail(error));
            waiting.clear();
            mailbox.drainRemaining(command -> command.accept(this));
            context.close();
            mailbox.close();
        }
    }

    private VoidRailException closedError() {
        return new VoidRailException("The VoidRail client was closed", ErrorCode.CANCELLED);
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
        if (now - nextTickNanos >= 0) {
            expire(now);
            nextTickNanos = now + TICK_NANOS;
        }
        return nextTickNanos;
    }

    // ---------------------------------------------------------------- requests

    private void start(Pending pending) {
        if (closed) {
            pending.fail(closedError());
            return;
        }
        if (authFailure != null && !(pending instanceof Pending.Control control && control.request == MessageType.AUTH)) {
            pending.fail(new VoidRailException(authFailure.getMessage(), ErrorCode.UNAUTHENTICATED));
            return;
        }
        if (pending instanceof Pending.Call || pending instanceof Pending.Streaming) {
            byte[][] payload = pending instanceof Pending.Call call ? call.frames : ((Pending.Streaming) pending).frames;
            long size = payload[payload.length - 1].length;
            if (routerMaxMessageSize > 0 && size > routerMaxMessageSize) {
                pending.fail(new VoidRailException("The request for " + pending.what + " is " + size
                        + " bytes, more than the router accepts (" + routerMaxMessageSize + " bytes)", ErrorCode.BAD_REQUEST));
                return;
            }
        }
        pending.seq = nextSeq++;
        waiting.put(pending.seq, pending);
        List<byte[]> frames = new ArrayList<>(4);
        if (pending instanceof Pending.Call call) {
            byRequestId.put(call.requestId, call);
            frames.add(token(MessageType.CALL_FROM_CLIENT));
            frames.addAll(List.of(call.frames));
        }
        else if (pending instanceof Pending.Streaming stream) {
            byRequestId.put(stream.requestId, stream);
            frames.add(token(MessageType.CALL_FROM_CLIENT));
            frames.addAll(List.of(stream.frames));
        }
        else if (pending instanceof Pending.Control control) {
            controls.computeIfAbsent(control.answer, t -> new ArrayDeque<>()).add(control);
            frames.add(token(control.request));
            frames.add(control.payload != null ? control.payload : Frames.EMPTY);
        }
        if (!Sockets.send(socket, frames)) {
            remove(pending);
            pending.fail(new VoidRailException("Cannot send to the VoidRail router at " + routerAddress
                    + " (send queue full)", ErrorCode.OVERLOADED));
        }
    }

    private void cancelNow(String requestId) {
        Pending pending = byRequestId.get(requestId);
        if (pending != null) {
            remove(pending);
            pending.fail(new VoidRailException("Call cancelled", ErrorCode.CANCELLED));
            sendCancel(requestId);
        }
    }

    private void sendCancel(String requestId) {
        if (routerCanCancel) {
            byte[] payload = codec.write(codec.object().put(REQUEST_ID, requestId));
            Sockets.send(socket, token(MessageType.CANCEL), payload);
        }
    }

    private void expire(long now) {
        List<Pending> expired = null;
        for (Pending pending : waiting.values()) {
            if (now - pending.deadlineNanos >= 0) {
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
            pending.fail(new VoidRailException("No answer from " + pending.what + " via " + routerAddress
                    + " before the deadline", ErrorCode.DEADLINE_EXCEEDED));
            if (pending instanceof Pending.Call call) {
                sendCancel(call.requestId);
            }
            else if (pending instanceof Pending.Streaming stream) {
                sendCancel(stream.requestId);
            }
        }
    }

    private void remove(Pending pending) {
        waiting.remove(pending.seq);
        if (pending instanceof Pending.Call call) {
            byRequestId.remove(call.requestId);
        }
        else if (pending instanceof Pending.Streaming stream) {
            byRequestId.remove(stream.requestId);
        }
        else if (pending instanceof Pending.Control control) {
            ArrayDeque<Pending.Control> queue = controls.get(control.answer);
            if (queue != null) {
                queue.remove(control);
            }
        }
    }

    // ---------------------------------------------------------------- replies

    @Override
    public void onInput() {
        List<byte[]> frames;
        while ((frames = Sockets.receive(socket)) != null) {
            try {
                handle(frames);
            }
            catch (RuntimeException ex) {
                log.warn("VoidRail client dropped a message it could not read: {}", Frames.forLog(ex.toString()));
            }
        }
    }

    private void handle(List<byte[]> frames) {
        String token = Frames.strictUtf8(frames.get(0));
        MessageType type = token == null ? null : MessageType.fromToken(token);
        JsonNode json = frames.size() > 1 ? codec.readOrNull(frames.get(frames.size() - 1)) : null;
        if (type == null) {
            log.warn("VoidRail client ignored an unknown message type from the router");
            return;
        }
        switch (type) {
            case REPLY_FROM_ROUTER -> {
                Reply reply = json == null ? null : Reply.parse(json);
                if (reply != null) {
                    onReply(reply);
                }
                else {
                    log.warn("VoidRail client ignored a malformed reply");
                }
            }
            case ERROR -> onError(json);
            case HEARTBEAT_ACK -> answerControl(MessageType.HEARTBEAT_ACK, json);
            case AUTH_ACK, METHODS_ACK, CLUSTERS_ACK, QUEUE_STATUS_ACK, ROUTER_INFO_ACK -> answerControl(type, json);
            default -> log.debug("VoidRail client ignored {}", Frames.forLog(token));
        }
    }

    private void onReply(Reply reply) {
        Pending pending = reply.requestId() != null ? byRequestId.get(reply.requestId()) : idlessTarget();
        if (pending == null && reply.kind() == Reply.Kind.ERROR && reply.code() == ErrorCode.UNKNOWN && !routerCorrelates) {
            // a Python router's "No available service" error carries an id it made up (PROTOCOL.md section 5):
            // like an id-less error, it answers the only outstanding call, else the oldest
            pending = idlessTarget();
        }
        if (pending == null) {
            log.debug("VoidRail client dropped a late reply for a call it no longer waits for");
            return;
        }
        if (pending instanceof Pending.Call call) {
            remove(call);
            if (reply.kind() == Reply.Kind.ERROR) {
                call.fail(remoteError(reply));
            }
            else if (reply.kind() == Reply.Kind.REPLY) {
                call.result.complete(reply.value());
            }
            else {
                call.fail(new VoidRailException(call.what + " answered with a stream; call it with stream()",
                        ErrorCode.BAD_REQUEST));
            }
        }
        else if (pending instanceof Pending.Streaming stream) {
            switch (reply.kind()) {
                case STREAMING -> {
                    stream.deadlineNanos = System.nanoTime() + stream.idleNanos;
                    stream.channel.item(reply.value());
                }
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
                    stream.fail(remoteError(reply));
                }
            }
        }
    }

    /** An id-less (Python) error answers the only outstanding call, else the oldest (PROTOCOL.md 4). */
    private @Nullable Pending idlessTarget() {
        for (Pending pending : waiting.values()) {
            if (!(pending instanceof Pending.Control)) {
                return pending;
            }
        }
        return null;
    }

    private void onError(@Nullable JsonNode json) {
        Reply reply = json == null ? null : Reply.parse(json);
        String text = reply != null && reply.errorText() != null ? reply.errorText() : ROUTER_ERROR;
        VoidRailException error = new VoidRailException(text, codeOf(reply, text));
        Pending target = reply != null && reply.requestId() != null ? byRequestId.get(reply.requestId()) : null;
        if (target == null) {
            // a Python router's error carries a fresh id: it answers the oldest question
            Iterator<Pending> oldest = waiting.values().iterator();
            target = oldest.hasNext() ? oldest.next() : null;
        }
        if (target == null) {
            log.warn("VoidRail router error with nothing waiting: {}", Frames.forLog(text));
            return;
        }
        if (target instanceof Pending.Control control && control.request == MessageType.AUTH) {
            authFailure = error;
            log.error("VoidRail router at {} refused this client's API key", routerAddress);
        }
        remove(target);
        if (NOT_AUTHENTICATED.equals(text) && authPayload != null && authFailure == null && !target.resent
                && !(target instanceof Pending.Control control && control.request == MessageType.AUTH)) {
            // the router restarted and forgot us: it refused the request unseen, so authenticate and send it again
            log.info("VoidRail router at {} asks this client to authenticate again", routerAddress);
            target.resent = true;
            if (controls.getOrDefault(MessageType.AUTH_ACK, new ArrayDeque<>()).isEmpty()) {
                start(authentication());
            }
            start(target);
            return;
        }
        target.fail(error);
    }

    private void answerControl(MessageType answer, @Nullable JsonNode json) {
        ArrayDeque<Pending.Control> queue = controls.get(answer);
        Pending.Control control = queue == null ? null : queue.peekFirst();
        if (control == null) {
            return;
        }
        remove(control);
        JsonNode result = json == null ? codec.object() : json.path(RESULT);
        if (answer == MessageType.ROUTER_INFO_ACK) {
            routerCanCancel = result.path(CAPABILITIES_KEY).isArray() && result.path(CAPABILITIES_KEY).toString()
                    .contains('"' + CAP_CANCEL + '"');
            routerMaxMessageSize = result.path(MAX_MESSAGE_SIZE).asLong(0);
            routerCorrelates = result.path(CAPABILITIES_KEY).toString().contains('"' + CAP_CORRELATION + '"');
        }
        if (answer == MessageType.AUTH_ACK) {
            authFailure = null;
        }
        control.result.complete(result);
    }

    private static VoidRailException remoteError(Reply reply) {
        String text = reply.errorText() == null ? "Unknown error" : reply.errorText();
        return new VoidRailException(text, codeOf(reply, text));
    }

    /** Python peers send no code: derive it from the texts they use. */
    private static ErrorCode codeOf(@Nullable Reply reply, String text) {
        if (reply != null && reply.code() != ErrorCode.UNKNOWN) {
            return reply.code();
        }
        if (text.equals(NOT_AUTHENTICATED) || text.equals(AUTHENTICATION_FAILED) || text.equals(INVALID_AUTH_FORMAT)) {
            return ErrorCode.UNAUTHENTICATED;
        }
        if (text.startsWith(METHOD_EXECUTION_ERROR)) {
            return ErrorCode.EXECUTION_ERROR;
        }
        if (text.startsWith("Method ") && text.endsWith(" not found")) {
            return ErrorCode.NOT_FOUND;
        }
        if (text.startsWith("No available service for method ")) {
            return ErrorCode.OVERLOADED;
        }
        return ErrorCode.UNKNOWN;
    }

    private static byte[] token(MessageType type) {
        return type.token().getBytes(StandardCharsets.US_ASCII);
    }
}
