package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailException;
import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.client.ClientDealer;
import io.voidrail.codec.JsonCodec;
import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;
import tools.jackson.databind.JsonNode;

/** Stream credits end to end, sequence numbers, and peers that know neither (Python) served as before. */
class StreamFlowControlTests {

    private static final JsonCodec CODEC = JsonCodec.defaults();
    private static final String CLIENT_ID = "0123456789abcdef0123456789abcdef";

    @Test
    void theClientGrantsItsWindowAndMoreAsTheConsumerTakesItems() throws Exception {
        try (FakeRouter router = new FakeRouter("[\"cancel\", \"credits\"]");
                ClientDealer client = client(router.address(), 16)) {
            Iterator<Long> items = client.stream("Numbers.count", Long.class, 100L).iterator();
            JsonNode request = CODEC.read(router.receive("call_from_client", 5000).get(2).getBytes());
            assertThat(request.get("credits").asInt()).isEqualTo(16);
            String id = request.get("request_id").asString();
            for (int i = 0; i < 16; i++) {
                router.reply("reply_from_router", item(id, i));
            }
            for (int i = 0; i < 8; i++) {
                assertThat(items.next()).isEqualTo(i);
            }
            // what the consumer took is granted back, keeping the window open
            JsonNode credit = CODEC.read(router.receive("stream_credit", 5000).get(1).getBytes());
            assertThat(credit.get("request_id").asString()).isEqualTo(id);
            assertThat(credit.get("credits").asInt()).isEqualTo(8);
        }
    }

    @Test
    void aGapInTheSequenceFailsTheStreamAndCancelsIt() throws Exception {
        try (FakeRouter router = new FakeRouter("[\"cancel\", \"credits\"]");
                ClientDealer client = client(router.address(), 16)) {
            Stream<Long> items = client.stream("Numbers.count", Long.class, 100L);
            String id = CODEC.read(router.receive("call_from_client", 5000).get(2).getBytes()).get("request_id").asString();
            router.reply("reply_from_router", item(id, 0));
            router.reply("reply_from_router", item(id, 1));
            router.reply("reply_from_router", item(id, 3));
            assertThatThrownBy(items::toList).isInstanceOfSatisfying(VoidRailException.class, ex -> {
                assertThat(ex.code()).isEqualTo(ErrorCode.OVERLOADED);
                assertThat(ex.getMessage()).contains("lost items on the way: expected item 2, got item 3");
            });
            assertThat(CODEC.read(router.receive("cancel", 5000).get(1).getBytes()).get("request_id").asString())
                    .isEqualTo(id);
        }
    }

