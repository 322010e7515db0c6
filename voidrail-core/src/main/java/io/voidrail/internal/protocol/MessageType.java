package io.voidrail.internal.protocol;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** The type tokens of PROTOCOL.md section 2 (and the section 9 extensions), as sent in the first frame. */
public enum MessageType {
    // client -> router
    AUTH("auth"), METHODS("methods"), CLUSTERS("clusters"), QUEUE_STATUS("queue_status"),
    ROUTER_INFO("router_info"), ROUTER_MONITOR("router_monitor"), CALL_FROM_CLIENT("call_from_client"),
    CANCEL("cancel"), STREAM_CREDIT("stream_credit"),
    // router -> dealer
    CALL_FROM_ROUTER("call_from_router"), CANCEL_FROM_ROUTER("cancel_from_router"),
    STREAM_CREDIT_FROM_ROUTER("stream_credit_from_router"),
    REGISTER_ACK("register_ack"), HEARTBEAT_ACK("heartbeat_ack"), ROUTER_SHUTDOWN("router_shutdown"),
    REREGISTER_REQUIRED("reregister_required"), SHUTDOWN_ACK("shutdown_ack"),
    // dealer -> router
    REGISTER("register"), HEARTBEAT("heartbeat"), REPLY_FROM_DEALER("reply_from_dealer"),
    OVERLOAD("overload"), RESUME("resume"), SHUTDOWN("shutdown"),
    // router -> client
    REPLY_FROM_ROUTER("reply_from_router"), AUTH_ACK("auth_ack"), METHODS_ACK("methods_ack"),
    CLUSTERS_ACK("clusters_ack"), QUEUE_STATUS_ACK("queue_status_ack"), ROUTER_INFO_ACK("router_info_ack"),
    CALL_PROGRESS("call_progress"),
    // router -> any
    ERROR("error");

    private static final Map<String, MessageType> BY_TOKEN = new HashMap<>();

    static {
        for (MessageType type : values()) {
            BY_TOKEN.put(type.token, type);
        }
    }

    private final String token;

    MessageType(String token) {
        this.token = token;
    }

    /** The ASCII token on the wire. */
    public String token() {
        return token;
    }

    /** The type for a wire token, or {@code null} when the token is unknown. */
    public static @Nullable MessageType fromToken(String token) {
        return BY_TOKEN.get(token);
    }
}
