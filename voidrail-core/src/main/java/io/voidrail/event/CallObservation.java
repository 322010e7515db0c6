package io.voidrail.event;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.voidrail.ErrorCode;

/**
 * The life of one observed call, from {@link CallListener#callStarted} to {@link #finished}, with {@link #queued} and
 * {@link #dispatched} in between when the call waits. The threads each method runs on are in {@link CallListener}.
 */
public interface CallObservation {

    CallObservation NONE = new CallObservation() {
    };

    /**
     * Opened around the method invocation on the thread that runs it at the dealer (and around the send on the client),
     * so thread-bound context such as a trace scope is current while user code runs.
     */
    default Scope openScope() {
        return Scope.NONE;
    }

    /**
     * The call waits in the router's queue for a dealer with a free slot. Client side only, and only from a router
     * that announces the {@code progress} capability (a Java router, PROTOCOL.md section 9): a Python router says
     * nothing. Not called for a call that goes to a dealer at once. Called again if the router puts the call back in
     * its queue (its dealer was lost and the method is idempotent). Runs on the client's I/O thread.
     */
    default void queued() {
    }

    /**
     * The call goes to work after waiting {@code queueTime}.
     * <ul>
     * <li>Client: the router handed the call to a dealer; {@code queueTime} is the router's own count of the call's
     * time in its queue (zero when a dealer took it at once), which the client cannot measure itself. Only from a
     * router that announces {@code progress}, on the client's I/O thread, before the answer.</li>
     * <li>Dealer: the thread that runs the method (a worker, or the I/O thread for a quick call) starts it, right after {@link CallListener#callStarted} and before the
     * {@linkplain #openScope() scope} opens; {@code queueTime} is the time since the call reached the dealer (waiting
     * for a slot or a thread, usually microseconds).</li>
     * </ul>
     */
    default void dispatched(Duration queueTime) {
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
