package io.voidrail.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.voidrail.VoidRailException;
import io.voidrail.auth.ApiKeyManager;
import io.voidrail.auth.AuthEnvironment;
import io.voidrail.client.ClientDealer;
import io.voidrail.status.MethodInfo;
import io.voidrail.it.Bus;
import io.voidrail.it.RawPeer;
import io.voidrail.ErrorCode;
import io.voidrail.status.DealerState;
import io.voidrail.status.RouterStatus;
import io.voidrail.router.ServiceRouter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Java router with the sample Python worker ({@code samples/python/worker.py}, a real pyzmq process), called
 * from the Java client: JeroMQ against libzmq, both ways.
 */
class PythonWorkerTests {

    static final int[][] A = { { 1, 2 }, { 3, 4 } };
    static final int[][] B = { { 5, 6 }, { 7, 8 } };
    static final int[][] PRODUCT = { { 19, 22 }, { 43, 50 } };

    /** Short heartbeat timeouts, so that lost workers are noticed within the tests' bounds. */
    static final Consumer<ServiceRouter.Builder> ROUTER = b -> b.heartbeatTimeout(Duration.ofMillis(1500))
            .busyHeartbeatTimeout(Duration.ofSeconds(2)).maxQueueWait(Duration.ofSeconds(1));

    @RegisterExtension
    final PythonPeers python = new PythonPeers();

    @Test
    void valuesWithPositionalAndKeywordArguments() {
        try (Bus bus = Bus.start(ROUTER)) {
            python.worker(bus.address());
            ClientDealer client = bus.client();
            assertThat(client.invoke("TensorService.matmul", int[][].class, A, B)).isEqualTo(PRODUCT);
            assertThat(client.call("TensorService.matmul").kwarg("a", A).kwarg("b", new double[][] { { 0.5 }, { 0.25 } })
                    .invoke(double[][].class)).isEqualTo(new double[][] { { 1.0 }, { 2.5 } });
            Map<String, MethodInfo> methods = client.discoverServices();
            assertThat(methods).containsOnlyKeys("TensorService.embed", "TensorService.fail", "TensorService.matmul",
                    "TensorService.progress", "TensorService.slow");
            assertThat(methods.get("TensorService.progress").stream()).isTrue();
            assertThat(methods.get("TensorService.matmul").params()).containsEntry("a", "n x k matrix");
        }
    }

    /** The worker's dict is a record for the Java caller. */
    record Embeddings(String model, int dim, String backend, List<List<Double>> vectors) {
    }

    @Test
    void dictResultsMapToRecords() {
        try (Bus bus = Bus.start(ROUTER)) {
            PythonPeers.Worker worker = python.worker(bus.address());
            ClientDealer client = bus.client();
            Embeddings embeddings = client.invoke("TensorService.embed", Embeddings.class,
                    List.of("GPU workers in Python", "gpu WORKERS in python", "a Spring Boot front"), 8);
            assertThat(embeddings.model()).isEqualTo("hashing-trick");
            assertThat(embeddings.dim()).isEqualTo(8);
            assertThat(embeddings.backend()).isEqualTo("numpy"); // CI installs python3-numpy
            assertThat(embeddings.vectors()).hasSize(3).allSatisfy(vector -> {
                assertThat(vector).hasSize(8);
                assertThat(vector.stream().mapToDouble(x -> x * x).sum()).isCloseTo(1.0, within(1e-9));
            });
            assertThat(embeddings.vectors().get(1)).isEqualTo(embeddings.vectors().get(0)); // same words, any case
            assertThat(embeddings.vectors().get(2)).isNotEqualTo(embeddings.vectors().get(0));

            JavaTensorService.Slept slept = client.invoke("TensorService.slow", JavaTensorService.Slept.class, 0.05, 7);
            assertThat(slept.worker()).isEqualTo(worker.identity());
            assertThat(slept.tag()).isEqualTo(7);
            assertThat(slept.slept()).isEqualTo(0.05);
        }
    }

