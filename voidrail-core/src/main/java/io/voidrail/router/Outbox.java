package io.voidrail.router;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.voidrail.internal.protocol.MessageType;

/**
 * What the router core wants sent, in order; the loop sends it. A dispatch remembers its dealer and call, so that
 * one the socket cannot deliver goes back to the core ({@link RouterCore#undeliverable}).
 */
final class Outbox {

    private static final Map<MessageType, byte[]> TOKENS = new EnumMap<>(MessageType.class);

    static {
        for (MessageType type : MessageType.values()) {
            TOKENS.put(type, type.token().getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** One message: every frame, the destination identity first. */
    record Message(List<byte[]> frames, @Nullable DealerEntry dealer, @Nullable Call call) {

        MessageType type() {
            return MessageType.fromToken(new String(frames.get(1), StandardCharsets.US_ASCII));
        }
    }

    private final ArrayDeque<Message> messages = new ArrayDeque<>();

    void send(byte[] identity, MessageType type, byte[]... payload) {
        List<byte[]> frames = new ArrayList<>(payload.length + 2);
        frames.add(identity);
        frames.add(TOKENS.get(type));
        frames.addAll(List.of(payload));
        messages.addLast(new Message(frames, null, null));
    }

    /** {@code call_from_router}: the client's identity, then its frames after the type (routing key, JSON). */
    void dispatch(DealerEntry dealer, Call call, List<byte[]> callFrames) {
        List<byte[]> frames = new ArrayList<>(callFrames.size() + 3);
        frames.add(dealer.identity);
        frames.add(TOKENS.get(MessageType.CALL_FROM_ROUTER));
        frames.add(call.clientId);
        frames.addAll(callFrames);
        messages.addLast(new Message(frames, dealer, call));
    }

    /** The oldest message not yet taken, or {@code null}. */
    @Nullable Message poll() {
        return messages.pollFirst();
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }
}
