package io.voidrail.boot.autoconfigure.internal;

import org.jspecify.annotations.Nullable;

/** VoidRail cannot start as configured; {@link VoidRailFailureAnalyzer} reports it with {@link #action()}. */
public class VoidRailSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String action;

    public VoidRailSetupException(String description, String action, @Nullable Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    public String action() {
        return this.action;
    }

}
