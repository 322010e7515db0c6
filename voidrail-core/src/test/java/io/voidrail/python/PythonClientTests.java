package io.voidrail.python;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.voidrail.auth.ApiKeyManager;
import io.voidrail.it.Bus;
import io.voidrail.it.EchoService;
import io.voidrail.python.PythonPeers.ClientRun;
import tools.jackson.databind.JsonNode;

/** The sample Python client ({@code samples/python/client.py}, a real pyzmq process) calling through the Java router. */
class PythonClientTests {

    @RegisterExtension
    final PythonPeers python = new PythonPeers();

    @Test
    void callsJavaDealersValuesStreamsAndErrors() {
        try (Bus bus = Bus.start(PythonWorkerTests.ROUTER)) {
            bus.dealer(new EchoService());
            ClientRun run = python.client(bus.address(), "--list",
                    "--call", "EchoService.echo", "[\"héllo, 世界 ✓\"]",
                    "--call", "EchoService.add", "[5, 3]",
                    "--call", "EchoService.add", "{\"a\": 40, \"b\": 2}",
                    "--call", "EchoService.stream", "[0, 4]",
                    "--call", "EchoService.slow", "[0.05]",
                    "--call", "EchoService.fail", "[\"boom\"]",
                    "--call", "EchoService.echo", "[\"after the error\"]");

            assertThat(run.op("methods").path("result").path("EchoService.add").path("description").asString())
                    .isEqualTo("Add two numbers");
            assertThat(results(run, "EchoService.echo")).containsExactly("\"héllo, 世界 ✓\"", "\"after the error\"");
            assertThat(results(run, "EchoService.add")).containsExactly("8", "42");
            List<JsonNode> stream = run.calls("EchoService.stream");
            assertThat(stream).extracting(line -> line.path("item").toString()).containsExactly("0", "1", "2", "3", "");
            assertThat(stream.get(4).path("end").asBoolean()).isTrue();
            assertThat(results(run, "EchoService.slow")).containsExactly("{\"slept\":0.05}"); // a Java record, as a dict
            assertThat(run.calls("EchoService.fail")).singleElement()
                    .satisfies(line -> assertThat(line.path("error").asString()).isEqualTo("Method execution error: boom"));
            assertThat(run.status()).as("exit status (one call failed)").isEqualTo(1);
        }
    }

    @Test
    void authenticatesWithTheRightKeyAndIsRefusedWithAWrongOne() {
        String dealerKey = ApiKeyManager.generateKey("dealer");
        String clientKey = ApiKeyManager.generateKey("client");
        try (Bus bus = Bus.start(PythonWorkerTests.ROUTER.andThen(b -> b.requireAuth(true)
                .dealerApiKeys(List.of(dealerKey)).clientApiKeys(List.of(clientKey))))) {
            bus.dealer(new EchoService(), b -> b.apiKey(dealerKey));

            ClientRun allowed = python.client(bus.address(), "--api-key", clientKey, "--call", "EchoService.add", "[2, 2]");
            assertThat(allowed.op("auth").path("result").path("status").asString()).isEqualTo("authenticated");
            assertThat(results(allowed, "EchoService.add")).containsExactly("4");
            assertThat(allowed.status()).isZero();

            ClientRun refused = python.client(bus.address(), "--api-key", "client_261125_wrongwrongwrongwrongwr",
                    "--call", "EchoService.add", "[2, 2]");
            assertThat(refused.op("auth").path("error").asString()).isEqualTo("Authentication failed");
            assertThat(refused.op("methods").path("error").asString()).isEqualTo("Not authenticated");
            assertThat(refused.calls("EchoService.add")).singleElement()
                    .satisfies(line -> assertThat(line.path("error").asString()).isEqualTo("Not authenticated"));
            assertThat(refused.status()).isEqualTo(1);
        }
    }

    @Test
    void pythonClientAndPythonWorkerThroughTheJavaRouter() {
        try (Bus bus = Bus.start(PythonWorkerTests.ROUTER)) {
            python.worker(bus.address());
            ClientRun run = python.client(bus.address(),
                    "--call", "TensorService.matmul", "[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]",
                    "--call", "TensorService.progress", "{\"steps\": 2}",
                    "--call", "TensorService.progress", "{\"steps\": 3, \"fail_at\": 2}");
            assertThat(results(run, "TensorService.matmul")).containsExactly("[[19,22],[43,50]]");
            assertThat(run.calls("TensorService.progress")).extracting(JsonNode::toString).containsExactly(
                    "{\"op\":\"call\",\"method\":\"TensorService.progress\",\"item\":{\"step\":1,\"total\":2}}",
                    "{\"op\":\"call\",\"method\":\"TensorService.progress\",\"item\":{\"step\":2,\"total\":2}}",
                    "{\"op\":\"call\",\"method\":\"TensorService.progress\",\"end\":true}",
                    "{\"op\":\"call\",\"method\":\"TensorService.progress\",\"item\":{\"step\":1,\"total\":3}}",
                    "{\"op\":\"call\",\"method\":\"TensorService.progress\",\"error\":\"Method execution error: step 2 of 3 failed\"}");
        }
    }

    /** The results of the calls of one method, as compact JSON. */
    private static List<String> results(ClientRun run, String method) {
        return run.calls(method).stream().filter(line -> line.has("result")).map(line -> line.get("result").toString())
                .toList();
    }
}
