package io.voidrail.internal;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.voidrail.event.CallEvent;
import io.voidrail.event.CallListener;
import io.voidrail.event.CallObservation;
import io.voidrail.ErrorCode;

/**
 * A {@link CallListener} whose failures are logged and ignored: it runs on I/O and worker threads, where an exception
 * or an error of the listener's own code would otherwise leave a call unanswered, a dealer slot taken for good, or
 * the loop ended.
 */
public final class GuardedCallListener implements CallListener {

    private static final Logger log = LoggerFactory.getLogger(CallListener.class);
    private static final LogThrottle throttle = new LogThrottle(60_000_000_000L);

    private final CallListener delegate;

    private GuardedCallListener(CallListener delegate) {
        this.delegate = delegate;
    }

    public static CallListener of(CallListener listener) {
        return listener == CallListener.NONE || listener instanceof GuardedCallListener ? listener
                : new GuardedCallListener(listener);
    }

    @Override
    public boolean observesProgress() {
        try {
            return delegate.observesProgress();
        }
        catch (RuntimeException | Error ex) {
            failed("observesProgress", "?", ex);
            return false;
        }
    }

    @Override
    public CallObservation callStarted(CallEvent event) {
        try {
            CallObservation observation = delegate.callStarted(event);
            return observation == null ? CallObservation.NONE : new Guarded(observation, event.method());
        }
        catch (RuntimeException | Error ex) {
            failed("callStarted", event.method(), ex);
            return CallObservation.NONE;
        }
    }

    /** Logs what a listener threw, if the loop survives it ({@link Survivable}). */
    static void failed(String phase, String method, Throwable ex) {
        Survivable.orRethrow(ex);
        long left;
        synchronized (throttle) {
            left = throttle.admit(phase + " " + ex.getClass().getName(), System.nanoTime()); // another bug, another line
        }
        if (left >= 0) {
            log.warn("A VoidRail call listener failed in {} of {}; ignored ({} such failure(s) left out of the log before)", phase,
                    method, left, ex);
        }
    }

    private record Guarded(CallObservation delegate, String method) implements CallObservation {

        @Override
        public Scope openScope() {
            Scope scope;
            try {
                scope = delegate.openScope();
            }
            catch (RuntimeException | Error ex) {
                failed("openScope", method, ex);
                return Scope.NONE;
            }
            return () -> {
                try {
                    scope.close();
                }
                catch (RuntimeException | Error ex) {
                    failed("Scope.close", method, ex);
                }
            };
        }

        @Override
        public void queued() {
            try {
                delegate.queued();
            }
            catch (RuntimeException | Error ex) {
                failed("queued", method, ex);
            }
        }

        @Override
        public void dispatched(Duration queueTime) {
            try {
                delegate.dispatched(queueTime);
            }
            catch (RuntimeException | Error ex) {
                failed("dispatched", method, ex);
            }
        }

        @Override
        public void finished(@Nullable ErrorCode code, @Nullable Throwable error) {
            try {
                delegate.finished(code, error);
            }
            catch (RuntimeException | Error ex) {
                failed("finished", method, ex);
            }
        }
    }
}
