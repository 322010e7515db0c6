package io.voidrail.client;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import io.voidrail.VoidRailException;
import io.voidrail.protocol.MessageType;
import tools.jackson.databind.JsonNode;

/** Something the client waits for. Lives on the client's I/O thread once submitted. */
abstract sealed class Pending permits Pending.Call, Pending.Streaming, Pending.Control {

    /** Order of submission: an error the router cannot attribute goes to the oldest. */
    long seq;
    /** {@code System.nanoTime()} by which an answer (or, for streams, the next item) must arrive. */
    long deadlineNanos;
    /** Sent again once already, after the router had forgotten this client's authentication. */
    boolean resent;
    final String what;

    Pending(String what) {
        this.what = what;
    }

    abstract void fail(VoidRailException error);

    /** A plain call: one {@code reply} or {@code error}. */
    static final class Call extends Pending {
        final String requestId;
        final byte[][] frames;
        final CompletableFuture<JsonNode> result = new CompletableFuture<>();

        Call(String method, String requestId, byte[][] frames) {
            super(method);
            this.requestId = requestId;
            this.frames = frames;
        }

        @Override
        void fail(VoidRailException error) {
            result.completeExceptionally(error);
        }
    }

    /** A streaming call: items then {@code end}, or an {@code error}. */
    static final class Streaming extends Pending {
        final String requestId;
        final byte[][] frames;
        final StreamChannel channel;
        final long idleNanos;

        Streaming(String method, String requestId, byte[][] frames, StreamChannel channel, long idleNanos) {
            super(method);
            this.requestId = requestId;
            this.frames = frames;
            this.channel = channel;
            this.idleNanos = idleNanos;
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
        final CompletableFuture<JsonNode> result = new CompletableFuture<>();

        Control(MessageType request, MessageType answer, byte @Nullable [] payload) {
            super(request.token());
            this.request = request;
            this.answer = answer;
            this.payload = payload;
        }

        @Override
        void fail(VoidRailException error) {
            result.completeExceptionally(error);
        }
    }
}
