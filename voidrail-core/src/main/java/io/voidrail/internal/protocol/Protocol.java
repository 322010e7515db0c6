package io.voidrail.internal.protocol;

import java.util.List;
import java.util.stream.Stream;

import io.voidrail.VoidRailVersion;

/** Constants shared by every role: JSON keys, reply kinds, texts that Python peers look for. */
public final class Protocol {

    /** Announced in {@code router_info} and {@code register} (PROTOCOL.md section 9). */
    public static final String IMPLEMENTATION = VoidRailVersion.IMPLEMENTATION;

    public static final String CAP_CORRELATION = "correlation";
    public static final String CAP_CANCEL = "cancel";
    public static final String CAP_DEADLINE = "deadline";
    public static final String CAP_SLOTS = "slots";
    /** The peer reads {@code "timeout_ms"} (time left, relative) in REQUEST. */
    public static final String CAP_TIMEOUT = "timeout";
    /** A dealer that keeps heartbeating while its methods run: the router gives it no longer busy allowance. */
    public static final String CAP_BUSY_HEARTBEATS = "busy_heartbeats";
    /** Stream flow control: the peer understands stream credits and {@code "seq"} on stream items. */
    public static final String CAP_CREDITS = "credits";
    /** A router that tells a client, when asked in the request, that its call was queued and dispatched. */
    public static final String CAP_PROGRESS = "progress";

    /**
     * A router that binds authentication to the connection a peer proved its key on: a dealer's heartbeats need
     * no key. A Java router announces it to Java dealers in {@code register_ack}.
     */
    public static final String CAP_CONNECTION_AUTH = "connection_auth";

    /**
     * A router (one with auth on) where a new connection never takes over an identity that an open connection holds:
     * ZeroMQ never reads such a connection, even after the holder ends, and a network that dropped a connection can
     * leave the router's end of it open. A Java dealer therefore connects again under a new identity.
     */
    public static final String CAP_NO_HANDOVER = "no_handover";

    /** What Java routers announce in {@code router_info} and to Java dealers in {@code register_ack}. */
    public static final List<String> ROUTER_CAPABILITIES = List.of(CAP_CORRELATION, CAP_CANCEL, CAP_DEADLINE, CAP_SLOTS,
            CAP_TIMEOUT, CAP_CREDITS, CAP_PROGRESS, CAP_CONNECTION_AUTH);

    /**
     * The identity of a peer's {@code connection}-th socket to one router (from 1): its own, or, to a router that
     * announced {@link #CAP_NO_HANDOVER}, {@code <identity>.<n>} from the second on.
     */
    public static String connectionIdentity(String identity, int connection, boolean noHandover) {
        return connection > 1 && noHandover ? identity + "." + connection : identity;
    }

    /** What a Java router announces: {@link #ROUTER_CAPABILITIES}, and {@link #CAP_NO_HANDOVER} with auth on. */
    public static List<String> routerCapabilities(boolean requireAuth) {
        return requireAuth ? Stream.concat(ROUTER_CAPABILITIES.stream(), Stream.of(CAP_NO_HANDOVER)).toList()
                : ROUTER_CAPABILITIES;
    }
    /** What Java dealers announce in {@code register}: the common ones, and heartbeats from their I/O thread. */
    public static final List<String> DEALER_CAPABILITIES = List.of(CAP_CORRELATION, CAP_CANCEL, CAP_DEADLINE, CAP_SLOTS,
            CAP_TIMEOUT, CAP_CREDITS, CAP_BUSY_HEARTBEATS);

    // JSON keys
    public static final String TYPE = "type";
    public static final String REQUEST_ID = "request_id";
    public static final String FUNC_NAME = "func_name";
    public static final String REQUEST_STEP = "request_step";
    public static final String ARGS = "args";
    public static final String KWARGS = "kwargs";
    public static final String RESULT = "result";
    public static final String DATA = "data";
    public static final String ERROR = "error";
    public static final String CODE = "code";
    public static final String STATE = "state";
    public static final String DEADLINE_MS = "deadline_ms";
    /** Milliseconds left of the call's deadline when it was sent; each hop restarts it on its own monotonic clock. */
    public static final String TIMEOUT_MS = "timeout_ms";
    public static final String HEADERS = "headers";
    /** REQUEST of a Java client's stream: its initial window (items); stream_credit: items more. Absent: no limit. */
    public static final String CREDITS = "credits";
    /** Stream items of a call that uses credits: 0, 1, 2... so that a gap shows. */
    public static final String SEQ = "seq";
    /** REQUEST: {@code true} asks the router for {@code call_progress}; call_progress: {@code queued|dispatched}. */
    public static final String PROGRESS = "progress";
    /** call_progress of a dispatched call: milliseconds it waited in the router's queue. */
    public static final String QUEUED_MS = "queued_ms";
    public static final String PROGRESS_QUEUED = "queued";
    public static final String PROGRESS_DISPATCHED = "dispatched";
    public static final String API_KEY = "api_key";
    public static final String CLIENT_ID = "client_id";
    public static final String IMPLEMENTATION_KEY = "implementation";
    public static final String CAPABILITIES_KEY = "capabilities";
    /** Java routers announce their message size limit so clients can refuse oversized calls clearly. */
    public static final String MAX_MESSAGE_SIZE = "max_message_size";

    // values of "type"
    public static final String KIND_REQUEST = "request";
    public static final String KIND_REPLY = "reply";
    public static final String KIND_STREAMING = "streaming";
    public static final String KIND_END = "end";
    public static final String KIND_ERROR = "error";

    // texts Python peers look for (PROTOCOL.md section 6)
    public static final String INVALID_AUTH_FORMAT = "Invalid auth format";
    public static final String AUTHENTICATION_FAILED = "Authentication failed";
    public static final String INVALID_REGISTER_FORMAT = "Invalid register format";
    public static final String REGISTRATION_FAILED = "Registration failed: invalid API key";
    public static final String HEARTBEAT_AUTH_FAILED = "Heartbeat authentication failed";
    /** Java router: the connection's key (API key or CURVE key) is a client's. */
    public static final String CLIENTS_CANNOT_REGISTER = "Registration failed: client connections cannot register";
    public static final String NOT_AUTHENTICATED = "Not authenticated";
    public static final String UNKNOWN_MESSAGE_TYPE = "Unknown message type: ";
    public static final String ROUTER_ERROR = "Service Router Error";
    public static final String METHOD_EXECUTION_ERROR = "Method execution error: ";

    private Protocol() {
    }

    public static String methodNotFound(String method) {
        return "Method " + method + " not found";
    }

    public static String noAvailableService(String method) {
        return "No available service for method " + method;
    }
}
