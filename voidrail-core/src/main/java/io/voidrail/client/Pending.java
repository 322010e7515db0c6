package io.voidrail.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import io.voidrail.VoidRailException;
import io.voidrail.event.CallObservation;
import io.voidrail.internal.protocol.MessageType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Something the client waits for. Lives on the client's I/O thread once submitted. */
abstract sealed class Pending permits Pending.Call, Pending.Streaming, Pending.Control {

    /** Order of submission: an error the router cannot attribute goes to the oldest. */
    long seq;
    /**
     * {@code System.nanoTime()} at which the client gives up: the deadline (plus a short wait for the router's own
     * verdict once sent to a router that judges deadlines); for streams, the wait for the next item.
     */
    long deadlineNanos;
    /** The caller's timeout (for streams: the longest wait for an item), for messages. */
    long timeoutNanos;
    /** Sent again once already, after the router had forgotten this client's authentication. */
    boolean resent;
    /** Wait for a router to be ready (up to the deadline) instead of failing fast with UNAVAILABLE. */
    boolean waitForReady;
    /** The connection it was sent on; {@code null} while it waits for a ready router. */
    @Nullable RouterLink link;
    /** When it was sent, or when it last made progress (a stream item). */
    long progressNanos;
    final String what;

    Pending(String what) {
        this.what = what;
    }

    abstract void fail(VoidRailException error);

    /** The call's request id; {@code null} for questions to the router. */
    @Nullable String requestId() {
        return null;
    }

    /** What the listener made of the call; {@link CallObservation#NONE} for questions to the router. */
    CallObservation observation() {
        return CallObservation.NONE;
    }

    /** A plain call: one {@code reply} or {@code error}. */
    static final class Call extends Pending {
        final String requestId;
        final byte[][] frames;
        final CompletableFuture<JsonNode> result = new CompletableFuture<>();
        /** The I/O thread the call is handed to (cancels go there). */
        final ClientLoop loop;
        /** Told first when the call ends, on the thread that ends it (the documented listener threads). */
        CallObservation observation = CallObservation.NONE;
        private final AtomicBoolean ended = new AtomicBoolean();
        /** The wait for the router's verdict is added to its deadline (once). */
        boolean graced;

        Call(String method, String requestId, byte[][] frames, ClientLoop loop) {
            super(method);
            this.requestId = requestId;
            this.frames = frames;
            this.loop = loop;
        }

        @Override
        String requestId() {
            return requestId;
        }

        @Override
        CallObservation observation() {
            return observation;
        }

        void complete(JsonNode value) {
            if (ended.compareAndSet(false, true)) {
                observation.finished(null, null);
            }
            result.complete(value);
        }

        @Override
        void fail(VoidRailException error) {
            if (ended.compareAndSet(false, true)) {
                observation.finished(error.code(), error);
            }
            result.completeExceptionally(error);
        }
    }

    /**
     * A streaming call: items then {@code end}, or an {@code error}. Its request is written when it is sent, because
     * only then is it known whether the router relays stream credits.
     */
    static final class Streaming extends Pending {
        final String requestId;
        final byte[] method;
        final ObjectNode request;
        final StreamChannel channel;
        final StreamWindow window;
        /** Sent with {@code "credits"}: the dealer may send at most what the client grants. */
        boolean credited;
        /** The dealer numbers its items ({@code "seq"}): it honours the credits. */
        boolean sequenced;
        long nextSeq;

        Streaming(String method, String requestId, ObjectNode request, StreamChannel channel, long idleNanos,
                int maxWindow) {
            super(method);
            this.requestId = requestId;
            this.method = method.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            this.request = request;
            this.channel = channel;
            this.timeoutNanos = idleNanos;
            this.window = new StreamWindow(maxWindow);
        }

        @Override
        String requestId() {
            return requestId;
        }

        @Override
        CallObservation observation() {
            return channel.observation();
        }

        @Override
        void fail(VoidRailException error) {
            channel.fail(error);
        }
    }

    /** A question to the router ({@code methods}, {@code auth}, ...) answered by one {@code *_ack}. */
    static final class Control extends Pending {
        final MessageType request;
        final MessageType answer;
        final byte @Nullable [] payload;
        /** Asked by the client itself on a new connection ({@code auth}, {@code router_info}): no deadline. */
        final boolean internal;
        final CompletableFuture<JsonNode> result = new CompletableFuture<>();

        Control(MessageType request, MessageType answer, byte @Nullable [] payload) {
            this(request, answer, payload, false);
        }

        Control(MessageType request, MessageType answer, byte @Nullable [] payload, boolean internal) {
            super(request.token());
            this.request = request;
            this.answer = answer;
            this.payload = payload;
            this.internal = internal;
        }

        @Override
        void fail(VoidRailException error) {
            result.completeExceptionally(error);
        }
    }
}
