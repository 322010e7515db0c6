package io.voidrail;

import org.jspecify.annotations.Nullable;


/**
 * What VoidRail throws: a failed call (with the {@link ErrorCode} and text the other side sent), a
 * router that cannot be reached or bound, a closed client.
 */
public class VoidRailException extends RuntimeException {

    private final ErrorCode code;

    public VoidRailException(String message) {
        this(message, ErrorCode.UNKNOWN, null);
    }

    public VoidRailException(String message, @Nullable Throwable cause) {
        this(message, ErrorCode.UNKNOWN, cause);
    }

    public VoidRailException(String message, ErrorCode code) {
        this(message, code, null);
    }

    public VoidRailException(String message, ErrorCode code, @Nullable Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
