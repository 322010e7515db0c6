package io.voidrail.client;

import static io.voidrail.internal.protocol.Protocol.*;

import org.jspecify.annotations.Nullable;

import io.voidrail.ErrorCode;
import io.voidrail.internal.protocol.PythonErrors;
import io.voidrail.internal.protocol.Reply;
import tools.jackson.databind.JsonNode;

/**
 * What the client may assume of one router, chosen once from its {@code router_info}, and the only place where the
 * client guesses. A router that announces {@code correlation} (a Java router) is held to exact rules: every answer
 * about a call names it by {@code request_id} and carries its {@code code}, so nothing is derived from texts and an
 * answer naming no waiting call answers nothing. Any other router (a Python one, or one that would not say) gets the
 * Python protocol's guesses (PROTOCOL.md sections 4 to 6): codes from the error texts, and an error without the
 * call's id answers the oldest call waiting on that router. It also holds the Java extensions the router announced
 * (cancel, stream credits, deadline verdicts, its message size limit); a router that announces none gets none.
 *
 * @param exact           it announced {@code correlation}: the exact rules
 * @param canCancel       it relays {@code cancel}
 * @param canCredit       it relays stream credits
 * @param judgesDeadlines it answers calls past their deadline itself (and says where the call was): worth a short wait
 * @param tellsProgress   it sends {@code call_progress} when a request asks for it
 * @param maxMessageSize  its message size limit; 0 when unknown
 * @param noHandover      it never lets a new connection take an identity an open one holds: connect again under a new one
 */
record RouterDialect(boolean exact, boolean canCancel, boolean canCredit, boolean judgesDeadlines,
        boolean tellsProgress, long maxMessageSize, boolean noHandover) {

    /** A router that has announced nothing (yet): the Python protocol, no extension. */
    static final RouterDialect PYTHON = new RouterDialect(false, false, false, false, false, 0, false);

    /** From a {@code router_info} result; {@code null} when the router would not say (it refused the question). */
    static RouterDialect of(@Nullable JsonNode info) {
        if (info == null) {
            return PYTHON;
        }
        JsonNode capabilities = info.path(CAPABILITIES_KEY);
        return new RouterDialect(has(capabilities, CAP_CORRELATION), has(capabilities, CAP_CANCEL),
                has(capabilities, CAP_CREDITS), has(capabilities, CAP_DEADLINE), has(capabilities, CAP_PROGRESS),
                info.path(MAX_MESSAGE_SIZE).asLong(0), has(capabilities, CAP_NO_HANDOVER));
    }

    /** The code of an error answer: the one it carries; from a Python router without one, what its text means. */
    ErrorCode codeOf(@Nullable Reply reply, String text) {
        if (reply != null && reply.code() != ErrorCode.UNKNOWN) {
            return reply.code();
        }
        return exact ? ErrorCode.UNKNOWN : PythonErrors.codeOf(text);
    }

    /**
     * Whether a reply that names no waiting call answers the oldest call waiting on this router: with a Python router,
     * an error without {@code request_id} (a Python dealer's) or with one the router made up ("No available service");
     * never a result or stream item without one (anybody's forgery), never with a Java router, which names the call
     * of every answer it forwards.
     */
    boolean answersOldestCall(Reply reply) {
        // errors only: Python dealers leave the id out of errors, never out of results or stream items
        return !exact && reply.kind() == Reply.Kind.ERROR
                && (reply.requestId() == null || reply.code() == ErrorCode.UNKNOWN);
    }

    /**
     * Whether an {@code error} frame that names no waiting call may answer a call: a Python router's errors carry an
     * id it made up, so the oldest thing waiting is meant; a Java router's errors about a call carry the call's id,
     * so one that names none answers the oldest question to the router ({@code methods}, {@code auth}, ...).
     */
    boolean routerErrorsMayAnswerCalls() {
        return !exact;
    }

    private static boolean has(JsonNode capabilities, String capability) {
        if (capabilities.isArray()) {
            for (JsonNode entry : capabilities) {
                if (capability.equals(entry.asString(""))) {
                    return true;
                }
            }
        }
        return false;
    }
}