    @Test
    void pythonFallbackComputesWhatNumpyComputes() {
        try (Bus bus = Bus.start(ROUTER)) {
            python.worker(bus.address());
            python.worker(bus.address(), "--group", "PlainTensorService", "--no-numpy");
            ClientDealer client = bus.client();
            List<String> texts = List.of("the quick brown fox", "", "jumps over the lazy dog dog");
            Embeddings numpy = client.invoke("TensorService.embed", Embeddings.class, texts, 16);
            Embeddings plain = client.invoke("PlainTensorService.embed", Embeddings.class, texts, 16);
            assertThat(plain.backend()).isEqualTo("python");
            assertThat(plain.vectors()).isEqualTo(numpy.vectors());
            assertThat(plain.vectors().get(1)).containsOnly(0.0); // no words: the zero vector
            double[][] m = { { 1.5, -2 }, { 0, 3 }, { 4, 0.25 } };
            double[][] n = { { 2, 0, 1 }, { -1, 1, 0.5 } };
            assertThat(client.invoke("PlainTensorService.matmul", double[][].class, m, n))
                    .isEqualTo(client.invoke("TensorService.matmul", double[][].class, m, n));
        }
    }

    record Progress(int step, int total) {
    }

    @Test
    void streamsItemByItemThenEnd() {
        try (Bus bus = Bus.start(ROUTER)) {
            python.worker(bus.address());
            ClientDealer client = bus.client();
            try (var items = client.stream("TensorService.progress", Progress.class, 4)) {
                assertThat(items.toList()).containsExactly(new Progress(1, 4), new Progress(2, 4), new Progress(3, 4),
                        new Progress(4, 4));
            }
            // a failure mid-stream: the items before it, then one error and no end
            List<Progress> seen = new ArrayList<>();
            assertThatThrownBy(() -> {
                try (var items = client.call("TensorService.progress").kwarg("steps", 5).kwarg("fail_at", 3)
                        .stream(Progress.class)) {
                    items.forEach(seen::add);
                }
            }).isInstanceOfSatisfying(VoidRailException.class, ex -> {
                assertThat(ex.code()).isEqualTo(ErrorCode.EXECUTION_ERROR);
                assertThat(ex).hasMessageContaining("Method execution error: step 3 of 5 failed");
            });
            assertThat(seen).containsExactly(new Progress(1, 5), new Progress(2, 5));
            // the worker's slot was freed by the error: it serves the next call
            assertThat(client.invoke("TensorService.matmul", int[][].class, A, B)).isEqualTo(PRODUCT);
        }
    }

    @Test
    void errorsArriveWithTheirCodes() {
        try (Bus bus = Bus.start(ROUTER)) {
            python.worker(bus.address());
            ClientDealer client = bus.client();
            assertThatThrownBy(() -> client.invoke("TensorService.fail", String.class, "boom"))
                    .isInstanceOfSatisfying(VoidRailException.class, ex -> {
                        assertThat(ex.code()).isEqualTo(ErrorCode.EXECUTION_ERROR);
                        assertThat(ex).hasMessage("Method execution error: boom");
                    });
            assertThatThrownBy(() -> client.invoke("TensorService.matmul", int[][].class, (Object) A))
                    .isInstanceOfSatisfying(VoidRailException.class, ex -> {
                        assertThat(ex.code()).isEqualTo(ErrorCode.EXECUTION_ERROR);
                        assertThat(ex).hasMessageContaining("missing 1 required positional argument: 'b'");
                    });
            int[][] row = { { 1, 2 } };
            assertThatThrownBy(() -> client.invoke("TensorService.matmul", int[][].class, row, row))
                    .isInstanceOfSatisfying(VoidRailException.class, ex -> assertThat(ex)
                            .hasMessage("Method execution error: cannot multiply a 1x2 matrix by a 1x2 matrix"));
            // no dealer of the group offers it: the router answers
            assertThatThrownBy(() -> client.invoke("TensorService.nope", String.class))
                    .isInstanceOfSatisfying(VoidRailException.class, ex -> {
                        assertThat(ex.code()).isEqualTo(ErrorCode.NOT_FOUND);
                        assertThat(ex).hasMessageContaining("TensorService.nope");
                    });
            // routed to the worker, but its JSON names another method: the worker answers, without a request_id,
            // and the Java router names the call (as in the recorded unknown_method_raw scenario)
            try (RawPeer raw = new RawPeer(bus.address(), "0123456789abcdef0123456789abcdef")) {
                raw.send("call_from_client", "TensorService.matmul", "{\"type\": \"request\", \"request_id\": \"r-1\", "
                        + "\"func_name\": \"TensorService.nope\", \"request_step\": \"READY\", \"args\": [], \"kwargs\": {}}");
                List<String> reply = raw.receive("reply_from_router", 10_000);
                assertThat(reply).isNotNull();
                JsonNode json = JsonMapper.builder().build().readTree(reply.get(1));
                assertThat(json.path("type").asString()).isEqualTo("error");
                assertThat(json.path("error").asString()).isEqualTo("Method TensorService.nope not found");
                assertThat(json.path("request_id").asString()).isEqualTo("r-1");
            }
            assertThat(client.invoke("TensorService.matmul", int[][].class, A, B)).isEqualTo(PRODUCT);
        }
    }

