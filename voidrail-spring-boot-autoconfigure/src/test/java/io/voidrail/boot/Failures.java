package io.voidrail.boot;

import org.jspecify.annotations.Nullable;

/** Finds the exception of a kind in a start-up failure, wherever Spring wrapped it. */
public final class Failures {

    private Failures() {
    }

    public static <T extends Throwable> @Nullable T find(@Nullable Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

}
