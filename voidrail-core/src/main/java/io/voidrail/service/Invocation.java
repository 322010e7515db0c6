package io.voidrail.service;

import java.util.Iterator;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

import org.jspecify.annotations.Nullable;

/**
 * What a service method returned, by shape. The dealer answers a {@link Value} with one {@code reply}, and waits
 * for an {@link Async} stage before doing so; it sends {@link Items} and {@link Published} items one
 * {@code streaming} message each, then {@code end}.
 *
 * <p>Failures after {@link MethodHandler#invoke} returned come as follows: the iterator and
 * {@link Items#close()} of core-made {@link Items} throw {@link ServiceMethodException}; an {@link Async} stage
 * completes exceptionally and a {@link Published} publisher signals {@code onError} with whatever the service
 * code produced.
 */
public sealed interface Invocation {

    /** A plain result, {@code null} for {@code void} methods and methods that returned {@code null}. */
    record Value(@Nullable Object value) implements Invocation {
    }

    /** A result still being computed. */
    record Async(CompletionStage<?> stage) implements Invocation {
    }

    /**
     * Items read by blocking iteration. {@link #close()} must be called when done or abandoned: it closes the
     * {@link java.util.stream.Stream} (or other closeable source) the items come from.
     */
    record Items(Iterator<?> iterator, AutoCloseable closer) implements Invocation, AutoCloseable {

        /** Closes the source; what the source throws comes as {@link ServiceMethodException}. */
        @Override
        public void close() {
            try {
                closer.close();
            }
            catch (ServiceMethodException ex) {
                throw ex;
            }
            catch (Exception ex) {
                throw new ServiceMethodException(ex);
            }
        }

        /**
         * Items of a source that belongs to service code: failures of its iterator and of its closing come as
         * {@link ServiceMethodException}.
         */
        static Items guarded(Iterator<?> iterator, AutoCloseable closer) {
            return new Items(new GuardedIterator<>(iterator), closer);
        }
    }

    /** Items pushed by a reactive-streams publisher of the JDK ({@link Flow.Publisher}). */
    record Published(Flow.Publisher<?> publisher) implements Invocation {
    }
}
