package io.voidrail.internal.protocol;

import static io.voidrail.internal.protocol.Protocol.*;

import org.jspecify.annotations.Nullable;

import io.voidrail.ErrorCode;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * One reply message as read from the wire ({@code reply}, {@code streaming}, {@code end} or {@code error}).
 *
 * @param kind       what it is
 * @param requestId  the call's id; Python dealers send errors without one
 * @param value      the result ({@code reply}) or item ({@code streaming}); JSON null otherwise
 * @param errorText  the human text of an error
 * @param code       the error code; {@link ErrorCode#UNKNOWN} when the peer sent none
 */
public record Reply(Kind kind, @Nullable String requestId, JsonNode value, @Nullable String errorText, ErrorCode code) {

    public enum Kind {
        REPLY, STREAMING, END, ERROR;

        /** Only terminal messages end a call and free its dealer slot. */
        public boolean isTerminal() {
            return this != STREAMING;
        }
    }

    /**
     * Reads a reply JSON object; {@code null} when it has no known {@code type} or a {@code request_id} that is
     * neither a string nor null (such a reply names no call, and must not be taken for an id-less one).
     */
    public static @Nullable Reply parse(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        if (!hasTextOrNoId(node)) {
            return null;
        }
        String type = text(node, TYPE);
        Kind kind = type == null ? null : switch (type) {
            case KIND_REPLY -> Kind.REPLY;
            case KIND_STREAMING -> Kind.STREAMING;
            case KIND_END -> Kind.END;
            case KIND_ERROR -> Kind.ERROR;
            default -> null;
        };
        if (kind == null) {
            return null;
        }
        JsonNode value = node.get(kind == Kind.STREAMING ? DATA : RESULT);
        return new Reply(kind, text(node, REQUEST_ID), value != null ? value : NullNode.getInstance(),
                kind == Kind.ERROR ? String.valueOf(text(node, ERROR)) : null, ErrorCode.fromWire(text(node, CODE)));
    }

    /** Whether the message's {@code request_id} is a string, null or absent: anything else names no call. */
    public static boolean hasTextOrNoId(JsonNode node) {
        JsonNode id = node.get(REQUEST_ID);
        return id == null || id.isString() || id.isNull();
    }

    /** A string property, or {@code null} when absent or not a string. */
    public static @Nullable String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value != null && value.isString() ? value.asString() : null;
    }
}