    @Test
    void aPublisherIsAskedOnlyForWhatTheClientGranted() {
        Numbers numbers = new Numbers();
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(numbers);
            ClientDealer client = bus.client(b -> b.streamWindow(16));
            try (Stream<Long> items = client.stream("Numbers.published", Long.class, 10_000L)) {
                Iterator<Long> iterator = items.iterator();
                for (long i = 0; i < 100; i++) {
                    assertThat(iterator.next()).isEqualTo(i);
                }
                // the consumer pauses: the publisher is not asked for more than the window beyond what was taken
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3))
                        .until(() -> numbers.requested.get() <= 100 + 2 * 16);
            }
        }
    }

    @Test
    void aConsumerThatPausesLongerThanTheItemTimeoutIsNotTimedOut() throws Exception {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new Numbers());
            ClientDealer client = bus.client(b -> b.streamWindow(16));
            try (Stream<Long> items = client.call("Numbers.count").arg(200L).timeout(Duration.ofMillis(300))
                    .stream(Long.class)) {
                Iterator<Long> iterator = items.iterator();
                assertThat(iterator.next()).isZero();
                Thread.sleep(1000); // the flow waits for the consumer, not the consumer for the flow
                long expected = 1;
                while (iterator.hasNext()) {
                    assertThat(iterator.next()).isEqualTo(expected++);
                }
                assertThat(expected).isEqualTo(200);
            }
        }
    }

    @Test
    void aClientWithoutCreditsGetsTheWholeStreamUnnumbered() {
        try (Bus bus = Bus.start(RouterMode.FIFO); RawPeer python = new RawPeer(bus.address(), CLIENT_ID)) {
            bus.dealer(new Numbers());
            python.send("call_from_client", "Numbers.count", "{\"type\": \"request\", \"request_id\": \"r1\", "
                    + "\"func_name\": \"Numbers.count\", \"request_step\": \"READY\", \"args\": [2000], \"kwargs\": {}}");
            for (long i = 0; i < 2000; i++) {
                JsonNode item = CODEC.read(python.receive("reply_from_router", 5000).get(1).getBytes());
                assertThat(item.get("type").asString()).isEqualTo("streaming");
                assertThat(item.get("data").asLong()).isEqualTo(i);
                assertThat(item.has("seq")).as("no seq for a client that did not ask for credits").isFalse();
            }
            assertThat(CODEC.read(python.receive("reply_from_router", 5000).get(1).getBytes()).get("type").asString())
                    .isEqualTo("end");
        }
    }

    @Test
    void creditsAreNotRelayedToADealerThatDidNotAnnounceThem() {
        try (Bus bus = Bus.start(RouterMode.FIFO); RawPeer python = new RawPeer(bus.address(), "Numbers-0aeda9db")) {
            python.send("register", "{\"group\": \"Numbers\", \"methods\": {\"count\": {\"description\": null, "
                    + "\"params\": null, \"stream\": true, \"metadata\": {}}}}");
            assertThat(python.receive("register_ack", 5000)).isNotNull();
            ClientDealer client = bus.client(b -> b.streamWindow(8));
            try (Stream<Long> items = client.stream("Numbers.count", Long.class, 300L)) {
                List<String> call = python.receive("call_from_router", 5000);
                String id = CODEC.read(call.get(call.size() - 1).getBytes()).get("request_id").asString();
                for (int i = 0; i < 300; i++) {
                    python.send("reply_from_dealer", call.get(1), "{\"type\": \"streaming\", \"request_id\": \"" + id
                            + "\", \"data\": " + i + "}");
                }
                python.send("reply_from_dealer", call.get(1), "{\"type\": \"end\", \"request_id\": \"" + id + "\"}");
                assertThat(items.toList()).hasSize(300).startsWith(0L, 1L).endsWith(299L);
            }
            // a Python dealer would take a stream_credit_from_router for an unknown message type
            List<String> next;
            while ((next = python.receive(200)) != null) {
                assertThat(next.get(0)).isNotEqualTo("stream_credit_from_router");
            }
        }
    }

    private static ClientDealer client(String address, int window) {
        return ClientDealer.builder().routerAddress(address).environment(Bus.NO_ENV).streamWindow(window)
                .timeout(Duration.ofSeconds(5)).build();
    }

    private static String item(String requestId, long seq) {
        return "{\"type\": \"streaming\", \"request_id\": \"" + requestId + "\", \"data\": " + seq + ", \"seq\": " + seq + "}";
    }

    @VoidRailService("Numbers")
    public static class Numbers {
        final AtomicLong requested = new AtomicLong();

        @ServiceMethod
        public Stream<Long> count(long end) {
            return Stream.iterate(0L, i -> i < end, i -> i + 1);
        }

        /** A synchronous publisher that counts what it was asked for. */
        @ServiceMethod
        public Flow.Publisher<Long> published(long end) {
            return subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
                private long next;
                private boolean cancelled;

                @Override
                public void request(long n) {
                    requested.addAndGet(n);
                    for (long i = 0; i < n && next < end && !cancelled; i++) {
                        subscriber.onNext(next++);
                    }
                    if (next == end && !cancelled) {
                        cancelled = true;
                        subscriber.onComplete();
                    }
                }

                @Override
                public void cancel() {
                    cancelled = true;
                }
            });
        }
    }
}
