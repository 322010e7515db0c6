package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.voidrail.client.ClientDealer;
import io.voidrail.event.CallEvent;
import io.voidrail.event.CallListener;
import io.voidrail.event.CallObservation;
import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;

/** Every call a listener sees starting also finishes once, with its outcome, on both sides. */
class CallListenerTests {

    /** Records "side method outcome" lines, and passes a header from client to dealer. */
    static final class Recorder implements CallListener {
        final List<String> finished = new CopyOnWriteArrayList<>();
        final List<String> headersSeen = new CopyOnWriteArrayList<>();

        @Override
        public CallObservation callStarted(CallEvent event) {
            if (event.side() == CallEvent.Side.CLIENT) {
                event.headers().put("trace", "t-" + event.method());
            }
            else {
                headersSeen.add(event.headers().getOrDefault("trace", "none"));
            }
            return new CallObservation() {
                @Override
                public void finished(ErrorCode code, Throwable error) {
                    finished.add(event.side() + " " + event.method() + " " + (code == null ? "SUCCESS" : code));
                }
            };
        }
    }

    @Test
    void callsAndStreamsFinishWithTheirOutcome() {
        Recorder clientSide = new Recorder();
        Recorder dealerSide = new Recorder();
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService(), b -> b.listener(dealerSide));
            ClientDealer client = bus.client(b -> b.listener(clientSide));
            client.invoke("EchoService.echo", String.class, "x");
            assertThatThrownBy(() -> client.invoke("EchoService.fail", String.class, "boom"));
            try (Stream<Integer> items = client.stream("EchoService.stream", Integer.class, 0, 3)) {
                assertThat(items.toList()).hasSize(3);
            }
            try (Stream<Integer> items = client.stream("EchoService.stream", Integer.class, 0, 1_000_000_000)) {
                assertThat(items.limit(1).toList()).hasSize(1);
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(clientSide.finished)
                    .containsExactlyInAnyOrder("CLIENT EchoService.echo SUCCESS", "CLIENT EchoService.fail EXECUTION_ERROR",
                            "CLIENT EchoService.stream SUCCESS", "CLIENT EchoService.stream CANCELLED"));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(dealerSide.finished)
                    .containsExactlyInAnyOrder("DEALER EchoService.echo SUCCESS", "DEALER EchoService.fail EXECUTION_ERROR",
                            "DEALER EchoService.stream SUCCESS", "DEALER EchoService.stream CANCELLED"));
            assertThat(dealerSide.headersSeen).contains("t-EchoService.echo", "t-EchoService.stream");
        }
    }

    /** Throws from every method (what {@code bug} makes of the place), and notes the thread each ran on. */
    static final class Throwing implements CallListener {
        final List<String> threads = new CopyOnWriteArrayList<>();
        private final Function<String, Throwable> bug;

        Throwing() {
            this(IllegalStateException::new);
        }

        Throwing(Function<String, Throwable> bug) {
            this.bug = bug;
        }

        private void fail(String where) {
            Throwable thrown = bug.apply("listener bug in " + where);
            if (thrown instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) thrown;
        }

        @Override
        public CallObservation callStarted(CallEvent event) {
            threads.add(event.side() + " started " + Thread.currentThread().getName());
            if (event.method().endsWith("add")) {
                fail("callStarted");
            }
            return new CallObservation() {
                @Override
                public Scope openScope() {
                    return () -> fail("close");
                }

                @Override
                public void finished(ErrorCode code, Throwable error) {
                    threads.add(event.side() + " finished " + Thread.currentThread().getName());
                    fail("finished");
                }
            };
        }
    }

    @Test
    void aThrowingListenerIsLoggedAndIgnoredOnItsDocumentedThreads() {
        throwingListenersAreLoggedAndIgnored(new Throwing(), new Throwing());
    }

    /**
     * The errors of a listener's own code: a class its library lacks, a failed assertion, a recursion too deep. On an
     * I/O thread one ended the client's or the dealer's loop, and every call after it failed.
     */
    @Test
    void aListenerThatThrowsErrorsOfItsOwnCodeIsLoggedAndIgnoredToo() {
        Function<String, Throwable> errors = where -> where.endsWith("callStarted") ? new NoClassDefFoundError(where)
                : where.endsWith("close") ? new StackOverflowError(where) : new AssertionError(where);
        throwingListenersAreLoggedAndIgnored(new Throwing(errors), new Throwing(errors));
    }

    private void throwingListenersAreLoggedAndIgnored(Throwing clientSide, Throwing dealerSide) {
        try (LogCapture logs = new LogCapture(); Bus bus = Bus.start(RouterMode.FIFO)) {
            // one slot: a finished() that skipped the dealer's bookkeeping would keep it taken, and the next call hang
            String dealer = bus.dealer(new EchoService(), b -> b.listener(dealerSide).slots(1)).identity();
            ClientDealer client = bus.client(b -> b.listener(clientSide).timeout(Duration.ofSeconds(5)));
            for (int i = 0; i < 3; i++) {
                assertThat(client.invoke("EchoService.echo", String.class, "x" + i)).isEqualTo("x" + i);
                assertThat(client.invoke("EchoService.add", Integer.class, i, 1)).isEqualTo(i + 1);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> dealerSide.threads.size() == 9);
            String caller = Thread.currentThread().getName();
            assertThat(clientSide.threads).contains("CLIENT started " + caller)
                    .anyMatch(line -> line.startsWith("CLIENT finished voidrail-client-"));
            // quick calls run on the dealer's I/O thread, which the throwing listener did not stop (all nine answered);
            // on a worker after a stall of 20 ms moved the I/O loop to another thread (a loaded machine)
            assertThat(dealerSide.threads).allMatch(line -> line.endsWith(" voidrail-dealer-" + dealer)
                    || line.contains(" voidrail-worker-" + dealer + "-"))
                    .anyMatch(line -> line.startsWith("DEALER finished "));
            assertThat(logs.text()).contains("A VoidRail call listener failed in callStarted of EchoService.add",
                    "failed in finished of EchoService.echo", "failed in Scope.close of EchoService.echo");
        }
    }
}
