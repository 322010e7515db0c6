package io.voidrail.client;

import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import io.voidrail.VoidRailException;
import io.voidrail.event.CallObservation;
import io.voidrail.ErrorCode;
import tools.jackson.databind.JsonNode;

/**
 * Carries one streaming call's events from the client's I/O thread to the consumer: a blocking Java
 * {@link Stream} or a demand-driven {@link Flow.Publisher}. The I/O thread never blocks on it. It reports the items
 * the consumer has taken, in batches, so that the client grants the dealer that many more (stream credits): the
 * buffer never holds more than the window.
 */
final class StreamChannel {

    private static final Object END = new Object();

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final Runnable cancel;
    private final IntConsumer taken;
    private final int batch;
    private final CallObservation observation;
    private volatile Runnable onEvent = () -> { };
    /** Items taken and not yet reported; touched by the one consumer (a stream's reader, or the serial drain). */
    private int unreported;

    /**
     * @param cancel      asks the loop to cancel the call (called at most once, from the consumer)
     * @param taken       told how many items the consumer took, {@code batch} at a time
     * @param observation finished exactly once: at the end, on an error, or on cancellation
     */
    StreamChannel(Runnable cancel, IntConsumer taken, int batch, CallObservation observation) {
        this.cancel = cancel;
        this.taken = taken;
        this.batch = Math.max(1, batch);
        this.observation = observation;
    }

    /** Items received and not yet taken by the consumer. */
    int buffered() {
        return events.size();
    }

    private void tookOne() {
        if (++unreported >= batch) {
            taken.accept(unreported);
            unreported = 0;
        }
    }

    CallObservation observation() {
        return observation;
    }

    // ------------------------------------------------ producer side (I/O thread, or anyone failing it)

    void item(JsonNode item) {
        if (!terminated.get()) {
            events.add(item);
            onEvent.run();
        }
    }

    void end() {
        if (terminated.compareAndSet(false, true)) {
            observation.finished(null, null);
            events.add(END);
            onEvent.run();
        }
    }

    void fail(VoidRailException error) {
        if (terminated.compareAndSet(false, true)) {
            observation.finished(error.code(), error);
            events.add(error);
            onEvent.run();
        }
    }

    // ------------------------------------------------ consumer side

    private void cancelByConsumer() {
        if (terminated.compareAndSet(false, true)) {
            observation.finished(ErrorCode.CANCELLED, null);
            cancel.run();
        }
    }

    /** A sequential stream; closing it before the end cancels the call. */
    <T> Stream<T> asStream(Function<JsonNode, T> convert) {
        Spliterator<T> spliterator = new Spliterators.AbstractSpliterator<T>(Long.MAX_VALUE, Spliterator.ORDERED) {
            private boolean done;

            @Override
            public boolean tryAdvance(Consumer<? super T> action) {
                if (done) {
                    return false;
                }
                Object event;
                try {
                    event = events.take(); // the loop guarantees an event: item, end, error or timeout
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    cancelByConsumer();
                    throw new VoidRailException("Interrupted while waiting for a stream item", ex);
                }
                if (event == END) {
                    done = true;
                    return false;
                }
                if (event instanceof VoidRailException error) {
                    done = true;
                    throw new VoidRailException(error.getMessage(), error.code(), error);
                }
                tookOne();
                action.accept(convert.apply((JsonNode) event));
                return true;
            }
        };
        return StreamSupport.stream(spliterator, false).onClose(this::cancelByConsumer);
    }

    /** Delivers on {@code executor}, honouring demand; {@code start} runs when the subscriber subscribes. */
    <T> Flow.Publisher<T> asPublisher(Function<JsonNode, T> convert, Executor executor, Runnable start) {
        AtomicBoolean subscribed = new AtomicBoolean();
        return subscriber -> {
            if (!subscribed.compareAndSet(false, true)) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                subscriber.onError(new IllegalStateException("A VoidRail stream publisher takes one subscriber"));
                return;
            }
            Delivery<T> delivery = new Delivery<>(subscriber, convert, executor);
            onEvent = delivery::signal;
            subscriber.onSubscribe(delivery);
            start.run();
        };
    }

    /** Serial, demand-driven delivery: at most one drain runs at a time. */
    private final class Delivery<T> implements Flow.Subscription {
        private final Flow.Subscriber<? super T> subscriber;
        private final Function<JsonNode, T> convert;
        private final Executor executor;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile boolean cancelled;
        private boolean finished;

        Delivery(Flow.Subscriber<? super T> subscriber, Function<JsonNode, T> convert, Executor executor) {
            this.subscriber = subscriber;
            this.convert = convert;
            this.executor = executor;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("request(n) needs n > 0 (Reactive Streams 3.9)"));
                return;
            }
            demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            signal();
        }

        @Override
        public void cancel() {
            cancelled = true;
            cancelByConsumer();
        }

        void signal() {
            if (wip.getAndIncrement() == 0) {
                executor.execute(this::drain);
            }
        }

        private void drain() {
            int missed = 1;
            while (true) {
                while (!cancelled && !finished) {
                    Object head = events.peek();
                    if (head == null || (head != END && !(head instanceof VoidRailException) && demand.get() == 0)) {
                        break;
                    }
                    events.poll();
                    deliver(head);
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void deliver(Object event) {
            if (event == END) {
                finished = true;
                subscriber.onComplete();
            }
            else if (event instanceof VoidRailException error) {
                finished = true;
                subscriber.onError(error);
            }
            else {
                demand.decrementAndGet();
                tookOne();
                T value;
                try {
                    value = convert.apply((JsonNode) event);
                }
                catch (RuntimeException ex) {
                    finished = true;
                    cancel();
                    subscriber.onError(ex);
                    return;
                }
                subscriber.onNext(value);
            }
        }
    }
}
