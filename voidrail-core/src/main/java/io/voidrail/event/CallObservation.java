package io.voidrail.event;

import org.jspecify.annotations.Nullable;

import io.voidrail.ErrorCode;

/** The life of one observed call, from {@link CallListener#callStarted} to {@link #finished}. */
public interface CallObservation {

    CallObservation NONE = new CallObservation() {
    };

    /**
     * Opened around the method invocation on the dealer's worker thread (and around the send on the client),
     * so thread-bound context such as a trace scope is current while user code runs.
     */
    default Scope openScope() {
        return Scope.NONE;
    }

    /**
     * Called once when the call ends.
     *
     * @param error {@code null} on success; otherwise what failed, with {@code code} saying how
     */
    default void finished(@Nullable ErrorCode code, @Nullable Throwable error) {
    }

    /** A scope that closes without checked exceptions. */
    interface Scope extends AutoCloseable {

        Scope NONE = () -> {
        };

        @Override
        void close();
    }
}
