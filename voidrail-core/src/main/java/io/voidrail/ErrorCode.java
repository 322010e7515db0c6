package io.voidrail;

import org.jspecify.annotations.Nullable;

/** Machine-readable error codes (PROTOCOL.md section 9), carried as {@code "code"} next to the human text. */
public enum ErrorCode {
    /** No dealer offers the method, or the dealer does not know it. */
    NOT_FOUND,
    /** The call was malformed or its arguments did not bind to the method's parameters. */
    BAD_REQUEST,
    /** The service method threw. */
    EXECUTION_ERROR,
    /** A missing or wrong API key. */
    UNAUTHENTICATED,
    /** The call's deadline passed before it was answered. */
    DEADLINE_EXCEEDED,
    /** The call was cancelled. */
    CANCELLED,
    /** The method's queue at the router is full. */
    QUEUE_FULL,
    /** No dealer has capacity (LOAD_BALANCE) or a dealer refused the work. */
    OVERLOADED,
    /** The dealer running the call went away. */
    DEALER_LOST,
    /** Anything else, including errors from peers that send no code. */
    UNKNOWN,
    /** No router answers (unreachable, or silent past the client's connect timeout); safe to retry when never sent. */
    UNAVAILABLE;

    /** Parses a wire code; unknown or missing codes become {@link #UNKNOWN}. */
    public static ErrorCode fromWire(@Nullable String code) {
        if (code != null) {
            for (ErrorCode value : values()) {
                if (value.name().equals(code)) {
                    return value;
                }
            }
        }
        return UNKNOWN;
    }
}