    @Test
    void apiKeysTheRightOneServesTheWrongOneIsRefused() {
        String dealerKey = ApiKeyManager.generateKey("dealer");
        String clientKey = ApiKeyManager.generateKey("client");
        try (Bus bus = Bus.start(ROUTER.andThen(b -> b.requireAuth(true).dealerApiKeys(List.of(dealerKey))
                .clientApiKeys(List.of(clientKey))))) {
            // the key from VOIDRAIL_API_KEY, as the Python VoidRail dealer takes it
            PythonPeers.Worker good = python.worker(bus.address(), Map.of(AuthEnvironment.API_KEY, dealerKey));
            PythonProcess refused = python.startWorker(bus.address(), Map.of(), "--group", "Intruder", "--api-key",
                    "dealer_261125_wrongwrongwrongwrongwr");
            assertThat(refused.awaitExit(PythonPeers.START)).isEqualTo(1);
            assertThat(refused.stderr()).contains("Registration failed: invalid API key");
            assertThat(refused.stdout()).noneMatch(line -> line.startsWith("READY"));
            // the good one only, under a public id (with auth on, routing identities stay secret)
            assertThat(bus.router().status().dealers()).singleElement().satisfies(dealer -> {
                assertThat(dealer.group()).isEqualTo("TensorService");
                assertThat(dealer.id()).startsWith("TensorService-").isNotEqualTo(good.identity());
            });

            assertThat(bus.client(b -> b.apiKey(clientKey)).invoke("TensorService.matmul", int[][].class, A, B))
                    .isEqualTo(PRODUCT);
            ClientDealer stranger = bus.client(b -> b.apiKey("client_261125_wrongwrongwrongwrongwr"));
            assertThatThrownBy(() -> stranger.invoke("TensorService.matmul", int[][].class, A, B))
                    .isInstanceOfSatisfying(VoidRailException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
        }
    }

    @Test
    void aShortDeadlineEndsTheCallAndTheWorkerIsFreeAfterwards() {
        try (Bus bus = Bus.start(ROUTER)) {
            python.worker(bus.address());
            ClientDealer client = bus.client();
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.call("TensorService.slow").args(2.0, 1).timeout(Duration.ofMillis(300))
                    .invoke(JavaTensorService.Slept.class))
                    .isInstanceOfSatisfying(VoidRailException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500)); // not the 2 s of work
            // a V1 worker cannot be told to stop: it finishes, the router drops that late reply, and the next
            // call is served, not confused with the old one
            JavaTensorService.Slept next = client.invoke("TensorService.slow", JavaTensorService.Slept.class, 0.01, 2);
            assertThat(next.tag()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> bus.router().status().dealers().get(0).inFlight() == 0);
        }
    }

    @Test
    void heartbeatsGoOnWhileAMethodRuns() {
        try (Bus bus = Bus.start(ROUTER)) {
            PythonPeers.Worker worker = python.worker(bus.address());
            ClientDealer client = bus.client();
            // three seconds of work, with the router giving up on a worker silent for two even while busy
            JavaTensorService.Slept slept = client.invoke("TensorService.slow", JavaTensorService.Slept.class, 3.0, 1);
            assertThat(slept.worker()).isEqualTo(worker.identity());
            assertThat(bus.router().status().dealers()).singleElement()
                    .satisfies(dealer -> assertThat(dealer.state()).isEqualTo(DealerState.ACTIVE));
        }
    }
}
