package io.voidrail.samples.python;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.voidrail.VoidRailException;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.boot.autoconfigure.ImportVoidRailClients;
import io.voidrail.client.VoidRailClient;
import io.voidrail.ErrorCode;
import io.voidrail.python.PythonPeers;
import io.voidrail.status.DealerState;
import io.voidrail.status.RouterStatus;
import io.voidrail.router.ServiceRouter;
import io.voidrail.samples.app.SampleApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The commonest fleet: a Spring Boot application runs the router (on a free port) and calls a Python GPU worker
 * ({@code samples/python/worker.py}, a real process) through the injected client and a typed client, next to its own
 * Java service.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.NONE,
        properties = { "voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0",
                "sample.startup-calls=false" })
@Import(PythonWorkerApplicationTests.TensorClients.class)
class PythonWorkerApplicationTests {

    @RegisterExtension
    final PythonPeers python = new PythonPeers();

    @Autowired
    VoidRailClient client;

    @Autowired
    TensorClient tensors;

    @Autowired
    ServiceRouter router;

    @Value("${local.voidrail.router.port}")
    int routerPort;

    PythonPeers.Worker worker;

    @BeforeEach
    void startPythonWorker() {
        this.worker = this.python.worker("tcp://127.0.0.1:" + this.routerPort);
    }

    @AfterEach
    void stopPythonWorker() {
        // a worker that says goodbye leaves the shared context's router with nothing to dispatch to
        assertThat(this.worker.process().stop()).isZero();
        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(this.router.status().dealers())
                .filteredOn((dealer) -> dealer.id().equals(this.worker.identity()))
                .singleElement()
                .satisfies((dealer) -> assertThat(dealer.state()).isEqualTo(DealerState.SHUTDOWN)));
    }

    @Test
    void theInjectedClientCallsThePythonWorkerAndTheJavaService() {
        int[][] product = this.client.invoke("TensorService.matmul", int[][].class, new int[][] { { 1, 2 }, { 3, 4 } },
                new int[][] { { 5, 6 }, { 7, 8 } });
        assertThat(product).isEqualTo(new int[][] { { 19, 22 }, { 43, 50 } });
        assertThat(this.client.invoke("EchoService.echo", String.class, "from Java")).isEqualTo("from Java");
        assertThat(this.client.discoverServices()).containsKeys("TensorService.matmul", "EchoService.echo");
        assertThat(this.router.status().dealers()).extracting(RouterStatus.Dealer::id).contains(this.worker.identity());
        assertThatThrownBy(() -> this.client.invoke("TensorService.fail", String.class, "out of GPU memory"))
            .isInstanceOfSatisfying(VoidRailException.class, (ex) -> {
                assertThat(ex.code()).isEqualTo(ErrorCode.EXECUTION_ERROR);
                assertThat(ex).hasMessage("Method execution error: out of GPU memory");
            });
    }

    @Test
    void theTypedClientMapsRecordsAndStreams() {
        Embeddings embeddings = this.tensors.embed(List.of("Spring Boot front", "Python GPU workers"), 4);
        assertThat(embeddings.dim()).isEqualTo(4);
        assertThat(embeddings.backend()).isEqualTo("numpy");
        assertThat(embeddings.vectors()).hasSize(2).allSatisfy((vector) -> assertThat(vector).hasSize(4));
        assertThat(this.tensors.progress(3).collectList().block(Duration.ofSeconds(10)))
            .containsExactly(new Progress(1, 3), new Progress(2, 3), new Progress(3, 3));
        assertThatThrownBy(() -> this.tensors.fail("typed")).isInstanceOf(VoidRailException.class)
            .hasMessage("Method execution error: typed");
    }

    /** A typed client of the Python worker's methods. */
    @VoidRailService("TensorService")
    public interface TensorClient {

        Embeddings embed(List<String> texts, int dim);

        Flux<Progress> progress(int steps);

        String fail(String message);

    }

    /** What {@code TensorService.embed} answers (a dict in Python). */
    public record Embeddings(String model, int dim, String backend, List<double[]> vectors) {
    }

    /** One item of the {@code TensorService.progress} stream. */
    public record Progress(int step, int total) {
    }

    @Configuration(proxyBeanMethods = false)
    @ImportVoidRailClients(TensorClient.class)
    static class TensorClients {

    }

}
